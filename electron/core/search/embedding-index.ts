// The active model's image embeddings held in memory for search, as two contiguous matrices of
// L2-normalised rows: an int8 copy that a WebAssembly SIMD kernel scans, and a rerank copy
// (float16 by default, or float32; see row-store.ts). A query scores every row on the int8 copy,
// keeps the best k·RERANK_FACTOR + RERANK_EXTRA rows that pass the filter, and reranks those on
// the rerank copy, so ids match exact float32 search except when the int8 shortlist misses a
// true top-k row or two scores differ by less than the rerank copy's rounding (measured
// recall@10 ≥ 0.99, see test/bench/search.bench.ts).
//
// Each row may carry a floor (setFloors; the relevance floor of text search, relevance.ts), kept
// in row order beside the vectors so that judging every row during a scan costs one comparison.
//
// Rows are dense: ids map to rows through a Map, removal moves the last row into the hole, and
// capacity doubles when full. Memory per row at 512 dims: 512 B int8 + 1024 B float16 (or
// 2048 B float32) + 20 B bookkeeping; 100k photos ≈ 155 MB (float16) or 260 MB (float32).

import { availableParallelism } from 'node:os';
import { QuantizedMatrix } from './quantized-matrix.js';
import { createRowStore, type RowPrecision, type RowStore } from './row-store.js';
import { ScanPool } from './scan-pool.js';
import { TopK } from './top-k.js';
import { normalizeInto } from '../vector-math.js';

export interface SearchHit {
  id: number;
  score: number;
}

export interface SearchOptions {
  /** Only ids accepted by the function, or contained in the set, are returned. */
  filter?: ((id: number) => boolean) | Set<number>;
  /** Ids never returned (e.g. the query photo itself). */
  exclude?: readonly number[];
}

/** A hit of searchJudged: whether its photo's score reaches the row's floor. */
export interface JudgedHit extends SearchHit {
  aboveFloor: boolean;
}

export interface JudgedSearch {
  hits: JudgedHit[];
  /** Rows the filter allows whose score reaches their floor. */
  aboveFloor: number;
}

export interface EmbeddingIndexOptions {
  /**
   * Threads that scan the int8 matrix: 1 (calling thread only), 2 (always split with one
   * worker), or 'auto' (default: a worker when the machine has ≥ 2 cores, used for the scans
   * where it measurably helps; see scan-pool.ts).
   */
  threads?: 1 | 2 | 'auto';
  /** Below this many rows a scan stays on the calling thread (waking a worker costs more). */
  parallelMinRows?: number;
  /** Layout of the rerank copy (default float16: half the memory, scores within ~1e-4). */
  precision?: RowPrecision;
}

/** Candidates reranked exactly: k·RERANK_FACTOR + RERANK_EXTRA (chosen from recall measurements). */
const RERANK_FACTOR = 4;
const RERANK_EXTRA = 32;
const MIN_CAPACITY = 1024;
const DEFAULT_PARALLEL_MIN_ROWS = 32768;
/** Smallest share of a parallel scan (2048 rows × 512 dims = 1 MB of int8, ~0.1 ms). */
const MIN_CHUNK_ROWS = 2048;
const MAX_DIM = 8192;

export class EmbeddingIndex {
  private capacity = 0;
  private rows = 0;
  private exact: RowStore;
  private rowIds = new Float64Array(0);
  /** Per row: the least cosine that counts as above its floor; NaN until measured for the row's vector. */
  private floors = new Float32Array(0);
  private rowOf = new Map<number, number>();
  private quant: QuantizedMatrix;
  private pool: ScanPool | null = null;
  private threads: 1 | 2 | 'auto';
  private readonly parallelMinRows: number;
  private readonly precision: RowPrecision;
  /** Normalised query, and normalised row on the way in. */
  private readonly scratch: Float32Array;

  constructor(
    readonly dim: number,
    opts: EmbeddingIndexOptions = {},
  ) {
    if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) {
      throw new Error(`embedding-index: dim must be an integer in 1..${MAX_DIM}, got ${dim}`);
    }
    this.threads = opts.threads ?? (availableParallelism() > 1 ? 'auto' : 1);
    this.parallelMinRows = opts.parallelMinRows ?? DEFAULT_PARALLEL_MIN_ROWS;
    this.precision = opts.precision ?? 'float16';
    this.scratch = new Float32Array(dim);
    this.exact = createRowStore(this.precision, dim, 0);
    this.quant = this.allocate(MIN_CAPACITY);
  }

  get size(): number {
    return this.rows;
  }

  has(id: number): boolean {
    return this.rowOf.has(id);
  }

  /** Replaces the whole content: row i of `matrix` (ids.length × dim, row-major) is ids[i]. */
  load(ids: ArrayLike<number>, matrix: Float32Array): void {
    const n = ids.length;
    if (matrix.length !== n * this.dim) {
      throw new Error(
        `embedding-index: load got ${n} ids but a matrix of ${matrix.length} values (expected ${n} × ${this.dim})`,
      );
    }
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const id = ids[i] as number;
      checkId(id);
      if (seen.has(id)) throw new Error(`embedding-index: load got id ${id} twice`);
      seen.add(id);
    }
    const { capacity, rows, exact, rowIds, floors, rowOf, quant } = this;
    try {
      this.rows = 0;
      this.rowOf = new Map();
      // Headroom costs no resident memory: untouched pages of a fresh buffer are never faulted in.
      this.quant = this.allocate(Math.max(MIN_CAPACITY, Math.ceil(n * 1.25)));
      for (let i = 0; i < n; i++) this.writeRow(i, ids[i] as number, matrix, i * this.dim);
      this.rows = n;
    } catch (err) {
      // A bad row leaves the previous content in place rather than half an index.
      this.capacity = capacity;
      this.rows = rows;
      this.exact = exact;
      this.rowIds = rowIds;
      this.floors = floors;
      this.rowOf = rowOf;
      this.quant = quant;
      throw err;
    } finally {
      this.syncPool();
    }
  }

  /** Inserts or replaces the vector of `id` (normalised on the way in). */
  upsert(id: number, vec: Float32Array): void {
    checkId(id);
    if (vec.length !== this.dim) {
      throw new Error(`embedding-index: vector for id ${id} has ${vec.length} values, expected ${this.dim}`);
    }
    const existing = this.rowOf.get(id);
    if (existing !== undefined) {
      this.writeRow(existing, id, vec, 0);
      return;
    }
    if (this.rows === this.capacity) this.grow(this.capacity * 2);
    this.writeRow(this.rows, id, vec, 0);
    this.rows++;
    this.syncPool();
  }

  /** Removes `id`; returns false when it was not indexed. */
  remove(id: number): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const last = this.rows - 1;
    if (row !== last) {
      this.exact.copyRow(last, row);
      this.quant.copyRow(last, row);
      const movedId = this.rowIds[last] as number;
      this.rowIds[row] = movedId;
      this.floors[row] = this.floors[last] as number;
      this.rowOf.set(movedId, row);
    }
    this.rowOf.delete(id);
    this.rows = last;
    return true;
  }

  /** A copy of the stored (normalised; float16-rounded by default) vector of `id`. */
  vector(id: number): Float32Array | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.exact.read(row);
  }

  /** The k ids most similar to `query` (normalised here), best first, with cosine scores. */
  search(query: Float32Array, k: number, opts: SearchOptions = {}): SearchHit[] {
    k = this.prepareQuery(query, k);
    if (k === 0) return [];
    const { scores } = this.scan();
    return this.rerank(this.shortlist(scores, this.shortlistSize(k), opts), k).map(({ item: row, score }) => ({ id: this.rowIds[row] as number, score }));
  }

  /**
   * search() that also judges every row against its floor (setFloors), in the same scan: each hit
   * says whether its int8 score (within ~0.003 of the cosine) reaches its row's floor, the answer
   * counts such rows among those the filter allows, and `onlyAboveFloor` ranks those alone.
   */
  searchJudged(query: Float32Array, k: number, opts: SearchOptions & { onlyAboveFloor?: boolean } = {}): JudgedSearch {
    k = this.prepareQuery(query, k);
    const { scores, unscale } = this.scan();
    const floors = this.floors;
    const accepts = acceptor(opts);
    const only = opts.onlyAboveFloor === true;
    const top = new TopK(this.shortlistSize(k));
    const ids = this.rowIds;
    let aboveFloor = 0;
    let threshold = -Infinity;
    for (let r = 0; r < scores.length; r++) {
      const s = scores[r] as number;
      const above = s * unscale >= (floors[r] as number);
      // The filter runs only for rows that count or would enter the shortlist.
      if (above) {
        if (!accepts(ids[r] as number)) continue;
        aboveFloor++;
      } else if (only) continue;
      if (s <= threshold || (!above && !accepts(ids[r] as number))) continue;
      top.push(s, r);
      threshold = top.threshold;
    }
    const hits = this.rerank(top.drain(), k);
    return {
      hits: hits.map(({ item: row, score }) => ({ id: ids[row] as number, score, aboveFloor: (scores[row] as number) * unscale >= (floors[row] as number) })),
      aboveFloor,
    };
  }

  /**
   * Sets the floors of the rows of `ids` (floors[i] for ids[i]; ids not in the index are passed
   * over). A row's floor is dropped (NaN: never reached) when its vector is written again.
   */
  setFloors(ids: ArrayLike<number>, floors: Float32Array): void {
    if (floors.length !== ids.length) throw new Error(`embedding-index: setFloors got ${ids.length} ids but ${floors.length} floors`);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      // Rows rarely move between measuring and setting: check the same row before the Map.
      const row = i < this.rows && this.rowIds[i] === id ? i : this.rowOf.get(id);
      if (row !== undefined) this.floors[row] = floors[i] as number;
    }
  }

  /** Gives every row the same floor (the library's relevance floor, relevance-baseline.ts). */
  setAllFloors(floor: number): void {
    this.floors.fill(floor, 0, this.rows);
  }

  /**
   * Every row's cosine with each query, from the int8 scan (within ~0.003 of float32; see
   * quantized-matrix.ts): what sorting needs, one column per category. Row r of each column
   * belongs to ids[r]; both are copies.
   */
  scoreAll(queries: readonly Float32Array[]): { ids: Float64Array; columns: Float32Array[] } {
    const n = this.rows;
    const columns = queries.map((query, i) => {
      if (query.length !== this.dim) throw new Error(`embedding-index: query ${i} has ${query.length} values, expected ${this.dim}`);
      if (n === 0) return new Float32Array(0);
      normalizeInto(query, 0, this.dim, this.scratch, 0, 'embedding-index: query vector');
      // Undo the query's quantisation scale, so every column is a cosine (columns of different
      // queries are compared with each other by sorting/rule.ts).
      const { scores, unscale } = this.scan();
      const column = scores.slice();
      for (let r = 0; r < n; r++) column[r] = (column[r] as number) * unscale;
      return column;
    });
    return { ids: this.rowIds.slice(0, n), columns };
  }

  /** Resolves true once the scan worker is running (false when this index scans on one thread). */
  async whenParallelReady(): Promise<boolean> {
    if (!this.pool) return false;
    await this.pool.whenReady();
    return this.pool.ready;
  }

  /** Stops the scan worker; the index stays usable on the calling thread. */
  close(): void {
    this.threads = 1;
    this.closePool();
  }

  /** Checks a query and k, and normalises the query into `scratch`; returns k capped at the row count. */
  private prepareQuery(query: Float32Array, k: number): number {
    if (query.length !== this.dim) {
      throw new Error(`embedding-index: query has ${query.length} values, expected ${this.dim}`);
    }
    if (!Number.isInteger(k) || k < 0) throw new Error(`embedding-index: k must be a non-negative integer, got ${k}`);
    normalizeInto(query, 0, this.dim, this.scratch, 0, 'embedding-index: query vector');
    return Math.min(k, this.rows);
  }

  /**
   * Scores every row against the prepared query on the int8 copy. The scores are a view, valid
   * until the next scan, in the query's quantisation units: × unscale gives cosines.
   */
  private scan(): { scores: Float32Array; unscale: number } {
    const n = this.rows;
    if (n === 0) return { scores: new Float32Array(0), unscale: 1 };
    // A worker still finishing an old chunk must be out before the query slot is rewritten.
    this.pool?.settle();
    const unscale = this.quant.setQuery(this.scratch);
    if (this.pool && n >= this.parallelMinRows) this.pool.scan(n, MIN_CHUNK_ROWS);
    else this.quant.scan(0, n);
    return { scores: this.quant.scores(n), unscale };
  }

  private shortlistSize(k: number): number {
    return Math.min(this.rows, k * RERANK_FACTOR + RERANK_EXTRA);
  }

  private shortlist(scores: Float32Array, size: number, opts: SearchOptions): { item: number; score: number }[] {
    const accepts = acceptor(opts);
    const top = new TopK(size);
    const ids = this.rowIds;
    let threshold = -Infinity;
    for (let r = 0; r < scores.length; r++) {
      const s = scores[r] as number;
      // Most rows stop here; the filter only runs for rows that would enter the shortlist.
      if (s <= threshold || !accepts(ids[r] as number)) continue;
      top.push(s, r);
      threshold = top.threshold;
    }
    return top.drain();
  }

  /** The best k of the shortlisted rows by their exact scores against the prepared query, best first. */
  private rerank(shortlist: readonly { item: number }[], k: number): { item: number; score: number }[] {
    const best = new TopK(k);
    for (const { item: row } of shortlist) best.push(this.exact.dot(row, this.scratch), row);
    return best.drain();
  }

  private writeRow(row: number, id: number, src: Float32Array, srcOff: number): void {
    const v = this.scratch;
    normalizeInto(src, srcOff, this.dim, v, 0, () => `embedding-index: vector for id ${id}`);
    this.exact.write(row, v, 0);
    this.quant.setRow(row, v, 0);
    this.rowIds[row] = id;
    this.floors[row] = NaN;
    this.rowOf.set(id, row);
  }

  /** Fresh, empty storage of the given capacity (used by the constructor and load). */
  private allocate(capacity: number): QuantizedMatrix {
    this.closePool();
    this.capacity = capacity;
    this.exact = createRowStore(this.precision, this.dim, capacity);
    this.rowIds = new Float64Array(capacity);
    this.floors = new Float32Array(capacity).fill(NaN);
    return new QuantizedMatrix(this.dim, capacity, this.threads !== 1);
  }

  private grow(capacity: number): void {
    const d = this.dim;
    const exact = this.exact.grown(capacity, this.rows);
    const rowIds = new Float64Array(capacity);
    rowIds.set(this.rowIds.subarray(0, this.rows));
    const floors = new Float32Array(capacity).fill(NaN);
    floors.set(this.floors.subarray(0, this.rows));
    const quant = new QuantizedMatrix(d, capacity, this.threads !== 1);
    quant.copyFrom(this.quant, this.rows);
    this.closePool();
    this.exact = exact;
    this.rowIds = rowIds;
    this.floors = floors;
    this.quant = quant;
    this.capacity = capacity;
  }

  /** Starts the worker once the index is big enough for it to pay off. */
  private syncPool(): void {
    if (this.threads !== 1 && !this.pool && this.rows >= this.parallelMinRows) {
      this.pool = new ScanPool(this.quant, this.threads === 'auto');
    }
  }

  private closePool(): void {
    this.pool?.close();
    this.pool = null;
  }
}

/** The filter and exclusions of `opts` as one test per id. */
function acceptor(opts: SearchOptions): (id: number) => boolean {
  const filter = opts.filter;
  const exclude = opts.exclude && opts.exclude.length > 0 ? new Set(opts.exclude) : null;
  const allowed = filter instanceof Set ? (id: number) => filter.has(id) : (filter ?? null);
  if (!exclude) return allowed ?? (() => true);
  return allowed ? (id) => !exclude.has(id) && allowed(id) : (id) => !exclude.has(id);
}

function checkId(id: number): void {
  if (!Number.isSafeInteger(id)) throw new Error(`embedding-index: id must be a safe integer, got ${id}`);
}
