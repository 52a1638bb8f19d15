// Splits one scan of the quantised matrix between the calling thread and one worker thread that
// shares the matrix's WebAssembly memory. The search API stays synchronous: the caller posts a
// job through a small control block, scans chunks itself, and blocks on Atomics.wait only if
// the worker actually took part. Both sides pull row chunks from a shared counter, so a worker
// that is slow to wake (its core busy with inference or training) costs nothing: the caller
// simply does all the chunks and claims the job for itself.
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
const SLOTS = 8;

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
  private closed = false;
  private readonly started: Promise<void>;

  constructor(private readonly matrix: QuantizedMatrix) {
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

  /** Scans rows [0, rows) using both threads (the matrix's query must already be set). */
  scan(rows: number, chunk: number): void {
    if (!this.ready) {
      this.matrix.scan(0, rows);
      return;
    }
    const ctl = this.ctl;
    const seq = ++this.seq;
    Atomics.store(ctl, NEXT, 0);
    Atomics.store(ctl, END, rows);
    Atomics.store(ctl, CHUNK, chunk);
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
    for (;;) {
      const start = Atomics.add(ctl, NEXT, chunk);
      if (start >= rows) break;
      this.matrix.scan(start, Math.min(start + chunk, rows));
    }
    // If the worker never claimed the job, claiming it here means it never will.
    if (Atomics.compareExchange(ctl, CLAIM, seq - 1, seq) === seq - 1) return;
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done === seq) return;
      Atomics.wait(ctl, DONE, done);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, EXIT, 1);
    Atomics.add(this.ctl, SEQ, 1);
    Atomics.notify(this.ctl, SEQ);
  }
}
