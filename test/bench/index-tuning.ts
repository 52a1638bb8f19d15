// The indexer's settings, one at a time, on the same photos (not part of `npm run bench`; the
// figures behind docs/DESIGN.md's choices): ONNX Runtime's intra-op threads, decoders in flight,
// batches queued in the worker (depth) and the batch size of a dynamic export. Each line is one
// run of the real indexer into a fresh store; photos/s over the whole run.
//   npx tsx test/bench/index-tuning.ts [model folder, default .cache/vit-b32-random]
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInferenceClient } from '../../electron/core/clip/inference-client.js';
import { loadModelFolder } from '../../electron/core/clip/model-folder.js';
import { indexCandidates } from '../../electron/core/library/indexer.js';
import { openStore } from '../../electron/core/store/index.js';
import { makePhotos } from './indexing.bench.js';

const repo = path.resolve(import.meta.dirname, '../..');
const modelDir = path.resolve(process.argv[2] ?? path.join(repo, '.cache', 'vit-b32-random'));

/** [ORT threads, decoders, depth, batch]; the first is the default, repeated last to see drift. */
const SETTINGS: [number, number, number, number][] = [
  [2, 4, 2, 8],
  [1, 4, 2, 8],
  [2, 1, 2, 8],
  [2, 2, 2, 8],
  [2, 4, 1, 8],
  [2, 4, 2, 4],
  [2, 4, 2, 16],
  [2, 4, 2, 8],
];

const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-tuning-'));
try {
  const photosDir = path.join(work, 'photos');
  await mkdir(photosDir);
  const files = await makePhotos(photosDir, 96, 4000, 3000);
  const { preprocess } = await loadModelFolder(modelDir);
  for (const [threads, decoders, depth, wantedBatch] of SETTINGS) {
    const client = await createInferenceClient({ modelDir, threads });
    const info = client.info();
    const batch = info.batch === 'dynamic' ? wantedBatch : info.batch;
    // Warm-up at the run's batch shape: ONNX Runtime plans each shape on its first run.
    await client.encodeImages(Array.from({ length: batch }, () => new Float32Array(3 * info.imageSize * info.imageSize)));
    const run = await mkdtemp(path.join(work, 'run-'));
    const store = openStore(path.join(run, 'library.sqlite'));
    try {
      const root = store.roots.add(photosDir);
      const candidates = files.map((f) => ({ path: f, rootId: root.id, relPath: path.basename(f), size: 0, mtimeMs: 0, contentHash: null }));
      const started = performance.now();
      const result = await indexCandidates(
        { store, modelId: 'tuning', preprocess, encoder: { encode: (images) => client.encodeImages(images), batchSize: batch }, thumbnailsDir: path.join(run, 'thumbs') },
        candidates,
        { decodeConcurrency: decoders, encodeDepth: depth },
      );
      const seconds = (performance.now() - started) / 1000;
      const t = result.timings;
      console.log(
        `threads ${threads}, decoders ${decoders}, depth ${depth}, batch ${batch}: ${(result.indexed / seconds).toFixed(1)} photos/s ` +
          `(encoder idle ${t.encoderIdle.toFixed(2)} s, decoders blocked ${t.decodersBlocked.toFixed(1)} s summed)`,
      );
    } finally {
      store.close();
      await client.close();
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
