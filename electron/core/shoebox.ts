// The Shoebox core: the composition root that opens one library (data folder) and wires its
// rooms together: the store, the job runner, the active model, the search index and the demo
// library. It holds no feature logic of its own; every transport (CLI, IPC, HTTP) reaches the
// rooms only through the API table in core/api.
import path from 'node:path';
import { removeStaleTempFiles } from './imaging/thumbnails.js';
import { removeStaleStaging } from './models/import.js';
import { JobRunner } from './jobs/runner.js';
import { DemoLibrary } from './library/demo.js';
import { resumeInterruptedIndex } from './library/index-job.js';
import type { HubConnectionOptions } from './models/hub/index.js';
import type { EarlyModel } from './models/early-model.js';
import { ModelHost } from './models/model-host.js';
import { dataFolderError, dataPaths, isDiskFull, prepareDataFolder, type DataPaths } from './paths.js';
import { FinetuneHost } from './finetune/finetune-host.js';
import { SearchHost } from './search/search-host.js';
import { SortingHost } from './sorting/sorting-host.js';
import { openStore, type Store } from './store/index.js';
import { errorMessage } from '../common/error-message.js';

export interface ShoeboxOptions {
  dataDir: string;
  /** Folder of the active model; default: the stored choice, else the bundled shoebox-mini. */
  modelDir?: string;
  /** Execution provider preference ("cuda", "cpu", "dml,cpu" …); default: the platform's list. */
  provider?: string;
  threads?: number;
  /** The active model's worker, started before the core loaded (models/early-model.ts). */
  earlyModel?: EarlyModel | null;
  /** Hub endpoint, token and retry settings for downloads; default: HF_ENDPOINT, HF_TOKEN, proxies. */
  hub?: HubConnectionOptions;
  /**
   * Start again the indexing that did not finish (crash, kill -9, closed while indexing), saying
   * so on stdout. For the app and the server, which stay open; not for one-shot CLI commands
   * (`shoebox index` resumes by itself: it indexes what is not indexed yet).
   */
  resumeInterrupted?: boolean;
}

export class Shoebox {
  readonly paths: DataPaths;
  readonly store: Store;
  readonly jobs: JobRunner;
  readonly models: ModelHost;
  readonly search: SearchHost;
  readonly sorting: SortingHost;
  readonly finetune: FinetuneHost;
  readonly demo: DemoLibrary;
  readonly hub: HubConnectionOptions | undefined;
  private resumed: number | null = null;
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
      early: options.earlyModel ?? null,
    });
    this.search = new SearchHost(store, this.models);
    this.sorting = new SortingHost(store, this.models, this.search);
    this.finetune = new FinetuneHost({ store, models: this.models, search: this.search, jobs: this.jobs });
    this.demo = new DemoLibrary(store, paths.root);
  }

  static async open(options: ShoeboxOptions): Promise<Shoebox> {
    // Absolute, so that no later step depends on this process's working folder.
    const paths = dataPaths(path.resolve(options.dataDir));
    await prepareDataFolder(paths);
    const store = openStore(paths.database);
    let core: Shoebox;
    try {
      core = new Shoebox(options, paths, store);
    } catch (err) {
      // Marking the last run's jobs interrupted is a write: on a full disk, say which disk.
      closeStore(store);
      throw isDiskFull(err) ? dataFolderError(paths.root, err) : err;
    }
    // Thumbnails a killed process was writing; reads one small folder.
    await removeStaleTempFiles(paths.thumbnails);
    // Model imports and downloads a killed process was assembling; reads one small folder.
    await removeStaleStaging(paths.models);
    if (options.resumeInterrupted) core.resumeIndexing();
    return core;
  }

  /** The index job started at open to resume an interrupted one (resumeInterrupted), if any. */
  get resumedIndexJob(): number | null {
    return this.resumed;
  }

  private resumeIndexing(): void {
    try {
      const resumed = resumeInterruptedIndex(this);
      if (!resumed) return;
      this.resumed = resumed.jobId;
      console.log(`Resuming the indexing that was interrupted (job ${resumed.resumes.join(', ')}) as job ${resumed.jobId}.`);
    } catch (err) {
      // Opening the library matters more: the person can start indexing again.
      console.error(`Could not resume the interrupted indexing: ${errorMessage(err)}`);
    }
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
    closeStore(this.store);
  }
}

/** Closes the store even when its last write fails (PRAGMA optimize on a full disk), so the file is let go. */
function closeStore(store: Store): void {
  try {
    store.close();
  } catch (err) {
    process.emitWarning(`Closing the library database: ${errorMessage(err)}`);
    if (store.db.open) store.db.close();
  }
}
