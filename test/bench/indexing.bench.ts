// Indexing throughput, measured side by side in one run on the same photos:
//   decode-only  preparePhoto (read + header + one decode + thumbnail + model tensor), 4 in flight
//   encode-only  the image encoder on ready tensors, in the inference worker, at the pipeline's batch
//   end to end   the real indexer (decode ∥ encode → thumbnails + SQLite commits) into a fresh store
// Pipeline efficiency = end-to-end ÷ the slower of the two stages (target ≥ 0.85). On a machine
// where both stages need the same cores (2 here), running them together cannot beat
// 1 / (1/decode + 1/encode): the second ratio says how close the pipeline comes to that bound.
// Run for the bundled model and, when exported, an untrained net of ViT-B/32's exact shapes.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createInferenceClient } from '../../electron/core/clip/inference-client.js';
import { parsePreprocessConfig, preparePhoto, type PreprocessConfig } from '../../electron/core/imaging/decode.js';
import { indexCandidates } from '../../electron/core/library/indexer.js';
import { openStore } from '../../electron/core/store/index.js';
import { Rng, renderSceneRaw, sampleScene } from '../../electron/core/synthetic/index.js';

const repo = path.resolve(import.meta.dirname, '../..');

export interface IndexBenchRow {
  model: string;
  photos: number;
  photoSize: string;
  decodePerS: number;
  encodePerS: number;
  endToEndPerS: number;
  efficiency: number;
  /** End to end ÷ 1 / (1/decode + 1/encode), the best two CPU-bound stages sharing cores can do. */
  sharedCpuEfficiency: number;
}

/** Camera-sized JPEGs (upscaled synthetic scenes, quality 90), written once per run. */
export async function makePhotos(dir: string, count: number, width: number, height: number): Promise<string[]> {
  const rng = new Rng(99);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const spec = sampleScene(rng.fork(), { minSide: 800, maxSide: 800 });
    const raw = await renderSceneRaw(spec);
    const file = path.join(dir, `photo-${String(i).padStart(3, '0')}.jpg`);
    await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } })
      .resize(width, height, { fit: 'fill' })
      .jpeg({ quality: 90 })
      .toFile(file);
    files.push(file);
  }
  return files;
}

export async function timeIt<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, (performance.now() - t0) / 1000];
}

export async function decodeAll(files: string[], cfg: PreprocessConfig, concurrency: number): Promise<Float32Array[]> {
  const out: Float32Array[] = new Array(files.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < files.length) {
        const i = next++;
        out[i] = (await preparePhoto(files[i]!, cfg, { bytes: await readFile(files[i]!) })).pixels;
      }
    }),
  );
  return out;
}

async function benchModel(modelDir: string, files: string[], photoSize: string): Promise<IndexBenchRow> {
  const cfgFile = path.join(modelDir, 'visual', 'preprocess_cfg.json');
  const cfg = parsePreprocessConfig(JSON.parse(await readFile(cfgFile, 'utf8')), cfgFile);
  const client = await createInferenceClient({ modelDir });
  const info = client.info();
  const batchSize = info.batch === 'dynamic' ? 8 : info.batch;
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-bench-index-'));
  try {
    await decodeAll(files.slice(0, 4), cfg, 4); // warm-up: sharp and the file cache
    const [tensors, decodeS] = await timeIt(() => decodeAll(files, cfg, 4));
    await client.encodeImages(tensors.slice(0, batchSize).map((t) => t.slice())); // warm-up
    const [, encodeS] = await timeIt(async () => {
      for (let i = 0; i < tensors.length; i += batchSize) await client.encodeImages(tensors.slice(i, i + batchSize));
    });

    const store = openStore(path.join(work, 'library.sqlite'));
    const root = store.roots.add(path.dirname(files[0]!));
    const candidates = files.map((f) => ({ path: f, rootId: root.id, relPath: path.basename(f), size: 0, mtimeMs: 0, contentHash: null }));
    const [result, e2eS] = await timeIt(() =>
      indexCandidates(
        { store, modelId: info.modelId, preprocess: cfg, encoder: { encode: (b) => client.encodeImages(b), batchSize }, thumbnailsDir: path.join(work, 'thumbs') },
        candidates,
      ),
    );
    store.close();
    if (result.failures.length > 0) throw new Error(`indexing failed: ${result.failures[0]!.reason}`);
    const decodePerS = files.length / decodeS;
    const encodePerS = files.length / encodeS;
    const endToEndPerS = files.length / e2eS;
    const sharedCpuBound = 1 / (1 / decodePerS + 1 / encodePerS);
    return {
      model: info.modelId,
      photos: files.length,
      photoSize,
      decodePerS,
      encodePerS,
      endToEndPerS,
      efficiency: endToEndPerS / Math.min(decodePerS, encodePerS),
      sharedCpuEfficiency: endToEndPerS / sharedCpuBound,
    };
  } finally {
    await client.close();
    await rm(work, { recursive: true, force: true });
  }
}

export async function runIndexBench(opts: { photos?: number } = {}): Promise<IndexBenchRow[]> {
  const count = opts.photos ?? 96;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-bench-photos-'));
  const rows: IndexBenchRow[] = [];
  try {
    const files = await makePhotos(dir, count, 4000, 3000);
    const models = [path.join(repo, 'models', 'shoebox-mini'), path.join(repo, '.cache', 'vit-b32-random')];
    for (const m of models) {
      if (!existsSync(path.join(m, 'config.json'))) {
        console.log(`(skipped ${path.basename(m)}: not exported; python3 models/recipe/export.py --vit-b32-random --out .cache/vit-b32-random makes it)`);
        continue;
      }
      rows.push(await benchModel(m, files, '4000×3000 JPEG q90 (12 MP)'));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log('\nIndexing throughput (photos/s; same photos, same run)');
  console.table(
    rows.map((r) => ({
      model: r.model,
      photos: `${r.photos} × ${r.photoSize}`,
      'decode only': r.decodePerS.toFixed(1),
      'encode only': r.encodePerS.toFixed(1),
      'end to end': r.endToEndPerS.toFixed(1),
      'efficiency (e2e ÷ slower stage)': r.efficiency.toFixed(2),
      'e2e ÷ shared-CPU bound': r.sharedCpuEfficiency.toFixed(2),
    })),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runIndexBench();
