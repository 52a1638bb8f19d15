// Models as the interface knows them: what is installed (with disk use and photos embedded), the
// catalogue of downloadable ones, and the model jobs: the switch (one at a time; the jobs state's
// newest 'model-switch' event), downloads and int8 copies (each by its job id, since several may be
// queued).
// Job events carry no parameters, so which model a job is about is remembered from the call that
// started it, or read from the job list for jobs this page did not start (a reload, another tab).
// A finished switch refreshes the library's status, so the status line names the new model.
import { SvelteMap } from 'svelte/reactivity';
import type { ApiOutput, ShoeboxClient } from '../api/client.js';
import { isLive, type JobOf, type JobsState } from './jobs.svelte.js';
import type { LibraryState } from './library.svelte.js';
import { errorMessage } from '../../../../electron/common/error-message.js';

export type ModelList = ApiOutput<'models.list'>;
export type InstalledModel = ModelList['installed'][number];
export type CatalogueModel = ModelList['catalogue'][number];
export type SwitchJob = JobOf<'model-switch'>;
export type DownloadJob = JobOf<'model-download'>;
export type QuantizeJob = JobOf<'model-quantize'>;

/** A refused action, shown next to what it was about (a model id, a repository). */
export interface ActionError {
  about: string;
  message: string;
}

function messageOf(err: unknown): string {
  return errorMessage(err);
}

/** The model a job works on, from its stored parameters ({modelId} or {repo}). */
function targetOf(params: unknown): string | null {
  if (typeof params !== 'object' || params === null) return null;
  if ('modelId' in params && typeof params.modelId === 'string') return params.modelId;
  if ('repo' in params && typeof params.repo === 'string') return params.repo;
  return null;
}

function copiesAfterOriginals(models: readonly InstalledModel[]): InstalledModel[] {
  const hasOriginal = (m: InstalledModel): boolean => m.int8Of !== null && models.some((o) => o.id === m.int8Of);
  const listed = models.filter((m) => !hasOriginal(m));
  for (const copy of models.filter(hasOriginal)) listed.splice(listed.findIndex((o) => o.id === copy.int8Of) + 1, 0, copy);
  return listed;
}

export class ModelsState {
  list = $state.raw<ModelList | null>(null);
  /** Why the list could not be read. */
  loadError = $state<string | null>(null);
  importing = $state(false);
  importError = $state<string | null>(null);
  /** The model imported last in this page, to say so. */
  imported = $state<string | null>(null);
  /** A refused Use or Remove (about: the model id). */
  actionError = $state.raw<ActionError | null>(null);
  /** A download that could not start (about: the repository). */
  downloadError = $state.raw<ActionError | null>(null);
  /** The model being removed now. */
  removing = $state<string | null>(null);
  /** The model being timed now (models.measure). */
  measuring = $state<string | null>(null);
  /** What the last removal freed, to say so. */
  removed = $state.raw<{ displayName: string; bytesFreed: number } | null>(null);

  /** The newest switch (only one runs at a time), live or finished; null once dismissed. */
  readonly switchJob: SwitchJob | null;
  readonly switching: boolean;
  /** The model a switch is embedding for, by job id. */
  readonly #targets = new SvelteMap<number, string>();
  /** Jobs whose target was looked up already (found or not). */
  readonly #lookedUp = new Set<number>();
  /** Download jobs seen in this page, by job id. */
  readonly #downloads = new SvelteMap<number, DownloadJob>();
  /** Int8 copies being made (or made) in this page, by job id. */
  readonly #copies = new SvelteMap<number, QuantizeJob>();
  /** Calls that start a job and are waiting for its id: a lookup of an unknown job waits for them. */
  #starting = 0;
  #lookingUp = false;

  constructor(
    private readonly client: ShoeboxClient,
    private readonly jobs: JobsState,
    private readonly library: LibraryState,
    /** Runs after the active model changed (the search shown is run again). */
    private readonly onSwitched: () => void,
  ) {
    this.switchJob = $derived(jobs.byKind('model-switch'));
    this.switching = $derived(isLive(this.switchJob));
  }

  readonly activeId = $derived(this.list?.activeId ?? null);
  readonly installed: readonly InstalledModel[] = $derived(this.list?.installed ?? []);
  /** The installed models as the panel lists them: each int8 copy right after its original, to compare. */
  readonly listed: readonly InstalledModel[] = $derived(copiesAfterOriginals(this.installed));
  readonly active: InstalledModel | null = $derived(this.installed.find((m) => m.id === this.activeId) ?? null);
  /** Switching is off while this run uses --model. */
  readonly locked = $derived((this.list?.overrideDir ?? null) !== null);

  /** The model the switch works on, when known. */
  get switchTarget(): string | null {
    return this.switchJob ? (this.#targets.get(this.switchJob.jobId) ?? null) : null;
  }

  /** A model's display name, or the id itself when it is not installed (any more). */
  nameOf(id: string | null): string {
    if (id === null) return 'the new model';
    return this.installed.find((m) => m.id === id)?.displayName ?? id;
  }

  /** The newest download of `repo` seen in this page, live or finished (until dismissed). */
  downloadOf(repo: string): DownloadJob | null {
    let newest: DownloadJob | null = null;
    for (const [jobId, job] of this.#downloads) {
      if (this.#targets.get(jobId) === repo && (!newest || jobId > newest.jobId)) newest = job;
    }
    return newest;
  }

  /** The newest int8 copy of the model `id` seen in this page, live or finished (until dismissed). */
  int8JobOf(id: string): QuantizeJob | null {
    let newest: QuantizeJob | null = null;
    for (const [jobId, job] of this.#copies) {
      if (this.#targets.get(jobId) === id && (!newest || jobId > newest.jobId)) newest = job;
    }
    return newest;
  }

  /** The model an int8 copy was made from, when it is installed. */
  originalOf(copy: InstalledModel): InstalledModel | null {
    return copy.int8Of === null ? null : (this.installed.find((m) => m.id === copy.int8Of) ?? null);
  }

  async refresh(): Promise<void> {
    try {
      this.list = await this.client.call('models.list', {});
      this.loadError = null;
    } catch (err) {
      this.loadError = messageOf(err);
    }
    // Jobs that were running when the page opened (the jobs state was seeded from the status).
    const download = this.jobs.byKind('model-download');
    if (download && isLive(download) && !this.#downloads.has(download.jobId)) this.#downloads.set(download.jobId, download);
    const copy = this.jobs.byKind('model-quantize');
    if (copy && isLive(copy) && !this.#copies.has(copy.jobId)) this.#copies.set(copy.jobId, copy);
    for (const job of [this.switchJob, download, copy]) if (job && isLive(job)) this.#learn(job.jobId);
  }

  /** Follows the model jobs' events (and indexing, which embeds with the active model); returns the unsubscribe function. */
  listen(): () => void {
    const stops = [
      this.jobs.on('model-switch', (event) => {
        this.#learn(event.jobId);
        if (isLive(event)) return;
        void this.refresh();
        if (event.state === 'done') void this.#modelChanged();
      }),
      this.jobs.on('model-download', (event) => {
        this.#downloads.set(event.jobId, event);
        this.#learn(event.jobId);
        if (event.state === 'done') void this.refresh();
      }),
      this.jobs.on('model-quantize', (event) => {
        this.#copies.set(event.jobId, event);
        this.#learn(event.jobId);
        // Done: the copy is listed with its speed (and the original's, when this job measured it).
        if (event.state === 'done') void this.refresh();
      }),
      this.jobs.on('index', (event) => {
        if (!isLive(event) && this.list) void this.refresh();
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** Starts switching to `id`: its embeddings first, then it becomes active. */
  async use(id: string): Promise<void> {
    this.actionError = null;
    this.removed = null;
    this.imported = null;
    await this.#start(async () => {
      try {
        const { jobId } = await this.client.call('models.use', { id });
        this.#targets.set(jobId, id);
      } catch (err) {
        this.actionError = { about: id, message: messageOf(err) };
      }
    });
  }

  /** Starts making a faster, slightly less exact int8 copy of `model`; it is listed (with its speed) once made. */
  async makeInt8Copy(model: InstalledModel): Promise<void> {
    this.actionError = null;
    this.removed = null;
    await this.#start(async () => {
      try {
        const { jobId } = await this.client.call('models.quantize', { id: model.id });
        this.#targets.set(jobId, model.id);
      } catch (err) {
        this.actionError = { about: model.id, message: messageOf(err) };
      }
    });
  }

  /** Times a model on this machine; the list then shows its speed. */
  async measure(model: InstalledModel): Promise<void> {
    this.actionError = null;
    this.measuring = model.id;
    try {
      await this.client.call('models.measure', { id: model.id });
      await this.refresh();
    } catch (err) {
      this.actionError = { about: model.id, message: messageOf(err) };
    } finally {
      this.measuring = null;
    }
  }

  async remove(model: InstalledModel): Promise<boolean> {
    this.actionError = null;
    this.removing = model.id;
    try {
      const r = await this.client.call('models.remove', { id: model.id });
      this.removed = { displayName: model.displayName, bytesFreed: r.bytesFreed };
      if (this.imported === model.id) this.imported = null;
      await this.refresh();
      return true;
    } catch (err) {
      this.actionError = { about: model.id, message: messageOf(err) };
      return false;
    } finally {
      this.removing = null;
    }
  }

  /** Copies the model folder at `path` into the data folder. */
  async importFolder(path: string): Promise<boolean> {
    this.importing = true;
    this.importError = null;
    this.imported = null;
    this.removed = null;
    try {
      const { id } = await this.client.call('models.import', { path });
      this.imported = id;
      await this.refresh();
      return true;
    } catch (err) {
      this.importError = messageOf(err);
      return false;
    } finally {
      this.importing = false;
    }
  }

  async download(repo: string, variant: string): Promise<void> {
    this.downloadError = null;
    await this.#start(async () => {
      try {
        const { jobId } = await this.client.call('models.download', variant === '' ? { repo } : { repo, variant });
        this.#targets.set(jobId, repo);
      } catch (err) {
        this.downloadError = { about: repo, message: messageOf(err) };
      }
    });
  }

  cancel(jobId: number): Promise<void> {
    return this.jobs.cancel(jobId);
  }

  /** Forgets a finished switch's outcome. */
  dismissSwitch(): void {
    if (this.switchJob && !isLive(this.switchJob)) this.jobs.dismiss('model-switch');
  }

  /** Forgets a finished download's outcome. */
  dismissDownload(jobId: number): void {
    const job = this.#downloads.get(jobId);
    if (job && !isLive(job)) this.#downloads.delete(jobId);
  }

  /** Forgets a finished int8 copy's outcome. */
  dismissInt8Job(jobId: number): void {
    const job = this.#copies.get(jobId);
    if (job && !isLive(job)) this.#copies.delete(jobId);
  }

  async #start(call: () => Promise<void>): Promise<void> {
    this.#starting++;
    try {
      await call();
    } finally {
      this.#starting--;
    }
  }

  /** Finds out which model job `jobId` is about, unless known or about to be (its starting call answers with it). */
  #learn(jobId: number): void {
    if (this.#targets.has(jobId) || this.#lookedUp.has(jobId) || this.#starting > 0 || this.#lookingUp) return;
    // Once per job: a job older than jobs.list's recent rows would otherwise be asked for on every event.
    this.#lookedUp.add(jobId);
    this.#lookingUp = true;
    this.client.call('jobs.list', {}).then(
      (r) => {
        this.#lookingUp = false;
        for (const row of r.recent) {
          const target = targetOf(row.params);
          if ((row.kind === 'model-switch' || row.kind === 'model-download' || row.kind === 'model-quantize') && target !== null && !this.#targets.has(row.id)) this.#targets.set(row.id, target);
        }
      },
      () => {
        // Not knowing the target only leaves a name out ("the new model"); the job still shows.
        this.#lookingUp = false;
      },
    );
  }

  async #modelChanged(): Promise<void> {
    await Promise.all([this.library.refresh(), this.library.loadModel()]);
    this.onSwitched();
  }
}
