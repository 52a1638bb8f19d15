// CLIP text tokenisation for any model folder: loads tokenizer.json (+ the optional
// tokenizer_config.json) with @huggingface/tokenizers and turns texts into the fixed-length id
// matrix a CLIP text encoder takes, with the real lengths for an attention mask. Works for the
// bundled shoebox-mini tokenizer and for the tokenizer files shipped with published models
// (OpenAI / open_clip / Immich / Transformers.js), whose conventions differ: TemplateProcessing or
// RobertaProcessing or no post-processor at all; padding with <|endoftext|> (HF) or with the
// configured pad token ("!" = 0 in Immich's OpenAI exports); SigLIP's tokenizers have no start token.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

export type IdDtype = 'int64' | 'int32';

export interface EncodedTexts<T extends BigInt64Array | Int32Array = BigInt64Array> {
  /** Row-major [n, contextLength]. */
  ids: T;
  n: number;
  contextLength: number;
  /** Tokens of each row before padding (an attention mask is 1 on these). */
  lengths: number[];
}

/** The tokenizer files of a folder: explicit paths, or a folder in Immich's layout (textual/…). */
export type TokenizerSource = string | { tokenizer: string; tokenizerConfig: string };

/** How text is cleaned first: CLIP's whitespace collapse, or open_clip's 'canonicalize' (SigLIP): punctuation removed too. */
export type TextClean = 'whitespace' | 'canonicalize';

export interface ClipTokenizer {
  readonly contextLength: number;
  /** Start-of-text id; undefined for tokenizers without one (SigLIP). */
  readonly sotId: number | undefined;
  /** End-of-text id; the text encoder reads its feature at this token's position. */
  readonly eotId: number;
  readonly padId: number;
  /** Token ids of one text: start token, text, end token, truncated (end token kept), unpadded. */
  tokenize(text: string): number[];
  encode(texts: string[]): EncodedTexts<BigInt64Array>;
  encode(texts: string[], dtype: 'int64'): EncodedTexts<BigInt64Array>;
  encode(texts: string[], dtype: 'int32'): EncodedTexts<Int32Array>;
  /** Text of a list of ids, special tokens and padding left out. */
  decode(ids: ArrayLike<number | bigint>): string;
}

type Json = Record<string, unknown>;

async function readJson(file: string, required: boolean): Promise<Json | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read tokenizer file ${file}: ${(err as Error).message}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Json;
  } catch (err) {
    throw new Error(`Tokenizer file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** tokenizer_config.json writes a special token either as a string or as {content: string}. */
function tokenName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as Json).content === 'string') {
    return (value as Json).content as string;
  }
  return undefined;
}

/** ASCII punctuation, as Python's string.punctuation (open_clip's canonicalize_text removes it). */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** Text cleaning before the tokenizer's normaliser: whitespace collapsed, lower case (CLIP's own). */
function cleaner(mode: TextClean): (text: string) => string {
  const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();
  return mode === 'canonicalize' ? (text) => collapse(text.replace(PUNCTUATION, '')) : collapse;
}

export async function loadClipTokenizer(source: TokenizerSource, contextLength: number, options: { clean?: TextClean } = {}): Promise<ClipTokenizer> {
  const files =
    typeof source === 'string'
      ? { tokenizer: path.join(source, 'textual', 'tokenizer.json'), tokenizerConfig: path.join(source, 'textual', 'tokenizer_config.json') }
      : source;
  const file = files.tokenizer;
  if (!Number.isInteger(contextLength) || contextLength < 2) {
    throw new Error(`Invalid CLIP context length ${contextLength} for tokenizer ${file}: need an integer ≥ 2`);
  }
  const json = (await readJson(file, true)) as Json;
  const config = (await readJson(files.tokenizerConfig, false)) ?? {};
  const clean = cleaner(options.clean ?? 'whitespace');
  // The library expects these keys to exist (null when absent), which some exports omit.
  for (const key of ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder', 'added_tokens'] as const) {
    if (!(key in json)) json[key] = key === 'added_tokens' ? [] : null;
  }
  let hf: Tokenizer;
  try {
    hf = new Tokenizer(json, config);
  } catch (err) {
    throw new Error(`Cannot load tokenizer ${file}: ${(err as Error).message}`);
  }
  const idOf = (name: string | undefined): number | undefined =>
    name === undefined ? undefined : hf.token_to_id(name);
  const sotId = idOf(tokenName(config.bos_token)) ?? idOf('<|startoftext|>');
  const eotId = idOf(tokenName(config.eos_token)) ?? idOf('<|endoftext|>');
  if (eotId === undefined) {
    throw new Error(`Tokenizer ${file} has no end-of-text token (eos_token in tokenizer_config.json, or <|endoftext|>)`);
  }
  // Immich and open_clip pad with the configured pad token; OpenAI's original code pads with 0.
  const padId = idOf(tokenName(config.pad_token)) ?? 0;

  const tokenize = (text: string): number[] => {
    const ids = hf.encode(clean(text)).ids;
    // Without a post-processor (or with one that adds other tokens) the CLIP markers may be
    // missing; the text encoder needs them.
    if (sotId !== undefined && ids[0] !== sotId) ids.unshift(sotId);
    if (ids[ids.length - 1] !== eotId) ids.push(eotId);
    if (ids.length > contextLength) {
      ids.length = contextLength;
      ids[contextLength - 1] = eotId;
    }
    return ids;
  };

  function encode(texts: string[], dtype: IdDtype = 'int64'): EncodedTexts<BigInt64Array> | EncodedTexts<Int32Array> {
    const n = texts.length;
    const rows = texts.map(tokenize);
    const lengths = rows.map((r) => r.length);
    if (dtype === 'int32') {
      const out = new Int32Array(n * contextLength).fill(padId);
      rows.forEach((ids, row) => out.set(ids, row * contextLength));
      return { ids: out, n, contextLength, lengths };
    }
    const out = new BigInt64Array(n * contextLength).fill(BigInt(padId));
    rows.forEach((ids, row) => {
      for (let i = 0; i < ids.length; i++) out[row * contextLength + i] = BigInt(ids[i] as number);
    });
    return { ids: out, n, contextLength, lengths };
  }

  const decode = (ids: ArrayLike<number | bigint>): string => {
    const kept: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = Number(ids[i]);
      if (id === eotId) break; // padding, if any, follows the end token
      if (id !== sotId) kept.push(id);
    }
    return hf.decode(kept, { skip_special_tokens: true }).trim();
  };

  return { contextLength, sotId, eotId, padId, tokenize, encode: encode as ClipTokenizer['encode'], decode };
}
