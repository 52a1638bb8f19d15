// Captions for synthetic scenes: one canonical sentence per scene (the test oracle and the demo
// manifest) and many varied phrasings for training. Every phrasing names every group with its
// colour and shape, so each caption is true of the whole scene; size, count and background may
// be left out, since leaving a true detail out keeps a caption true.

import type { Rng } from './rng.js';
import type { ObjectGroup, SceneSpec } from './scene.js';
import { BACKGROUND_PHRASES, BACKGROUND_TAGS, SHAPE_PLURALS, type Background } from './vocabulary.js';

const NUMBER_WORDS = { 2: 'two', 3: 'three' } as const;

interface PhraseStyle {
  withSize: boolean;
  /** For one object: "a"/"an" or "one". */
  useOne: boolean;
  /** For several objects: "red stars" instead of "two red stars". */
  omitCount: boolean;
}

/** "a small red star", "an orange circle", "one heart", "two large blue crosses", "green squares". */
function groupPhrase(g: ObjectGroup, style: PhraseStyle): string {
  const words = [style.withSize ? g.size : null, g.colour, g.count === 1 ? g.shape : SHAPE_PLURALS[g.shape]];
  const noun = words.filter((w) => w !== null).join(' ');
  if (g.count === 1) return `${style.useOne ? 'one' : article(noun)} ${noun}`;
  return style.omitCount ? noun : `${NUMBER_WORDS[g.count]} ${noun}`;
}

function article(nextWords: string): string {
  return /^[aeiou]/.test(nextWords) ? 'an' : 'a';
}

/** "red stars", "blue circle": the terse, tag-like form. */
function tagPhrase(g: ObjectGroup): string {
  return `${g.colour} ${g.count === 1 ? g.shape : SHAPE_PLURALS[g.shape]}`;
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "two small red stars on the beach", "a large blue circle and a small green cross at night". */
export function canonicalCaption(spec: SceneSpec): string {
  const style: PhraseStyle = { withSize: true, useOne: false, omitCount: false };
  const objects = joinAnd(spec.groups.map((g) => groupPhrase(g, style)));
  return `${objects} ${BACKGROUND_PHRASES[spec.background][0]}`;
}

type Template = (objects: string, background: string, tag: string, isPlural: boolean) => string;

const TEMPLATES: readonly Template[] = [
  (o, b) => `${o} ${b}`,
  (o, b) => `a photo of ${o} ${b}`,
  (o) => `a photo of ${o}`,
  (o) => o,
  (o, b) => `a picture of ${o} ${b}`,
  (o, b) => `an image of ${o} ${b}`,
  (o, b, _t, plural) => `there ${plural ? 'are' : 'is'} ${o} ${b}`,
  (o, _b, t) => `${o}, ${t}`,
  (o) => `a picture of ${o}`,
  (o, b) => `a snapshot of ${o} ${b}`,
];

/** One random phrasing; roughly one in six is the terse tag form ("red stars, sand"). */
function randomCaption(spec: SceneSpec, rng: Rng): string {
  const groups = spec.groups.length > 1 && rng.next() < 0.5 ? [...spec.groups].reverse() : spec.groups;
  const tag = rng.pick(BACKGROUND_TAGS[spec.background]);
  if (rng.next() < 1 / 6) {
    const objects = groups.map(tagPhrase).join(rng.next() < 0.5 ? ', ' : ' and ');
    return rng.next() < 0.75 ? `${objects}, ${tag}` : objects;
  }
  const withSize = rng.next() < 0.5;
  const phrases = groups.map((g) =>
    groupPhrase(g, { withSize, useOne: rng.next() < 0.25, omitCount: rng.next() < 0.2 }),
  );
  const first = groups[0] as ObjectGroup;
  const template = rng.pick(TEMPLATES);
  return template(joinAnd(phrases), rng.pick(BACKGROUND_PHRASES[spec.background]), tag, first.count > 1);
}

/** n phrasings, all true of the scene; distinct as far as the scene allows. */
export function captionsFor(spec: SceneSpec, rng: Rng, n: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let tries = 0; out.length < n && tries < n * 20; tries++) {
    const c = randomCaption(spec, rng);
    if (!seen.has(c)) {
      seen.add(c);
      out.push(c);
    }
  }
  while (out.length < n) out.push(randomCaption(spec, rng));
  return out;
}

/**
 * Every phrasing of a place with its objects left out ("a photo on the beach", "sand"): true of
 * every scene of that place. The same number for each place (train.py's --place-captions).
 */
export function placeCaptions(background: Background): string[] {
  const phrased = BACKGROUND_PHRASES[background].flatMap((p) => [p, `a photo ${p}`, `a picture ${p}`, `an image ${p}`, `a snapshot ${p}`]);
  return [...phrased, ...BACKGROUND_TAGS[background]];
}
