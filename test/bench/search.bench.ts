// Search latency and recall, measured side by side in one run on seeded synthetic 512-d
// embeddings at 10k, 100k and 1M photos:
//   naive-js       exact float32 scan in plain JS (the baseline, and the ground truth for recall)
//   int8 1T / 2T   the EmbeddingIndex path (WebAssembly SIMD int8 scan + float16 rerank), on the
//                  calling thread alone / always split with one worker thread
//   int8 auto      the default: the worker used for the scans where it measurably helps
//   rerank f32     the same with the float32 rerank copy instead of float16 (recall check)
// Also: the bytes each method scans per query as GB/s beside a plain JS read of a buffer of the
// same size, recall@10 against exact float32 search, and the RSS of a fresh process holding only
// a 100k index (target ≤ 400 MB for the whole app).
// Data: "clustered" (1000 clusters around a shared mean direction, like a photo library's CLIP
// embeddings; queries near a cluster) and "uniform" (random directions; the hardest case for
// quantisation because all scores crowd around 0).
// Run: npx tsx test/bench/search.bench.ts   (about a minute on 2 cores)

import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { EmbeddingIndex, type SearchHit } from '../../electron/core/search/embedding-index.js';
import type { RowPrecision } from '../../electron/core/search/row-store.js';
import { TopK } from '../../electron/core/search/top-k.js';
import { Rng } from '../../electron/core/synthetic/rng.js';

const DIM = 512;
const K = 10;

export type DataKind = 'clustered' | 'uniform';

export interface SyntheticSet {
  /** n × dim, row-major, L2-normalised rows. */
  matrix: Float32Array;
  queries: Float32Array[];
}

/**
 * Seeded synthetic embeddings. Noise comes from a table of normal samples indexed by a fast LCG,
 * so a million 512-d rows take about a second to make.
 */
export function syntheticEmbeddings(
  n: number,
  dim: number,
  opts: { seed: number; kind: DataKind; queries: number; clusters?: number },
): SyntheticSet {
  const rng = new Rng(opts.seed);
  const table = new Float32Array(1 << 16);
  for (let i = 0; i < table.length; i++) table[i] = rng.normal();
  let state = Math.floor(rng.next() * 2 ** 32) >>> 0;
  const gauss = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return table[state >>> 16] as number;
  };
  const unit = (v: Float32Array, off: number): void => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (v[off + j] as number) ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) v[off + j] = (v[off + j] as number) * inv;
  };
  const randomUnit = (): Float32Array => {
    const v = new Float32Array(dim);
    for (let j = 0; j < dim; j++) v[j] = gauss();
    unit(v, 0);
    return v;
  };

  const matrix = new Float32Array(n * dim);
  const queries: Float32Array[] = [];
  if (opts.kind === 'uniform') {
    for (let i = 0; i < n * dim; i++) matrix[i] = gauss();
    for (let r = 0; r < n; r++) unit(matrix, r * dim);
    for (let q = 0; q < opts.queries; q++) queries.push(randomUnit());
    return { matrix, queries };
  }
  // Row = 0.6·mean + centroid + 0.8·noise (unit-norm parts): cosine ≈ 0.7 inside a cluster,
  // ≈ 0.2 across clusters. Queries = centroid + noise, without the mean (text embeddings sit
  // apart from image embeddings in CLIP), so a good match scores about 0.5.
  const clusters = opts.clusters ?? 1000;
  const mean = randomUnit();
  const centroids = Array.from({ length: clusters }, randomUnit);
  const sigma = 0.8 / Math.sqrt(dim);
  for (let r = 0; r < n; r++) {
    const c = centroids[Math.floor(rng.next() * clusters)] as Float32Array;
    const off = r * dim;
    for (let j = 0; j < dim; j++) matrix[off + j] = 0.6 * (mean[j] as number) + (c[j] as number) + sigma * gauss();
    unit(matrix, off);
  }
  for (let q = 0; q < opts.queries; q++) {
    const c = centroids[Math.floor(rng.next() * clusters)] as Float32Array;
    const v = new Float32Array(dim);
    for (let j = 0; j < dim; j++) v[j] = (c[j] as number) + (1 / Math.sqrt(dim)) * gauss();
    unit(v, 0);
    queries.push(v);
  }
  return { matrix, queries };
}

/** The baseline: exact float32 scan, one multiply-add at a time. Ids are row + 1. */
export function naiveSearch(matrix: Float32Array, dim: number, q: Float32Array, k: number): SearchHit[] {
  const top = new TopK(k);
  const n = matrix.length / dim;
  for (let r = 0; r < n; r++) {
    let s = 0;
    const off = r * dim;
    for (let j = 0; j < dim; j++) s += (matrix[off + j] as number) * (q[j] as number);
    top.push(s, r + 1);
  }
  return top.drain().map(({ item, score }) => ({ id: item, score }));
}

export function recallAtK(truth: SearchHit[], got: SearchHit[]): number {
  const want = new Set(truth.map((h) => h.id));
  return got.filter((h) => want.has(h.id)).length / Math.max(1, truth.length);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function timeQueries(
  queries: Float32Array[],
  run: (q: Float32Array) => SearchHit[],
  warmup = 3,
): { p50: number; p95: number; hits: SearchHit[][] } {
  // Warm-up so the JIT and the wasm tier-up are not timed.
  for (const q of queries.slice(0, warmup)) run(q);
  const times: number[] = [];
  const hits: SearchHit[][] = [];
  for (const q of queries) {
    const t0 = performance.now();
    hits.push(run(q));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), hits };
}

/** GB/s of a plain JS read (4 running sums) over a Float64Array of `bytes` bytes (median run). */
function memoryReadRate(bytes: number): number {
  const a = new Float64Array(Math.ceil(bytes / 8));
  for (let i = 0; i < a.length; i++) a[i] = i & 7;
  const times: number[] = [];
  let sink = 0;
  // About 0.5 GB read in all, at least 6 runs; the first run is warm-up.
  const reps = Math.max(6, Math.min(100, Math.ceil(5e8 / bytes)));
  for (let rep = 0; rep < reps; rep++) {
    const t0 = performance.now();
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i + 3 < a.length; i += 4) {
      s0 += a[i] as number;
      s1 += a[i + 1] as number;
      s2 += a[i + 2] as number;
      s3 += a[i + 3] as number;
    }
    sink += s0 + s1 + s2 + s3;
    if (rep > 0) times.push(performance.now() - t0);
  }
  if (sink < 0) console.log(sink);
  times.sort((x, y) => x - y);
  return bytes / percentile(times, 0.5) / 1e6;
}

export interface SearchBenchRow {
  photos: number;
  data: DataKind;
  method: string;
  p50Ms: number;
  p95Ms: number;
  scanGBs: number;
  memReadGBs: number;
  recallAt10: number;
  speedup: number;
}

export interface SearchBenchOptions {
  sizes?: number[];
  /** Measure the RSS of a fresh process holding a 100k index (spawns two child processes). */
  rss?: boolean;
  seed?: number;
}

export interface SearchBenchResult {
  rows: SearchBenchRow[];
  rss: { precision: RowPrecision; photos: number; rssMB: number; baselineMB: number }[];
}

function queriesFor(n: number): number {
  return n >= 1_000_000 ? 12 : n >= 100_000 ? 50 : 100;
}

async function benchOne(n: number, kind: DataKind, seed: number): Promise<SearchBenchRow[]> {
  const data = syntheticEmbeddings(n, DIM, { seed, kind, queries: queriesFor(n) });
  const ids = Float64Array.from({ length: n }, (_, i) => i + 1);
  const rows: SearchBenchRow[] = [];
  const naive = timeQueries(data.queries, (q) => naiveSearch(data.matrix, DIM, q, K), 1);
  const naiveBytes = n * DIM * 4;
  const int8Bytes = n * DIM;
  const memNaive = memoryReadRate(naiveBytes);
  const memInt8 = memoryReadRate(int8Bytes);
  const row = (method: string, t: { p50: number; p95: number; hits: SearchHit[][] }, bytes: number, mem: number): SearchBenchRow => ({
    photos: n,
    data: kind,
    method,
    p50Ms: t.p50,
    p95Ms: t.p95,
    scanGBs: bytes / t.p50 / 1e6,
    memReadGBs: mem,
    recallAt10: t.hits.reduce((s, h, i) => s + recallAtK(naive.hits[i] as SearchHit[], h), 0) / t.hits.length,
    speedup: naive.p50 / t.p50,
  });
  rows.push(row('naive-js f32', naive, naiveBytes, memNaive));

  {
    const index = new EmbeddingIndex(DIM, { threads: 2, parallelMinRows: 0 });
    index.load(ids, data.matrix);
    const parallel = await index.whenParallelReady();
    const two = timeQueries(data.queries, (q) => index.search(q, K));
    index.close();
    rows.push(row('int8+f16 1T', timeQueries(data.queries, (q) => index.search(q, K)), int8Bytes, memInt8));
    if (parallel) rows.push(row('int8+f16 2T', two, int8Bytes, memInt8));
  }
  {
    // The default: a worker used only while it measurably helps.
    const index = new EmbeddingIndex(DIM, { parallelMinRows: 0 });
    index.load(ids, data.matrix);
    if (await index.whenParallelReady()) {
      rows.push(row('int8+f16 auto', timeQueries(data.queries, (q) => index.search(q, K)), int8Bytes, memInt8));
    }
    index.close();
  }

  if (n >= 100_000) {
    const f32 = new EmbeddingIndex(DIM, { threads: 2, parallelMinRows: 0, precision: 'float32' });
    f32.load(ids, data.matrix);
    await f32.whenParallelReady();
    rows.push(row('int8+f32 2T', timeQueries(data.queries, (q) => f32.search(q, K)), int8Bytes, memInt8));
    f32.close();
  }
  return rows;
}

function printTable(rows: SearchBenchRow[]): void {
  const head = ['photos', 'data', 'method', 'p50 ms', 'p95 ms', 'scan GB/s', 'JS read GB/s', 'scan/read', 'recall@10', 'vs naive'];
  const body = rows.map((r) => [
    r.photos.toLocaleString('en-US'),
    r.data,
    r.method,
    r.p50Ms.toFixed(2),
    r.p95Ms.toFixed(2),
    r.scanGBs.toFixed(1),
    r.memReadGBs.toFixed(1),
    (r.scanGBs / r.memReadGBs).toFixed(2),
    r.recallAt10.toFixed(4),
    `${r.speedup.toFixed(1)}×`,
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => (b[c] as string).length)));
  const line = (cells: string[]): string => cells.map((s, c) => s.padStart(widths[c] as number)).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
}

/** Child process: build a 100k index, drop the source matrix, search, report RSS as JSON. */
async function rssChild(precision: RowPrecision): Promise<void> {
  const baseline = process.memoryUsage().rss;
  const n = 100_000;
  let data: SyntheticSet | null = syntheticEmbeddings(n, DIM, { seed: 7, kind: 'clustered', queries: 20 });
  const queries = data.queries;
  const index = new EmbeddingIndex(DIM, { precision });
  index.load(Float64Array.from({ length: n }, (_, i) => i + 1), data.matrix);
  data = null;
  await index.whenParallelReady();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  for (const q of queries) index.search(q, 50);
  gc?.();
  const rss = process.memoryUsage().rss;
  console.log(JSON.stringify({ precision, photos: n, rssMB: rss / 2 ** 20, baselineMB: baseline / 2 ** 20 }));
  index.close();
}

function measureRss(precision: RowPrecision): SearchBenchResult['rss'][number] {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', import.meta.filename, '--rss-child', precision],
    { encoding: 'utf8' },
  );
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) {
    throw new Error(`search.bench: RSS child failed (${child.status}): ${child.stderr.slice(-2000)}`);
  }
  return JSON.parse(last) as SearchBenchResult['rss'][number];
}

export async function runSearchBench(opts: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const sizes = opts.sizes ?? [10_000, 100_000, 1_000_000];
  const seed = opts.seed ?? 42;
  const rows: SearchBenchRow[] = [];
  const t0 = performance.now();
  for (const n of sizes) {
    rows.push(...(await benchOne(n, 'clustered', seed)));
    if (n <= 100_000) rows.push(...(await benchOne(n, 'uniform', seed + 1)));
  }
  console.log(`search, ${DIM}-d, k=${K}, ${queriesFor(1)}/${queriesFor(100_000)}/${queriesFor(1_000_000)} queries at 10k/100k/1M`);
  printTable(rows);
  const rss: SearchBenchResult['rss'] = [];
  if (opts.rss ?? true) {
    for (const precision of ['float16', 'float32'] as const) {
      const r = measureRss(precision);
      rss.push(r);
      console.log(
        `RSS with a ${r.photos.toLocaleString('en-US')}-photo index (rerank ${precision}, scan worker running): ${r.rssMB.toFixed(0)} MB (process baseline ${r.baselineMB.toFixed(0)} MB)`,
      );
    }
  }
  console.log(`bench time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { rows, rss };
}

if (process.argv.includes('--rss-child')) {
  await rssChild(process.argv[process.argv.indexOf('--rss-child') + 1] === 'float32' ? 'float32' : 'float16');
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runSearchBench();
}
