// Embedding BLOBs and the search matrix built from them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { openStore, type Store } from '../../electron/core/store/index.js';
import { decodeVector, encodeVector } from '../../electron/core/store/vector.js';
// The store normalises through the core's one helper; named as the store's own once was.
import { unitVector } from '../../electron/core/vector-math.js';

const l2Normalised = (v: Float32Array): Float32Array => unitVector(v, 'Embedding');

function newStore(t: TestContext): Store {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoebox-emb-'));
  const store = openStore(path.join(dir, 'library.sqlite'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

function addPhoto(store: Store, rootId: number, i: number, modelId: string, vector: Float32Array): number {
  return store.photos.commitIndexed({
    path: `/photos/${i}.jpg`, rootId, relPath: `${i}.jpg`, size: i, mtimeMs: i, contentHash: `h${i}`,
    width: null, height: null, format: null, takenAt: null, cameraMake: null, cameraModel: null, latitude: null, longitude: null,
    thumbPath: null, embedding: { modelId, vector },
  });
}

test('vectors are stored as float32 little-endian and decode back, aligned or not', () => {
  const bytes = encodeVector(new Float32Array([1, -2]));
  assert.deepEqual([...bytes], [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  assert.deepEqual([...decodeVector(bytes)], [1, -2]);
  const unaligned = new Uint8Array(9);
  unaligned.set(bytes, 1);
  assert.deepEqual([...decodeVector(unaligned.subarray(1))], [1, -2]);
  assert.throws(() => decodeVector(new Uint8Array(6)), /whole number/);
});

test('l2Normalised scales to unit length and rejects vectors that are not usable', () => {
  const unit = new Float32Array([0, 1]);
  assert.equal(l2Normalised(unit), unit);
  assert.deepEqual([...l2Normalised(new Float32Array([0, 2]))], [0, 1]);
  assert.throws(() => l2Normalised(new Float32Array([0, 0])), /norm 0/);
  assert.throws(() => l2Normalised(new Float32Array([Infinity, 0])), /norm/);
});

test('loadAll returns the indexed photos of one model as one contiguous matrix', (t) => {
  const store = newStore(t);
  const root = store.roots.add('/photos');
  const dim = 8;
  const expected = new Map<number, Float32Array>();
  for (let i = 1; i <= 50; i++) {
    const v = new Float32Array(dim).map((_, j) => Math.sin(i * 7 + j));
    const id = addPhoto(store, root.id, i, 'm', v);
    expected.set(id, l2Normalised(v));
    if (i % 5 === 0) addPhoto(store, root.id, 1000 + i, 'other', new Float32Array([1, 2]));
  }
  const [gone, failed] = [...expected.keys()].slice(3, 5) as [number, number];
  store.photos.markMissing([gone]);
  store.photos.recordFailure(store.photos.getById(failed)!.path, root.id, 'decode', null, 'broken');
  expected.delete(gone);
  expected.delete(failed);

  const { ids, matrix, dim: loadedDim } = store.embeddings.loadAll('m');
  assert.equal(loadedDim, dim);
  assert.deepEqual([...ids].sort((a, b) => a - b), [...expected.keys()].sort((a, b) => a - b));
  assert.equal(matrix.length, ids.length * dim);
  ids.forEach((id, row) => {
    assert.deepEqual(matrix.subarray(row * dim, (row + 1) * dim), expected.get(id));
    assert.deepEqual(store.embeddings.get(id, 'm'), expected.get(id));
  });
  assert.equal(store.embeddings.countIndexed('m'), ids.length);
  assert.equal(store.embeddings.loadAll('other').dim, 2);
});

test('loadAll of a model without embeddings is empty; mixed dimensions are reported', (t) => {
  const store = newStore(t);
  const root = store.roots.add('/photos');
  assert.deepEqual(store.embeddings.loadAll('none'), { ids: new Int32Array(0), matrix: new Float32Array(0), dim: 0 });
  addPhoto(store, root.id, 1, 'm', new Float32Array([1, 0, 0]));
  const bad = addPhoto(store, root.id, 2, 'm', new Float32Array([1, 0]));
  assert.throws(() => store.embeddings.loadAll('m'), new RegExp(`photo ${bad} .* 2 values, expected 3`));
  assert.equal(store.embeddings.deleteModel('m'), 2);
  assert.equal(store.embeddings.loadAll('m').dim, 0);
});
