// A person's own script embedding photos with Transformers.js, written as its documentation shows
// (AutoProcessor + CLIPVisionModelWithProjection, RawImage.read, processor(images), model(inputs)),
// for index-compare.bench.ts, which runs it in a fresh process per round like a user would.
// Plain JavaScript, as such a script would be (no compile step to slow its start). Local files
// only: remote models are off. Prints one JSON line of timings, in ms since the process started
// (performance.now()'s origin): images, loadedMs (processor and model ready), firstMs (first
// batch's embeddings back), lastMs (last embedding back).
//   node test/bench/transformers-js-loop.mjs <hf-model-folder> <batch> <photo…>
import path from 'node:path';
import { AutoProcessor, CLIPVisionModelWithProjection, RawImage, env } from '@huggingface/transformers';

const [folder, batchArg, ...photos] = process.argv.slice(2);
const batch = Number(batchArg);
if (!folder || !Number.isInteger(batch) || batch < 1 || photos.length === 0) {
  throw new Error('usage: transformers-js-loop.mjs <hf-model-folder> <batch ≥ 1> <photo…>');
}

env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(folder));
const modelId = path.basename(folder);
const processor = await AutoProcessor.from_pretrained(modelId);
const model = await CLIPVisionModelWithProjection.from_pretrained(modelId, { device: 'cpu', dtype: 'fp32' });
const loadedMs = performance.now();

let images = 0;
let firstMs = 0;
for (let i = 0; i < photos.length; i += batch) {
  const read = await Promise.all(photos.slice(i, i + batch).map((file) => RawImage.read(file)));
  const inputs = await processor(read);
  const { image_embeds } = await model(inputs);
  images += image_embeds.dims[0] ?? 0;
  firstMs ||= performance.now();
}
console.log(JSON.stringify({ images, loadedMs, firstMs, lastMs: performance.now() }));
