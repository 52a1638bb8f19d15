// Text embeddings through the store's per-model cache (text_embeddings, migration 3): sorting's
// prompt ensembles and fine-tuning's captions and probe prompts both ask here, so a text is encoded
// once per model whoever needs it first.
import type { Store } from '../store/index.js';
import { unitVector } from '../vector-math.js';
import type { ActiveModel } from './model-host.js';

/** Texts encoded per call to the model, so a cancel (signal) is noticed between batches. */
const ENCODE_BATCH = 64;

/** Unit vectors for `texts` with the model: cached ones from the store, the rest encoded and cached. */
export async function cachedTextEmbeddings(
  store: Store,
  model: Pick<ActiveModel, 'id' | 'client'>,
  texts: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, Float32Array>> {
  const unique = [...new Set(texts)];
  const found = store.textEmbeddings.getMany(model.id, unique);
  const missing = unique.filter((t) => !found.has(t));
  for (let i = 0; i < missing.length; i += ENCODE_BATCH) {
    signal?.throwIfAborted();
    const batch = missing.slice(i, i + ENCODE_BATCH);
    const vectors = await model.client.encodeTexts(batch);
    if (vectors.length !== batch.length) throw new Error(`The text encoder returned ${vectors.length} embeddings for ${batch.length} texts.`);
    const entries = batch.map((t, k) => [t, unitVector(vectors[k] as Float32Array, `The embedding of "${t}" for model ${model.id}`)] as const);
    store.textEmbeddings.putMany(model.id, entries);
    for (const [t, v] of entries) found.set(t, v);
  }
  return found;
}
