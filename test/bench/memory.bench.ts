// Memory with 100k photos indexed: a fresh process opens a library of 100,000 photos with
// 512-d embeddings (a real SQLite file), loads the search index, starts the inference worker on
// the bundled model, runs searches, and reports its resident set size (target ≤ 400 MB).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInferenceClient } from '../../electron/core/clip/inference-client.js';
import { EmbeddingIndex } from '../../electron/core/search/embedding-index.js';
import { openStore, type Store } from '../../electron/core/store/index.js';
import { encodeVector } from '../../electron/core/store/vector.js';
import { Rng } from '../../electron/core/synthetic/rng.js';

const DIM = 512;
const MODEL_ID = 'bench-512';
const repo = path.resolve(import.meta.dirname, '../..');

function randomUnit(rng: Rng, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let n = 0;
  for (let i = 0; i < dim; i++) {
    v[i] = rng.normal();
    n += v[i]! * v[i]!;
  }
  const s = 1 / Math.sqrt(n);
  for (let i = 0; i < dim; i++) v[i]! *= s;
  return v;
}

/** Writes `count` indexed photos with embeddings straight into a new library database. */
function buildLibrary(dbFile: string, count: number): void {
  const store = openStore(dbFile);
  const root = store.roots.add('/bench/library');
  const rng = new Rng(5);
  const insertPhoto = store.db.prepare(
    `INSERT INTO photos (root_id, path, rel_path, size, mtime_ms, content_hash, status, width, height, format, indexed_at)
     VALUES (?, ?, ?, 1000, 0, ?, 'indexed', 4000, 3000, 'jpeg', 0) RETURNING id`,
  ).pluck();
  const insertEmbedding = store.db.prepare('INSERT INTO embeddings (photo_id, model_id, dim, vector) VALUES (?, ?, ?, ?)');
  store.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const rel = `${2000 + (i % 25)}/album-${i % 300}/IMG_${String(i).padStart(6, '0')}.jpg`;
      const id = insertPhoto.get(root.id, `/bench/library/${rel}`, rel, i.toString(16).padStart(64, '0')) as number;
      insertEmbedding.run(id, MODEL_ID, DIM, encodeVector(randomUnit(rng, DIM)));
    }
  })();
  store.close();
}

/** As the app does it: the float32 matrix read from SQLite is only a step towards the index. */
function loadIndex(dbFile: string): { store: Store; index: EmbeddingIndex; photos: number } {
  const store = openStore(dbFile);
  const { ids, matrix, dim } = store.embeddings.loadAll(MODEL_ID);
  const index = new EmbeddingIndex(dim);
  index.load(ids, matrix);
  return { store, index, photos: ids.length };
}

/** Runs in the measured child process (started with --expose-gc: steady state, not the load peak). */
async function measure(dbFile: string): Promise<void> {
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  const { store, index, photos } = loadIndex(dbFile);
  const loadS = (performance.now() - t0) / 1000;
  const peak = process.memoryUsage().rss;
  const client = await createInferenceClient({ modelDir: path.join(repo, 'models', 'shoebox-mini') });
  await client.encodeTexts(['a red star on the beach']);
  const rng = new Rng(11);
  for (let i = 0; i < 20; i++) index.search(randomUnit(rng, DIM), 50);
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 200)); // let freed buffers go back to the system
  const rss = process.memoryUsage().rss;
  console.log(JSON.stringify({ photos, loadS, baselineMB: baseline / 2 ** 20, peakMB: peak / 2 ** 20, rssMB: rss / 2 ** 20 }));
  index.close();
  await client.close();
  store.close();
}

export interface MemoryBenchResult {
  photos: number;
  loadS: number;
  baselineMB: number;
  /** Right after loading, while the float32 matrix read from SQLite is still alive. */
  peakMB: number;
  rssMB: number;
}

export async function runMemoryBench(count = 100_000): Promise<MemoryBenchResult> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-bench-mem-'));
  try {
    const dbFile = path.join(work, 'library.sqlite');
    buildLibrary(dbFile, count);
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, '--child', dbFile], { cwd: repo, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`memory bench child failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as MemoryBenchResult;
    console.log(
      `\nMemory: ${result.photos} photos (512-d) indexed, search index loaded, inference worker running: RSS ${result.rssMB.toFixed(0)} MB ` +
        `(target ≤ 400 MB; ${result.peakMB.toFixed(0)} MB at the end of loading, before the float32 copy read from SQLite is freed; ` +
        `process baseline ${result.baselineMB.toFixed(0)} MB); load + index build ${result.loadS.toFixed(2)} s`,
    );
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await measure(process.argv[3]!);
else if (import.meta.url === `file://${process.argv[1]}`) await runMemoryBench();
