// Published model layouts, loaded exactly as published: a CLIP with the real architecture (ViT with
// class token, pre-LN blocks, QuickGELU; causal text transformer read at the end-of-text token),
// random weights, exported by models/recipe/test_models.py once as Immich does (batch fixed at 1,
// int32 ids, normalised output, visual weights in an external-data file, no manifest) and once as
// Transformers.js does (dynamic batch, int64 ids + attention_mask, unnormalised output). The app's
// path — its tokenizer, its sharp preprocessing and ONNX Runtime — must give PyTorch's embeddings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openClipModel, type ClipModel } from '../../electron/core/clip/clip-model.js';
import { loadClipTokenizer } from '../../electron/core/clip/tokenizer.js';
import { preparePhoto } from '../../electron/core/imaging/decode.js';
import { cosine } from '../support/compare.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/clip-layouts');

interface Reference {
  padding: Record<'immich' | 'hf', { token: string; id: number }>;
  texts: { text: string; ids: number[]; embedding: number[]; hfRawNorm: number }[];
  images: { file: string; embedding: number[]; hfRawNorm: number }[];
}
const reference = JSON.parse(readFileSync(path.join(FIXTURES, 'reference.json'), 'utf8')) as Reference;


const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

async function withModel(layout: 'immich' | 'hf', fn: (model: ClipModel) => Promise<void>): Promise<void> {
  const model = await openClipModel(path.join(FIXTURES, layout), { provider: 'cpu', threads: 2 });
  try {
    await fn(model);
  } finally {
    await model.close();
  }
}

for (const layout of ['immich', 'hf'] as const) {
  test(`${layout} layout: loads without a manifest, with the signature read from the session`, async () => {
    await withModel(layout, async (model) => {
      const info = model.info();
      assert.equal(info.layout, layout);
      assert.equal(info.embedDim, 32);
      assert.equal(info.imageSize, 224);
      assert.equal(info.contextLength, 77);
      assert.equal(model.folder.manifest, null);
      assert.equal(info.modelId, layout);
      assert.equal(info.batch, layout === 'immich' ? 1 : 'dynamic');
      assert.equal((await model.text()).idType, layout === 'immich' ? 'int32' : 'int64');
      assert.deepEqual(model.folder.preprocess.mean, [0.48145466, 0.4578275, 0.40821073]);
      assert.equal(model.folder.preprocess.resize_mode, 'shortest');
      assert.equal(model.folder.preprocess.interpolation, 'bicubic');
    });
  });

  test(`${layout} layout: the tokenizer gives the reference ids and pads with the model's pad token`, async () => {
    await withModel(layout, async (model) => {
      const tok = await loadClipTokenizer(model.folder.files, 77);
      for (const t of reference.texts) assert.deepEqual(tok.tokenize(t.text), t.ids, JSON.stringify(t.text));
      assert.equal(tok.padId, reference.padding[layout].id);
      const encoded = tok.encode(['a photo of a dog.'], 'int32');
      assert.deepEqual(encoded.lengths, [8]);
      assert.equal(encoded.ids[8], reference.padding[layout].id);
      assert.equal(encoded.ids[76], reference.padding[layout].id);
    });
  });

  test(`${layout} layout: text embeddings match PyTorch (cosine ≥ 0.999), normalised`, async () => {
    await withModel(layout, async (model) => {
      const embeddings = await (await model.text()).encode(reference.texts.map((t) => t.text));
      reference.texts.forEach((t, i) => {
        const c = cosine(embeddings[i]!, t.embedding);
        assert.ok(c >= 0.999, `${JSON.stringify(t.text.slice(0, 30))}: cosine ${c}`);
        assert.ok(Math.abs(norm(embeddings[i]!) - 1) < 1e-5);
      });
      // Different texts stay apart: a model that ignored its input would pass the cosine check with constant outputs.
      assert.ok(cosine(embeddings[0]!, embeddings[3]!) < 0.95);
    });
  });

  test(`${layout} layout: image embeddings through sharp's preprocessing match PyTorch + PIL (cosine ≥ 0.999)`, async () => {
    await withModel(layout, async (model) => {
      const pixels: Float32Array[] = [];
      for (const img of reference.images) pixels.push((await preparePhoto(path.join(FIXTURES, 'images', img.file), model.folder.preprocess)).pixels);
      const embeddings = await model.image.encode(pixels);
      reference.images.forEach((img, i) => {
        const c = cosine(embeddings[i]!, img.embedding);
        console.log(`${layout} ${img.file}: cosine ${c.toFixed(6)}`);
        assert.ok(c >= 0.999, `${img.file}: cosine ${c}`);
        assert.ok(Math.abs(norm(embeddings[i]!) - 1) < 1e-5);
      });
    });
  });
}

test('the Hugging Face export really is unnormalised, so the app normalising it is what makes the two layouts agree', () => {
  for (const item of [...reference.texts, ...reference.images]) assert.ok(Math.abs(item.hfRawNorm - 1) > 0.5, `raw norm ${item.hfRawNorm}`);
});
