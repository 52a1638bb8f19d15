// Sorting speed once the categories' text embeddings exist: 100,000 photos (seeded clustered
// 512-d unit vectors, as in search.bench.ts) into 20 categories plus the background prompt,
// measured side by side in one run:
//   matmul floor   a plain float32 JS matrix multiply of the 100k × 512 matrix by the 21 vectors
//                  (row by row, 21 dot products each): the floor the sorting path is compared with
//   sorting path   what SortingHost does per sort: EmbeddingIndex.scoreAll (int8 SIMD scan) for the
//                  21 columns + applyRule (core/sorting/rule.ts)
//   + corrections  the same with 5 corrections per category and 5 toward Unsorted (105 more
//                  columns: each corrected photo's similarity to every photo), all scanned
//   + one more     the sort after one more correction, as SortingHost does it: the earlier
//                  corrections' columns are kept, only the new photo's column is scanned
// p50 of several runs each; target: the sorting path ≤ 200 ms on 2 cores.
// Run: npx tsx test/bench/sorting.bench.ts
import { pathToFileURL } from 'node:url';
import { EmbeddingIndex } from '../../electron/core/search/embedding-index.js';
import { applyRule, type RuleInput } from '../../electron/core/sorting/rule.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { syntheticEmbeddings } from './search.bench.js';

const N = 100_000;
const DIM = 512;
const CATEGORIES = 20;
const RUNS = 7;
const TARGET_MS = 200;

function p50(run: () => void, runs = RUNS): number {
  run(); // warm-up: JIT and wasm tier-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** One column of the floor: out[r] = matrix[r] · v. */
function dotColumn(matrix: Float32Array, dim: number, v: Float32Array, out: Float32Array): void {
  const n = out.length;
  for (let r = 0, off = 0; r < n; r++, off += dim) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < dim; j += 4) {
      s0 += (matrix[off + j] as number) * (v[j] as number);
      s1 += (matrix[off + j + 1] as number) * (v[j + 1] as number);
      s2 += (matrix[off + j + 2] as number) * (v[j + 2] as number);
      s3 += (matrix[off + j + 3] as number) * (v[j + 3] as number);
    }
    out[r] = s0 + s1 + s2 + s3;
  }
}

/** The floor: out[q][r] = matrix[r] · queries[q], plain float32 JS (4 running sums), one column at a time. */
export function matmul(matrix: Float32Array, dim: number, queries: readonly Float32Array[]): Float32Array[] {
  if (dim % 4 !== 0) throw new Error('matmul: dim must be a multiple of 4');
  const n = matrix.length / dim;
  return queries.map((v) => {
    const column = new Float32Array(n);
    dotColumn(matrix, dim, v, column);
    return column;
  });
}

export interface SortingBenchResult {
  floorMs: number;
  scoreMs: number;
  ruleMs: number;
  sortMs: number;
  sortWithCorrectionsMs: number;
  /** The sort after one more correction, the earlier corrections' columns kept (as SortingHost does). */
  oneMoreMs: number;
  maxError: number;
}

export async function runSortingBench(): Promise<SortingBenchResult> {
  const t0 = performance.now();
  const { matrix, queries } = syntheticEmbeddings(N, DIM, { seed: 9, kind: 'clustered', queries: CATEGORIES + 1 });
  const ids = Float64Array.from({ length: N }, (_, i) => i + 1);
  const index = new EmbeddingIndex(DIM);
  index.load(ids, matrix);
  const parallel = await index.whenParallelReady();

  const floorMs = p50(() => matmul(matrix, DIM, queries), 3);

  const rng = new Rng(3);
  const corrected = Array.from({ length: 5 * (CATEGORIES + 1) }, (_, i) => ({ photoId: rng.int(1, N), category: i < 5 * CATEGORIES ? Math.floor(i / 5) : -1 }));
  const uniqueCorrections = [...new Map(corrected.map((c) => [c.photoId, c])).values()];
  const sort = (withCorrections: boolean): { input: RuleInput; scoreMs: number } => {
    const keys = withCorrections ? uniqueCorrections : [];
    const t = performance.now();
    const { ids: rowIds, columns } = index.scoreAll([...queries, ...keys.map((k) => index.vector(k.photoId) as Float32Array)]);
    const scoreMs = performance.now() - t;
    const input: RuleInput = {
      ids: rowIds,
      categoryScores: columns.slice(0, CATEGORIES),
      backgroundScores: columns[CATEGORIES] as Float32Array,
      strictness: new Array<null>(CATEGORIES).fill(null),
      corrections: keys.map((k, i) => ({ ...k, similarity: columns[CATEGORIES + 1 + i] as Float32Array })),
      multiLabel: false,
    };
    applyRule(input);
    return { input, scoreMs };
  };
  // SortingHost keeps the corrected photos' columns while the index is unchanged: after one more
  // correction it scans the 21 prompt columns and that photo's column only.
  const keyColumns = index.scoreAll(uniqueCorrections.map((k) => index.vector(k.photoId) as Float32Array)).columns;
  const oneMoreMs = p50(() => {
    const last = uniqueCorrections[uniqueCorrections.length - 1]!;
    const { ids: rowIds, columns } = index.scoreAll([...queries, index.vector(last.photoId) as Float32Array]);
    applyRule({
      ids: rowIds,
      categoryScores: columns.slice(0, CATEGORIES),
      backgroundScores: columns[CATEGORIES] as Float32Array,
      strictness: new Array<null>(CATEGORIES).fill(null),
      corrections: uniqueCorrections.map((k, i) => ({ ...k, similarity: i === uniqueCorrections.length - 1 ? (columns[CATEGORIES + 1] as Float32Array) : (keyColumns[i] as Float32Array) })),
      multiLabel: false,
    });
  }, 3);
  const sortMs = p50(() => sort(false));
  const sortWithCorrectionsMs = p50(() => sort(true), 3);
  const { input } = sort(false);
  const scoreMs = p50(() => index.scoreAll(queries));
  const ruleMs = p50(() => applyRule(input));

  // The scan is int8: how far its cosines are from the float32 floor's.
  const exact = matmul(matrix.subarray(0, 1000 * DIM), DIM, queries);
  let maxError = 0;
  for (let q = 0; q <= CATEGORIES; q++) {
    for (let r = 0; r < 1000; r++) maxError = Math.max(maxError, Math.abs(((input.categoryScores[q] ?? input.backgroundScores)[r] as number) - ((exact[q] as Float32Array)[r] as number)));
  }
  index.close();

  console.log(`\nsorting, ${N.toLocaleString('en-US')} photos × ${DIM}-d into ${CATEGORIES} categories + background, p50 of ${RUNS} runs (scan worker ${parallel ? 'running' : 'off'})`);
  console.table([
    { step: 'matmul floor (plain float32 JS, 21 columns)', 'p50 ms': floorMs.toFixed(1), 'vs floor': '1.00×' },
    { step: 'scoreAll (int8 SIMD scan, 21 columns)', 'p50 ms': scoreMs.toFixed(1), 'vs floor': `${(scoreMs / floorMs).toFixed(2)}×` },
    { step: 'applyRule', 'p50 ms': ruleMs.toFixed(1), 'vs floor': `${(ruleMs / floorMs).toFixed(2)}×` },
    { step: 'sorting path (scoreAll + applyRule)', 'p50 ms': sortMs.toFixed(1), 'vs floor': `${(sortMs / floorMs).toFixed(2)}×` },
    { step: `+ ${uniqueCorrections.length} corrections (5 per category and Unsorted)`, 'p50 ms': sortWithCorrectionsMs.toFixed(1), 'vs floor': `${(sortWithCorrectionsMs / floorMs).toFixed(2)}×` },
    { step: `+ one more correction (${uniqueCorrections.length - 1} columns kept)`, 'p50 ms': oneMoreMs.toFixed(1), 'vs floor': `${(oneMoreMs / floorMs).toFixed(2)}×` },
  ]);
  console.log(`sorting path ${sortMs.toFixed(0)} ms vs the ${TARGET_MS} ms target: ${sortMs <= TARGET_MS ? 'met' : 'NOT met'}; the sorting path is ${(floorMs / sortMs).toFixed(1)}× faster than the matmul floor`);
  console.log(`largest |int8 scan cosine − float32 cosine| over 1,000 photos × 21 columns: ${maxError.toFixed(4)}`);
  console.log(`bench time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { floorMs, scoreMs, ruleMs, sortMs, sortWithCorrectionsMs, oneMoreMs, maxError };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runSortingBench();
