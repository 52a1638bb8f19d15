// The Shoebox core service: one open library (data folder) with its store, the active model's
// inference worker (started on first use), the in-memory search index and the job runner.
// Every transport (CLI, IPC, HTTP) reaches it only through the API table in core/api.
import { mkdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createInferenceClient, type InferenceClient } from './clip/inference-client.js';
import type { ClipModelInfo } from './clip/clip-model.js';
import { loadModelFolder } from './clip/model-folder.js';
import { parsePreprocessConfig, type PreprocessConfig } from './imaging/decode.js';
import { indexCandidates, type IndexFailure } from './library/indexer.js';
import { addRoot } from './library/roots.js';
import { planScan, type ScanError } from './library/scan.js';
import { bundledModelsDir, dataPaths, DEFAULT_MODEL_ID, type DataPaths } from './paths.js';
import { EmbeddingIndex } from './search/embedding-index.js';
import { SearchService } from './search/search-service.js';
import { openStore, type Store } from './store/index.js';
import { SETTING_ACTIVE_MODEL } from './store/settings.js';
import type { RootRow } from './store/roots.js';
import { writeDemoLibrary } from './synthetic/index.js';
import { JobRunner, type JobContext, type JobOutcome } from './jobs/runner.js';
import type { JsonValue } from './store/json.js';

/** The demo library is the same on every machine. */
export const DEMO_SEED = 2026;

/** Finished jobs whose results (an index summary lists every failed file) are kept for waitJob. */
const KEPT_OUTCOMES = 20;

export interface ShoeboxOptions {
  dataDir: string;
  /** Folder of the active model; default: the bundled shoebox-mini. */
  modelDir?: string;
  /** Execution provider preference ("cuda", "cpu", "dml,cpu" …); default: the platform's list. */
  provider?: string;
  threads?: number;
}

export interface IndexSummary {
  filesSeen: number;
  indexed: number;
  unchanged: number;
  moved: number;
  missing: number;
  failed: IndexFailure[];
  scanErrors: ScanError[];
  cancelled: boolean;
  seconds: number;
}

export interface LoadedSearch {
  service: SearchService;
  index: EmbeddingIndex;
}

interface ActiveModel {
  dir: string;
  id: string;
  preprocess: PreprocessConfig;
  client: InferenceClient;
}

export class Shoebox {
  readonly paths: DataPaths;
  readonly store: Store;
  readonly jobs: JobRunner;
  private readonly options: ShoeboxOptions;
  private model: Promise<ActiveModel> | null = null;
  private loaded: ActiveModel | null = null;
  private search: Promise<LoadedSearch> | null = null;

  private constructor(options: ShoeboxOptions, store: Store) {
    this.options = options;
    this.paths = dataPaths(options.dataDir);
    this.store = store;
    this.jobs = new JobRunner(store.jobs);
  }

  private readonly outcomes = new Map<number, Promise<JobOutcome<unknown>>>();

  /** Starts a background job; the outcomes of the last KEPT_OUTCOMES jobs stay available to waitJob. */
  startJob<T>(kind: string, params: JsonValue, run: (ctx: JobContext) => Promise<T>): number {
    const handle = this.jobs.start(kind, params, run);
    this.outcomes.set(handle.id, handle.outcome);
    for (const id of this.outcomes.keys()) {
      if (this.outcomes.size <= KEPT_OUTCOMES) break;
      this.outcomes.delete(id); // Map keeps insertion order: oldest first
    }
    return handle.id;
  }

  /** The outcome of a job started in this session; undefined for unknown ids. */
  waitJob(jobId: number): Promise<JobOutcome<unknown>> | undefined {
    return this.outcomes.get(jobId);
  }

  static async open(options: ShoeboxOptions): Promise<Shoebox> {
    const paths = dataPaths(options.dataDir);
    await mkdir(paths.root, { recursive: true });
    await mkdir(paths.thumbnails, { recursive: true });
    return new Shoebox(options, openStore(paths.database));
  }

  /** The active model's folder: explicit option, else the stored setting, else the bundled model. */
  modelDir(): string {
    if (this.options.modelDir) return path.resolve(this.options.modelDir);
    // A model id names a folder: letters, digits, dot, dash, underscore only.
    const modelId = this.store.settings.get(SETTING_ACTIVE_MODEL, (v) => z.string().regex(/^[\w.-]+$/).parse(v)) ?? DEFAULT_MODEL_ID;
    return path.join(bundledModelsDir(), modelId);
  }

  /**
   * The active model's inference worker, started on first use and started again after a crash
   * (a crashed worker would otherwise fail every later encode until the app restarts).
   */
  activeModel(): Promise<ActiveModel> {
    if (this.loaded && !this.loaded.client.alive()) {
      this.loaded = null;
      this.model = null;
      this.invalidateSearch(); // its text encoder was the dead worker
    }
    this.model ??= (async () => {
      const dir = this.modelDir();
      const folder = await loadModelFolder(dir);
      const cfgFile = path.join(dir, 'visual', 'preprocess_cfg.json');
      const preprocess = parsePreprocessConfig(JSON.parse(await readFile(cfgFile, 'utf8')), cfgFile);
      const client = await createInferenceClient({
        modelDir: dir,
        ...(this.options.provider ? { provider: this.options.provider } : {}),
        ...(this.options.threads ? { threads: this.options.threads } : {}),
      });
      this.loaded = { dir, id: folder.manifest.id, preprocess, client };
      return this.loaded;
    })();
    this.model.catch(() => (this.model = null));
    return this.model;
  }

  async modelInfo(): Promise<ClipModelInfo> {
    return (await this.activeModel()).client.info();
  }

  /** The search service over the active model's embeddings, loaded from the store once. */
  searchService(): Promise<LoadedSearch> {
    this.search ??= (async () => {
      const model = await this.activeModel();
      const info = model.client.info();
      const index = new EmbeddingIndex(info.embedDim);
      const service = new SearchService({ index, encodeText: (texts) => model.client.encodeTexts(texts) });
      const { ids, matrix, dim } = this.store.embeddings.loadAll(model.id);
      if (ids.length > 0) {
        if (dim !== info.embedDim) throw new Error(`Stored embeddings have ${dim} dimensions but ${model.id} makes ${info.embedDim}: re-index the library.`);
        service.loadImages(ids, matrix);
      }
      return { service, index };
    })();
    this.search.catch(() => (this.search = null));
    return this.search;
  }

  /** Drops the in-memory index; the next search reloads it from the store. */
  invalidateSearch(): void {
    const current = this.search;
    this.search = null;
    void current?.then((s) => s.index.close()).catch(() => undefined);
  }

  /** A user-given photo path as stored (absolute, symlinks resolved); unchanged when it does not exist. */
  async resolvePhotoPath(file: string): Promise<string> {
    return realpath(path.resolve(file)).catch(() => path.resolve(file));
  }

  /** The library folder at `folder` (compared by real path), if it is one. */
  async findRoot(folder: string): Promise<RootRow | undefined> {
    const real = await this.resolvePhotoPath(folder);
    return this.store.roots.list().find((r) => r.path === real);
  }

  async addRoot(folder: string) {
    return addRoot(this.store, folder);
  }

  /**
   * The demo library (generated photos, a few broken files among them) in the data folder, added
   * as a library folder; written once, and reused when it is already a root.
   */
  addDemoLibrary(count: number): Promise<RootRow> {
    // One at a time: two quick clicks must not write the folder twice or add it twice.
    const run = this.demoQueue.then(() => this.addDemoLibraryNow(count));
    this.demoQueue = run.catch(() => undefined);
    return run;
  }

  private demoQueue: Promise<unknown> = Promise.resolve();

  private async addDemoLibraryNow(count: number): Promise<RootRow> {
    const folder = path.join(this.paths.root, 'demo-library');
    const existing = await this.findRoot(folder);
    if (existing) return existing;
    await writeDemoLibrary(folder, { seed: DEMO_SEED, count, withBadFiles: true });
    return addRoot(this.store, folder);
  }

  /** Scans the roots (all, or the given ids) and indexes what changed. Runs as a job. */
  async indexLibrary(ctx: JobContext, rootIds?: readonly number[]): Promise<IndexSummary> {
    const started = Date.now();
    const model = await this.activeModel();
    const info = model.client.info();
    const roots = this.store.roots.list().filter((r) => !rootIds || rootIds.includes(r.id));
    const plan = await planScan(this.store, roots.map((r) => ({ id: r.id, path: r.path })), model.id, {
      signal: ctx.signal,
      onProgress: (p) => ctx.progress({ done: 0, total: null, currentFile: p.currentPath }),
    });
    // The search index may be loaded before, during or not at all in this run: new vectors go to
    // whichever index is current when they are committed (a later load reads them from the store).
    const withSearch = (fn: (s: LoadedSearch) => void): void => {
      void this.search?.then(fn).catch(() => undefined);
    };
    for (const m of plan.moved) {
      const vector = this.store.embeddings.get(m.photoId, model.id);
      if (vector) withSearch((s) => s.service.upsertImage(m.photoId, vector));
    }
    const run = await indexCandidates(
      {
        store: this.store,
        modelId: model.id,
        preprocess: model.preprocess,
        encodeImages: (batch) => model.client.encodeImages(batch),
        thumbnailsDir: this.paths.thumbnails,
        batchSize: info.batch === 'dynamic' ? 8 : info.batch,
      },
      plan.toIndex,
      {
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
        onCommitted: (items) => {
          withSearch((s) => {
            for (const { photoId, vector } of items) s.service.upsertImage(photoId, vector);
          });
        },
      },
    );
    // Photos that went missing or now fail leave search: rebuild the index lazily from the store.
    if (plan.missing > 0 || run.failures.length > 0) this.invalidateSearch();
    return {
      filesSeen: plan.filesSeen,
      indexed: run.indexed,
      unchanged: plan.unchanged,
      moved: plan.moved.length,
      missing: plan.missing,
      failed: run.failures,
      scanErrors: plan.scanErrors,
      cancelled: run.cancelled,
      seconds: (Date.now() - started) / 1000,
    };
  }

  private closing: Promise<void> | null = null;

  /** Stops jobs (they end 'interrupted'), the inference worker and the search threads; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.jobs.shutdown();
    const model = this.model ? await this.model.catch(() => null) : null;
    const search = this.search ? await this.search.catch(() => null) : null;
    search?.index.close();
    await model?.client.close();
    this.store.close();
  }
}
