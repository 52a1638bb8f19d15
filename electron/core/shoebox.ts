// The Shoebox core: the composition root that opens one library (data folder) and wires its
// rooms together: the store, the job runner, the active model, the search index and the demo
// library. It holds no feature logic of its own; every transport (CLI, IPC, HTTP) reaches the
// rooms only through the API table in core/api.
import { mkdir } from 'node:fs/promises';
import { JobRunner } from './jobs/runner.js';
import { DemoLibrary } from './library/demo.js';
import type { HubConnectionOptions } from './models/hub/index.js';
import { ModelHost } from './models/model-host.js';
import { dataPaths, type DataPaths } from './paths.js';
import { SearchHost } from './search/search-host.js';
import { openStore, type Store } from './store/index.js';

export interface ShoeboxOptions {
  dataDir: string;
  /** Folder of the active model; default: the stored choice, else the bundled shoebox-mini. */
  modelDir?: string;
  /** Execution provider preference ("cuda", "cpu", "dml,cpu" …); default: the platform's list. */
  provider?: string;
  threads?: number;
  /** Hub endpoint, token and retry settings for downloads; default: HF_ENDPOINT, HF_TOKEN, proxies. */
  hub?: HubConnectionOptions;
}

export class Shoebox {
  readonly paths: DataPaths;
  readonly store: Store;
  readonly jobs: JobRunner;
  readonly models: ModelHost;
  readonly search: SearchHost;
  readonly demo: DemoLibrary;
  readonly hub: HubConnectionOptions | undefined;
  private closing: Promise<void> | null = null;

  private constructor(options: ShoeboxOptions, paths: DataPaths, store: Store) {
    this.paths = paths;
    this.store = store;
    // Downloads wait on the network, not the cores: they queue apart from indexing.
    this.jobs = new JobRunner(store.jobs, { laneOf: (kind) => (kind === 'model-download' ? 'network' : 'cpu') });
    this.hub = options.hub;
    this.models = new ModelHost({
      settings: store.settings,
      installedDir: paths.models,
      ...(options.modelDir ? { modelDir: options.modelDir } : {}),
      ...(options.provider ? { provider: options.provider } : {}),
      ...(options.threads ? { threads: options.threads } : {}),
    });
    this.search = new SearchHost(store, this.models);
    this.demo = new DemoLibrary(store, paths.root);
  }

  static async open(options: ShoeboxOptions): Promise<Shoebox> {
    const paths = dataPaths(options.dataDir);
    await mkdir(paths.root, { recursive: true });
    await mkdir(paths.thumbnails, { recursive: true });
    return new Shoebox(options, paths, openStore(paths.database));
  }

  /** Stops jobs (they end 'interrupted'), the search threads and the inference worker, then closes the store; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.jobs.shutdown();
    await this.search.close();
    await this.models.close();
    this.store.close();
  }
}
