// Prompt ensembles (CLIP §3.1.4): a category's text embedding is the normalised mean of the
// embeddings of its name put into several templates, plus any prompts the person wrote. The
// templates are five of CLIP's ImageNet templates that read naturally for any noun; the
// background prompt ("a photo" in the same templates) is the generic competitor that lets a photo
// fit no category (sorting/rule.ts).

import { normalizeInto } from '../vector-math.js';

export const TEMPLATES = ['a photo of a {}.', 'a photo of the {}.', 'a picture of a {}.', 'an image of a {}.', 'a {}.'] as const;

/** The word the background ensemble fills into the templates. */
export const BACKGROUND_WORD = 'photo';

export interface PromptSource {
  name: string;
  prompts: readonly string[];
}

/** Every text of a category's ensemble, each once, in a fixed order. */
export function ensembleTexts(category: PromptSource): string[] {
  const name = category.name.trim();
  return [...new Set([...TEMPLATES.map((t) => t.replace('{}', name)), ...category.prompts.map((p) => p.trim()).filter((p) => p.length > 0)])];
}

export function backgroundTexts(): string[] {
  return ensembleTexts({ name: BACKGROUND_WORD, prompts: [] });
}

/** The normalised mean of unit vectors, each weighing the same. */
export function meanDirection(vectors: readonly Float32Array[], what: string): Float32Array {
  const first = vectors[0];
  if (!first) throw new Error(`${what}: no prompt to average`);
  const out = new Float32Array(first.length);
  for (const v of vectors) {
    if (v.length !== out.length) throw new Error(`${what}: prompt embeddings of ${v.length} and ${out.length} values`);
    for (let k = 0; k < v.length; k++) out[k] = (out[k] as number) + (v[k] as number);
  }
  normalizeInto(out, 0, out.length, out, 0, `${what}: the mean of the prompts' embeddings`);
  return out;
}
