// The first-run demo library: generated photos (a few broken files among them) written once
// into the data folder and added as a library folder; asked for again, the same folder is
// returned. Indexing it is the caller's job (the API starts an index job).
import path from 'node:path';
import type { Store } from '../store/index.js';
import type { RootRow } from '../store/roots.js';
import { writeDemoLibrary } from '../synthetic/index.js';
import { addRoot, findRoot } from './roots.js';

/** The demo library is the same on every machine. */
export const DEMO_SEED = 2026;

export class DemoLibrary {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly dataDir: string,
  ) {}

  /** The demo library's folder, written and added on the first call. */
  add(count: number): Promise<RootRow> {
    // One at a time: two quick clicks must not write the folder twice or add it twice.
    const run = this.queue.then(() => this.addNow(count));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async addNow(count: number): Promise<RootRow> {
    const folder = path.join(this.dataDir, 'demo-library');
    const existing = await findRoot(this.store, folder);
    if (existing) return existing;
    await writeDemoLibrary(folder, { seed: DEMO_SEED, count, withBadFiles: true });
    return addRoot(this.store, folder);
  }
}
