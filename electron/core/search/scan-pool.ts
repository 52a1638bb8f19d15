// Splits one scan of the quantised matrix between the calling thread and one worker thread that
// shares the matrix's WebAssembly memory. The search API stays synchronous: the caller posts a
// job through a small control block and both threads pull row chunks from a shared counter.
//
// The caller never waits for the worker inside a scan. A worker that is slow to wake (its core
// busy with inference or training) is simply left out: the caller claims the job for itself.
// A worker preempted in the middle of a chunk does not stall the search either: the caller
// rescans every chunk not yet marked done (writing the same scores the worker will write), and
// only the *next* scan waits, in settle(), until the worker has left the old job, so a late
// worker can never write scores for an old query into a new one.
//
// Whether the worker helps depends on what else the machine is doing. On an idle 2-core machine
// it nearly halves a scan; when inference or training already keeps both cores busy, a second
// scanning thread only adds contention and makes scans slower. In adaptive mode the pool keeps a
// moving average of the time per row with and without the worker, uses the faster mode, and
// tries the other one every PROBE_EVERY scans so the choice follows the load.
//
// The worker body is plain JavaScript evaluated from a string: it runs the same way under tsx,
// compiled output and a packaged app, with no separate entry file to locate on disk.

import { Worker } from 'node:worker_threads';
import type { QuantizedMatrix } from './quantized-matrix.js';

// Int32 slots of the control block.
const SEQ = 0; // job number, bumped by the caller to post a job
const CLAIM = 1; // last job number claimed (by the worker or, if it was late, the caller)
const DONE = 2; // last job number the worker finished
const NEXT = 3; // next unscanned row
const END = 4; // rows to scan
const CHUNK = 5; // rows per grab
const READY = 6; // 1 once the worker has instantiated the kernel
const EXIT = 7; // 1 asks the worker to return
const FLAGS = 8; // FLAGS + c = job number whose chunk c the worker finished
/** Chunks per scan are capped so the done flags fit the control block. */
const MAX_CHUNKS = 64;
const SLOTS = FLAGS + MAX_CHUNKS;
const PROBE_EVERY = 16;
/** Weight of the newest measurement in the moving averages. */
const EMA_ALPHA = 0.3;
/**
 * settle() waits in slices of this length, and gives the worker up after SETTLE_LIMIT_MS: a
 * chunk takes about a millisecond, so a worker that holds one for seconds is stuck or gone.
 */
const WAIT_SLICE_MS = 50;
const SETTLE_LIMIT_MS = 2000;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, ptrs } = workerData;
const ctl = new Int32Array(control);
const scan = new WebAssembly.Instance(module, { env: { memory } }).exports.scan;
Atomics.store(ctl, ${READY}, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  if (Atomics.load(ctl, ${EXIT}) === 1) break;
  const seq = Atomics.load(ctl, ${SEQ});
  seen = seq;
  if (Atomics.compareExchange(ctl, ${CLAIM}, seq - 1, seq) !== seq - 1) continue;
  try {
    const end = Atomics.load(ctl, ${END});
    const chunk = Atomics.load(ctl, ${CHUNK});
    for (;;) {
      const start = Atomics.add(ctl, ${NEXT}, chunk);
      if (start >= end) break;
      scan(ptrs[0], ptrs[1], ptrs[2], ptrs[3], start, Math.min(start + chunk, end));
      Atomics.store(ctl, ${FLAGS} + start / chunk, seq);
    }
  } finally {
    Atomics.store(ctl, ${DONE}, seq);
    Atomics.notify(ctl, ${DONE});
  }
}
`;

export class ScanPool {
  private readonly ctl: Int32Array;
  private readonly worker: Worker;
  private seq = 0;
  /** The job the worker took part in and may still be inside (0: none). */
  private workerJob = 0;
  /** No new jobs for the worker (closed, failed, exited or given up). */
  private closed = false;
  /** The worker thread has stopped running: it can no longer write scores. */
  private exited = false;
  private readonly started: Promise<void>;
  private readonly mine = new Uint8Array(MAX_CHUNKS);
  /** Moving averages of milliseconds per row: [calling thread alone, with the worker]. */
  private readonly msPerRow: [number, number] = [NaN, NaN];
  private scans = 0;

  /** adaptive: choose per scan between one and two threads by measured speed (see above). */
  constructor(
    private readonly matrix: QuantizedMatrix,
    private readonly adaptive: boolean,
  ) {
    if (!matrix.shared) throw new Error('scan-pool: the matrix must live in shared memory');
    this.ctl = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: matrix.module,
        memory: matrix.memory,
        control: this.ctl.buffer,
        ptrs: [matrix.codesPtr, matrix.scalesPtr, matrix.queryPtr, matrix.outPtr],
      },
    });
    // An idle search index must not keep the process alive.
    this.worker.unref();
    this.started = new Promise((resolve, reject) => {
      this.worker.once('online', () => resolve());
      this.worker.once('error', (err) => {
        this.closed = true;
        reject(new Error(`scan-pool: worker thread failed: ${err.message}`));
      });
    });
    // A failure is reported through whenReady(); scans fall back to the calling thread.
    this.started.catch(() => undefined);
    this.worker.once('exit', () => {
      this.closed = true;
      this.exited = true;
    });
  }

  /** Resolves once the worker can take part in scans (tests and benchmarks wait on this). */
  async whenReady(): Promise<void> {
    // Held while waiting: an unref'd worker alone would let the process exit under the await.
    this.worker.ref();
    try {
      await this.started;
      while (!this.closed && Atomics.load(this.ctl, READY) !== 1) {
        await new Promise((r) => setTimeout(r, 1));
      }
    } finally {
      this.worker.unref();
    }
  }

  /** True when the worker is up; until then scans run on the calling thread alone. */
  get ready(): boolean {
    return !this.closed && Atomics.load(this.ctl, READY) === 1;
  }

  /**
   * Waits until the worker has left the previous job. Call before writing a new query into
   * the matrix; usually returns at once, since searches are far apart compared to a chunk.
   * A worker that exited is not waited for. One that keeps a chunk past SETTLE_LIMIT_MS is
   * stopped and scans go on without it: a search must not hang. (Only if that thread woke up
   * again before its termination took effect could it still write one old chunk's scores.)
   */
  settle(): void {
    if (this.workerJob === 0) return;
    const deadline = performance.now() + SETTLE_LIMIT_MS;
    for (;;) {
      const done = Atomics.load(this.ctl, DONE);
      if (done === this.workerJob || this.exited) break;
      if (performance.now() >= deadline) {
        this.giveUpWorker();
        break;
      }
      Atomics.wait(this.ctl, DONE, done, WAIT_SLICE_MS);
    }
    this.workerJob = 0;
  }

  /** Scans rows [0, rows) (settle() first, then set the query). */
  scan(rows: number, minChunk: number): void {
    if (!this.ready) {
      this.matrix.scan(0, rows);
      return;
    }
    if (!this.adaptive) {
      this.scanShared(rows, minChunk);
      return;
    }
    const [alone, shared] = this.msPerRow;
    // Untried modes first; then the faster one, except for a periodic probe of the other.
    let useWorker: boolean;
    if (Number.isNaN(shared)) useWorker = true;
    else if (Number.isNaN(alone)) useWorker = false;
    else useWorker = shared <= alone;
    if (++this.scans % PROBE_EVERY === 0) useWorker = !useWorker;
    const t0 = performance.now();
    if (useWorker) this.scanShared(rows, minChunk);
    else this.matrix.scan(0, rows);
    const perRow = (performance.now() - t0) / rows;
    const slot = useWorker ? 1 : 0;
    const prev = this.msPerRow[slot];
    this.msPerRow[slot] = Number.isNaN(prev) ? perRow : prev + EMA_ALPHA * (perRow - prev);
  }

  private scanShared(rows: number, minChunk: number): void {
    this.settle();
    const ctl = this.ctl;
    const chunk = Math.max(minChunk, Math.ceil(rows / MAX_CHUNKS));
    const chunks = Math.ceil(rows / chunk);
    const seq = ++this.seq;
    this.mine.fill(0, 0, chunks);
    Atomics.store(ctl, NEXT, 0);
    Atomics.store(ctl, END, rows);
    Atomics.store(ctl, CHUNK, chunk);
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
    for (;;) {
      const start = Atomics.add(ctl, NEXT, chunk);
      if (start >= rows) break;
      this.matrix.scan(start, Math.min(start + chunk, rows));
      this.mine[start / chunk] = 1;
    }
    // If the worker never claimed the job, claiming it here means it never will.
    if (Atomics.compareExchange(ctl, CLAIM, seq - 1, seq) === seq - 1) return;
    this.workerJob = seq;
    // Chunks the worker holds but has not finished: score them here rather than wait.
    for (let c = 0; c < chunks; c++) {
      if (this.mine[c] === 0 && Atomics.load(ctl, FLAGS + c) !== seq) {
        this.matrix.scan(c * chunk, Math.min((c + 1) * chunk, rows));
      }
    }
  }

  private giveUpWorker(): void {
    console.warn(`[scan-pool] the scan worker held a chunk for over ${SETTLE_LIMIT_MS} ms; searching on one thread from now on`);
    this.close();
    this.worker.terminate().catch(() => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, EXIT, 1);
    Atomics.add(this.ctl, SEQ, 1);
    Atomics.notify(this.ctl, SEQ);
  }
}
