// Memory with 100k photos indexed: a fresh process opens a library of 100,000 photos with
// 512-d embeddings (a real SQLite file), loads the search index, starts the inference worker on
// the bundled model, runs searches, and reports its resident set size (target ≤ 400 MB).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInferenceClient } from '../../electron/core/clip/inference-client.js';
import { EmbeddingIndex } from '../../electron/core/search/embedding-index.js';
import { openStore } from '../../electron/core/store/index.js';
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

/** Runs in the measured child process. */
async function measure(dbFile: string): Promise<void> {
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  const store = openStore(dbFile);
  const { ids, matrix, dim } = store.embeddings.loadAll(MODEL_ID);
  const index = new EmbeddingIndex(dim);
  index.load(ids, matrix);
  const loadS = (performance.now() - t0) / 1000;
  const client = await createInferenceClient({ modelDir: path.join(repo, 'models', 'shoebox-mini') });
  await client.encodeTexts(['a red star on the beach']);
  const rng = new Rng(11);
  for (let i = 0; i < 20; i++) index.search(randomUnit(rng, dim), 50);
  const rss = process.memoryUsage().rss;
  console.log(JSON.stringify({ photos: ids.length, loadS, baselineMB: baseline / 2 ** 20, rssMB: rss / 2 ** 20 }));
  index.close();
  await client.close();
  store.close();
}

export interface MemoryBenchResult {
  photos: number;
  loadS: number;
  baselineMB: number;
  rssMB: number;
}

export async function runMemoryBench(count = 100_000): Promise<MemoryBenchResult> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-bench-mem-'));
  try {
    const dbFile = path.join(work, 'library.sqlite');
    buildLibrary(dbFile, count);
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', dbFile], { cwd: repo, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`memory bench child failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as MemoryBenchResult;
    console.log(`\nMemory: ${result.photos} photos (512-d) indexed: RSS ${result.rssMB.toFixed(0)} MB (process baseline ${result.baselineMB.toFixed(0)} MB; target ≤ 400 MB); load + index build ${result.loadS.toFixed(2)} s`);
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await measure(process.argv[3]!);
else if (import.meta.url === `file://${process.argv[1]}`) await runMemoryBench();
