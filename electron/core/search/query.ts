// Search-query syntax: terms joined by + and -, each with an optional numeric weight, and the
// combination of their text embeddings into one query vector.
//
//   beach + sunset - people      three terms, weights 1, 1, -1
//   2:dog + grass                "dog" counts twice as much as "grass"
//   0.5:night                    one term, weight 0.5
//   "black-and-white" + cat      quotes keep + and - literal
//   red t-shirt                  one term: a hyphen inside a word is part of the word
//   -people                      an all-negative query (see combineQuery)
//
// Words between operators form one term ("red car + beach" is two terms). "+" outside quotes is
// always an operator; "-" is one only at the edge of a word (before a word, or after one and
// followed by space), so "t-shirt" stays intact while "beach -people" and "beach - people"
// subtract. Consecutive operators multiply their signs ("a - -b" adds b). A weight is a number
// directly followed by ":" at the start of a term, and must be finite with |w| ≤ 10.

import { z } from 'zod';
import { normalizeInto } from '../vector-math.js';
import { MAX_QUERY_CHARS } from '../../common/search-limits.js';

export interface QueryTerm {
  text: string;
  weight: number;
}

export interface ParsedQuery {
  terms: QueryTerm[];
}

/** A query the user typed that cannot be searched; the message says why. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}

const MAX_TERMS = 16;
const MAX_ABS_WEIGHT = 10;

const termSchema = z.object({
  text: z.string().min(1).max(MAX_QUERY_CHARS),
  weight: z.number().min(-MAX_ABS_WEIGHT).max(MAX_ABS_WEIGHT),
});

type Token = { kind: 'op'; sign: 1 | -1 } | { kind: 'word'; text: string; quoted: boolean };

// Straight and typographic double quotes; a typographic opening quote may be closed by either.
const OPEN_QUOTES = new Set(['"', '\u201c', '\u201e']);
const CLOSE_QUOTES = new Set(['"', '\u201d', '\u201c']);
// "2:dog", "0.5:", "1e-1:night"; not "10:30" (a time of day is text, not a weight).
const WEIGHT_PREFIX = /^((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?):(?!\d)(.*)$/i;

function isSpace(c: string): boolean {
  return /\s/.test(c);
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (isSpace(c)) {
      i++;
    } else if (OPEN_QUOTES.has(c)) {
      let j = i + 1;
      while (j < q.length && !CLOSE_QUOTES.has(q[j] as string)) j++;
      if (j >= q.length) throw new QueryError(`search query: the quote opened at character ${i + 1} is never closed`);
      const text = q.slice(i + 1, j).trim().replace(/\s+/g, ' ');
      if (text === '') throw new QueryError(`search query: empty quotes at character ${i + 1}`);
      tokens.push({ kind: 'word', text, quoted: true });
      i = j + 1;
    } else if (c === '+' || c === '-') {
      tokens.push({ kind: 'op', sign: c === '+' ? 1 : -1 });
      i++;
    } else {
      // A word runs to whitespace, a quote or "+"; "-" inside it is a hyphen.
      let j = i;
      while (j < q.length) {
        const d = q[j] as string;
        if (isSpace(d) || d === '+' || OPEN_QUOTES.has(d)) break;
        j++;
      }
      let word = q.slice(i, j);
      let trailingMinus = 0;
      while (word.endsWith('-')) {
        word = word.slice(0, -1);
        trailingMinus++;
      }
      tokens.push({ kind: 'word', text: word, quoted: false });
      for (let m = 0; m < trailingMinus; m++) tokens.push({ kind: 'op', sign: -1 });
      i = j;
    }
  }
  return tokens;
}

/** Parses a search query into weighted terms; throws QueryError with a readable reason. */
export function parseQuery(q: string): ParsedQuery {
  if (typeof q !== 'string') throw new QueryError('search query must be text');
  if (q.trim() === '') throw new QueryError('search query is empty: type what to look for, e.g. "beach + sunset"');
  if (q.length > MAX_QUERY_CHARS) {
    throw new QueryError(`search query is ${q.length} characters long; the limit is ${MAX_QUERY_CHARS}`);
  }

  const terms: QueryTerm[] = [];
  let sign = 1;
  let weight: number | null = null;
  let words: string[] = [];
  let sawOperator = false;

  const finishTerm = (): void => {
    const text = words.join(' ');
    const w = sign * (weight ?? 1);
    const checked = termSchema.safeParse({ text, weight: w });
    if (!checked.success) {
      throw new QueryError(
        `search query: weight ${w} for "${text}" is not allowed; weights must be finite numbers from -${MAX_ABS_WEIGHT} to ${MAX_ABS_WEIGHT}`,
      );
    }
    terms.push(checked.data);
    if (terms.length > MAX_TERMS) throw new QueryError(`search query has more than ${MAX_TERMS} terms`);
    sign = 1;
    weight = null;
    words = [];
    sawOperator = false;
  };

  for (const tok of tokenize(q)) {
    if (tok.kind === 'op') {
      if (words.length > 0) finishTerm();
      else if (weight !== null) throw new QueryError(`search query: weight ${weight} is not followed by a term`);
      sign *= tok.sign;
      sawOperator = true;
      continue;
    }
    if (tok.text === '') continue;
    const m: RegExpExecArray | null = !tok.quoted && words.length === 0 && weight === null ? WEIGHT_PREFIX.exec(tok.text) : null;
    if (m) {
      weight = Number(m[1]);
      if (m[2]) words.push(m[2]);
    } else {
      words.push(tok.text);
    }
  }
  if (words.length > 0) finishTerm();
  else if (weight !== null) throw new QueryError(`search query: weight ${weight} is not followed by a term`);
  else if (sawOperator) throw new QueryError('search query ends with an operator: add a term after the last + or -');
  if (terms.length === 0) throw new QueryError('search query has no words to search for');
  return { terms };
}

/**
 * One query vector from term embeddings: Σ weight_i · normalise(e_i), then L2-normalised.
 * Terms are normalised first so a weight means the same whatever the encoder's output scale.
 *
 * All-negative queries ("-people") give the negated direction, so photos rank by how unlike
 * the named things they are (scores mostly below zero); that is the literal reading of
 * "not people" in a cosine space. Terms that cancel exactly ("dog - dog") leave no direction
 * and throw a QueryError.
 */
export function combineQuery(termEmbeddings: Float32Array[], weights: number[]): Float32Array {
  if (termEmbeddings.length === 0) throw new QueryError('combineQuery: no term embeddings');
  if (termEmbeddings.length !== weights.length) {
    throw new QueryError(`combineQuery: ${termEmbeddings.length} embeddings but ${weights.length} weights`);
  }
  const dim = (termEmbeddings[0] as Float32Array).length;
  const sum = new Float64Array(dim);
  const unit = new Float32Array(dim);
  termEmbeddings.forEach((e, t) => {
    const w = weights[t] as number;
    if (!Number.isFinite(w) || Math.abs(w) > MAX_ABS_WEIGHT) {
      throw new QueryError(`combineQuery: weight ${w} must be a finite number from -${MAX_ABS_WEIGHT} to ${MAX_ABS_WEIGHT}`);
    }
    if (e.length !== dim) throw new QueryError(`combineQuery: term ${t} has ${e.length} dims, expected ${dim}`);
    try {
      normalizeInto(e, 0, dim, unit, 0, `combineQuery: term ${t} embedding`);
    } catch (err) {
      // Still the query's fault as far as the caller can tell: keep it a QueryError.
      throw new QueryError((err as Error).message);
    }
    for (let i = 0; i < dim; i++) sum[i] = (sum[i] as number) + w * (unit[i] as number);
  });
  let n2 = 0;
  for (let i = 0; i < dim; i++) n2 += (sum[i] as number) ** 2;
  // Relative to the largest possible norm (Σ|w|), below this the terms have cancelled out.
  const scale = weights.reduce((a, w) => a + Math.abs(w), 0);
  if (!(Math.sqrt(n2) > 1e-6 * scale)) {
    throw new QueryError('search query terms cancel each other out (e.g. "dog - dog"); nothing is left to search for');
  }
  const inv = 1 / Math.sqrt(n2);
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = (sum[i] as number) * inv;
  return out;
}
