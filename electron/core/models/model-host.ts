// Which model is active and its running form: the folder it loads from (an explicit --model,
// else the stored choice, else the bundled shoebox-mini), its preprocessing, and the inference
// worker that runs it, started on first use and started again after a crash. Installed models
// (downloads, imports) will live in the data folder's models/ (DataPaths.models).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ClipModelInfo } from '../clip/clip-model.js';
import { createInferenceClient, type InferenceClient } from '../clip/inference-client.js';
import { loadModelFolder } from '../clip/model-folder.js';
import type { PreprocessConfig } from '../imaging/decode.js';
import { bundledModelsDir, DEFAULT_MODEL_ID } from '../paths.js';
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
}

export interface ActiveModel {
  dir: string;
  id: string;
  preprocess: PreprocessConfig;
  client: InferenceClient;
}

/** A model id names a folder: letters, digits, dot, dash, underscore only. */
const modelId = z.string().regex(/^[\w.-]+$/);

export class ModelHost {
  private model: Promise<ActiveModel> | null = null;
  private loaded: ActiveModel | null = null;
  private readonly restartListeners = new Set<() => void>();

  constructor(private readonly options: ModelHostOptions) {}

  /** The active model's folder: explicit option, else the stored setting, else the bundled model. */
  dir(): string {
    if (this.options.modelDir) return path.resolve(this.options.modelDir);
    const id = this.options.settings.get(SETTING_ACTIVE_MODEL, (v) => modelId.parse(v)) ?? DEFAULT_MODEL_ID;
    const installed = path.join(this.options.installedDir, id);
    return existsSync(installed) ? installed : path.join(bundledModelsDir(), id);
  }

  /**
   * The active model's inference worker, started on first use and started again after a crash
   * (a crashed worker would otherwise fail every later encode until the app restarts).
   */
  active(): Promise<ActiveModel> {
    if (this.loaded && !this.loaded.client.alive()) {
      this.loaded = null;
      this.model = null;
      for (const listener of this.restartListeners) listener(); // e.g. search: its text encoder was the dead worker
    }
    this.model ??= this.start();
    this.model.catch(() => (this.model = null));
    return this.model;
  }

  async info(): Promise<ClipModelInfo> {
    return (await this.active()).client.info();
  }

  /** Called when the running model is replaced (after a crash; later also on a switch). */
  onRestart(listener: () => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /** Stops the inference worker, if one was started. */
  async close(): Promise<void> {
    const model = this.model ? await this.model.catch(() => null) : null;
    await model?.client.close();
  }

  private async start(): Promise<ActiveModel> {
    const dir = this.dir();
    const folder = await loadModelFolder(dir);
    const client = await createInferenceClient({
      modelDir: dir,
      ...(this.options.provider ? { provider: this.options.provider } : {}),
      ...(this.options.threads ? { threads: this.options.threads } : {}),
    });
    this.loaded = { dir, id: folder.id, preprocess: folder.preprocess, client };
    return this.loaded;
  }
}
