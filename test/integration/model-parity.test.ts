// The exported ONNX files run through the app's path (sharp preprocessing, tokenizer.ts,
// onnxruntime-node) must reproduce the PyTorch embeddings export.py recorded in
// test/fixtures/parity/ (cosine ≥ 0.999), and the same token ids.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadOnnxClip } from '../../models/recipe/onnx-model.js';
import { cosine } from '../support/compare.js';

const FIXTURE = path.resolve('test/fixtures/parity');
const MODEL = path.resolve('models/shoebox-mini');

interface Parity {
  images: { file: string; embedding: number[] }[];
  texts: { text: string; ids: number[]; embedding: number[] }[];
}


test('ONNX + sharp + tokenizer.ts reproduce the PyTorch embeddings', async () => {
  const parity = JSON.parse(await readFile(path.join(FIXTURE, 'parity.json'), 'utf8')) as Parity;
  const clip = await loadOnnxClip(MODEL);
  try {
    const pngs = await Promise.all(parity.images.map((im) => readFile(path.join(FIXTURE, im.file))));
    const img = await clip.embedImages(pngs);
    parity.images.forEach((im, i) => {
      const c = cosine(img.subarray(i * clip.dim, (i + 1) * clip.dim), im.embedding);
      assert.ok(c >= 0.999, `${im.file}: cosine ${c.toFixed(5)} < 0.999`);
    });
    const enc = clip.tokenizer.encode(parity.texts.map((t) => t.text));
    parity.texts.forEach((t, i) => {
      assert.deepEqual(Array.from(enc.ids.subarray(i * enc.contextLength, (i + 1) * enc.contextLength), Number), t.ids, t.text);
    });
    const txt = await clip.embedTexts(parity.texts.map((t) => t.text));
    parity.texts.forEach((t, i) => {
      const c = cosine(txt.subarray(i * clip.dim, (i + 1) * clip.dim), t.embedding);
      assert.ok(c >= 0.999, `"${t.text}": cosine ${c.toFixed(5)} < 0.999`);
    });
  } finally {
    await clip.release();
  }
});
