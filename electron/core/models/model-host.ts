// Which model is active and its running form: the folder it loads from (an explicit --model,
// else the stored choice, else the bundled shoebox-mini), its preprocessing, and the inference
// worker that runs it, started on first use and started again after a crash. Installed models
// (downloads, imports) live in the data folder's models/ (DataPaths.models); a switch to another
// one hands over a worker the switch job already started (models/switch-job.ts).
import path from 'node:path';
import type { ClipModelInfo } from '../clip/clip-model.js';
import { createInferenceClient, type InferenceClient } from '../clip/inference-client.js';
import type { EarlyModel } from './early-model.js';
import { loadModelFolder } from '../clip/model-folder.js';
import { activeModelDir, modelFolderOf, parseModelId } from './model-dirs.js';
import type { PreprocessConfig } from '../imaging/decode.js';
import { DEFAULT_MODEL_ID } from '../paths.js';
import { SETTING_ACTIVE_MODEL, type SettingsRepo } from '../store/settings.js';

export interface ModelHostOptions {
  settings: SettingsRepo;
  /** Where installed models live (DataPaths.models); searched before the bundled models. */
  installedDir: string;
  /** Folder of the model to use instead of the stored choice (--model). */
  modelDir?: string;
  /** Execution provider preference ("cuda", "cpu", "dml,cpu" …); default: the platform's list. */
  provider?: string;
  threads?: number;
  /** A worker started before the core loaded (early-model.ts), used if it runs the folder this host opens. */
  early?: EarlyModel | null;
}

export interface ActiveModel {
  dir: string;
  id: string;
  preprocess: PreprocessConfig;
  client: InferenceClient;
}

/** A model whose folder is read and whose inference worker may still be starting. */
export interface ModelOnTheWay {
  id: string;
  preprocess: PreprocessConfig;
  ready: Promise<ActiveModel>;
  /** True when its worker is starting for this caller (false: it was already running). */
  starting: boolean;
}

/** An already running model, as one on the way. */
export function arrived(model: ActiveModel): ModelOnTheWay {
  return { id: model.id, preprocess: model.preprocess, ready: Promise.resolve(model), starting: false };
}

export class ModelHost {
  private model: Promise<ActiveModel> | null = null;
  private loaded: ActiveModel | null = null;
  private readonly restartListeners = new Set<() => void>();
  private readonly early: EarlyModel | null;

  constructor(private readonly options: ModelHostOptions) {
    this.early = options.early ?? null;
  }

  /** The folder of an installed or bundled model id (installed first); null when neither has it. */
  folderOf(id: string): string | null {
    return modelFolderOf(id, this.options.installedDir);
  }

  /** The stored choice (an id), whether or not --model overrides it this run. */
  chosenId(): string {
    return this.options.settings.get(SETTING_ACTIVE_MODEL, parseModelId) ?? DEFAULT_MODEL_ID;
  }

  /** The folder this run was told to use with --model, if any: then the stored choice does not apply. */
  overrideDir(): string | undefined {
    return this.options.modelDir ? path.resolve(this.options.modelDir) : undefined;
  }

  /** The active model's folder: explicit option, else the stored setting, else the bundled model. */
  dir(): string {
    return activeModelDir({ modelDir: this.options.modelDir, chosenId: this.chosenId(), installedDir: this.options.installedDir });
  }

  /**
   * The active model's inference worker, started on first use and started again after a crash
   * (a crashed worker would otherwise fail every later encode until the app restarts).
   */
  active(): Promise<ActiveModel> {
    if (this.loaded && !this.loaded.client.alive()) {
      this.loaded = null;
      this.model = null;
      this.notifyRestart(); // e.g. search: its text encoder was the dead worker
    }
    this.model ??= this.open(this.dir()).then((m) => (this.loaded = m));
    this.model.catch(() => (this.model = null));
    return this.model;
  }

  /**
   * The active model's id and preprocessing at once (its folder's configs), and its worker as it
   * starts: indexing scans and decodes while the image tower loads, which for ViT-B/32 is most of
   * a small job's wait.
   */
  async activeSoon(): Promise<ModelOnTheWay> {
    if (this.loaded?.client.alive()) return arrived(this.loaded);
    const folder = await loadModelFolder(this.dir());
    const ready = this.active().then((m) => {
      if (m.id !== folder.id) throw new Error(`The active model changed from ${folder.id} to ${m.id} while indexing started; index again.`);
      return m;
    });
    ready.catch(() => undefined); // awaited by the job; a failure is reported there
    return { id: folder.id, preprocess: folder.preprocess, ready, starting: true };
  }

  async info(): Promise<ClipModelInfo> {
    return (await this.active()).client.info();
  }

  /** Called when the running model is replaced (after a crash, or a switch). */
  onRestart(listener: () => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /** Starts an inference worker for any model folder (the switch job embeds with it before it becomes active). */
  async open(dir: string): Promise<ActiveModel> {
    const folder = await loadModelFolder(dir);
    const client = (await this.adoptEarly(folder.dir)) ?? await createInferenceClient({
      modelDir: folder.dir,
      ...(this.options.provider ? { provider: this.options.provider } : {}),
      ...(this.options.threads ? { threads: this.options.threads } : {}),
    });
    return { dir: folder.dir, id: folder.id, preprocess: folder.preprocess, client };
  }

  /**
   * Makes `model` (opened with open()) the active one and stores the choice: later work and a
   * reloaded search use it, and the previous worker is closed.
   */
  async activate(model: ActiveModel): Promise<void> {
    if (this.overrideDir()) throw new Error(`Shoebox was started with --model ${this.overrideDir()}: start it without --model to switch models.`);
    const previous = this.model ? await this.model.catch(() => null) : null;
    this.options.settings.set(SETTING_ACTIVE_MODEL, model.id);
    this.loaded = model;
    this.model = Promise.resolve(model);
    this.notifyRestart();
    if (previous && previous.client !== model.client) await previous.client.close();
  }

  /** Stops the inference worker, if one was started (and an early one nobody adopted). */
  async close(): Promise<void> {
    const model = this.model ? await this.model.catch(() => null) : null;
    await model?.client.close();
    await this.early?.cancel();
  }

  /** The early worker when it runs `dir` (once); null otherwise, or when it failed (a fresh start then reports why). */
  private async adoptEarly(dir: string): Promise<InferenceClient | null> {
    return this.early?.dir === dir ? this.early.take() : null;
  }

  private notifyRestart(): void {
    for (const listener of this.restartListeners) listener();
  }
}
