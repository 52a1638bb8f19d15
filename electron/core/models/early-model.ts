// The image tower of the model a command will use, started while the rest of Shoebox loads. For a
// small `shoebox index` the command's own start-up (~0.45 s of module loading on 2 cores) would
// otherwise come before the tower's load instead of beside it. ModelHost adopts the worker when
// the folder it resolves is this one, and closes it otherwise. Light imports only: this runs first.
import Database from 'better-sqlite3';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { createInferenceClient, type InferenceClient } from '../clip/inference-client.js';
import { dataPaths } from '../paths.js';
import { SETTING_ACTIVE_MODEL, SettingsRepo } from '../store/settings.js';
import { activeModelDir, parseModelId } from './model-dirs.js';

export interface EarlyModel {
  /** The model folder, resolved (symlinks followed) as ModelHost resolves it. */
  dir: string;
  /** The worker, for ModelHost to use (once); null when taken before, or when it failed to start. */
  take(): Promise<InferenceClient | null>;
  /** Stops the worker unless it was taken: at once while it is still loading, else by closing it. */
  cancel(): Promise<void>;
}

/** The stored active model id, read without opening the library for writing; undefined if none or unreadable. */
function storedActiveId(database: string): string | undefined {
  try {
    const db = new Database(database, { readonly: true, fileMustExist: true });
    try {
      return new SettingsRepo(db).get(SETTING_ACTIVE_MODEL, parseModelId);
    } finally {
      db.close();
    }
  } catch {
    return undefined; // a new library, or one the core will report on properly when it opens it
  }
}

/** Starts the worker for the folder the run will use; null when that folder cannot be resolved. */
export function startModelEarly(options: { dataDir: string; modelDir?: string; provider?: string }): EarlyModel | null {
  const paths = dataPaths(path.resolve(options.dataDir));
  let dir: string;
  try {
    dir = realpathSync(activeModelDir({ modelDir: options.modelDir, chosenId: storedActiveId(paths.database), installedDir: paths.models }));
  } catch {
    return null; // a missing folder: the core says so with the reason
  }
  const controller = new AbortController();
  const client = createInferenceClient({ modelDir: dir, signal: controller.signal, ...(options.provider ? { provider: options.provider } : {}) });
  client.catch(() => undefined); // a failure is reported by the fresh start ModelHost then makes
  let taken = false;
  return {
    dir,
    take: async () => {
      if (taken) return null;
      taken = true;
      return client.catch(() => null);
    },
    cancel: async () => {
      if (taken) return;
      taken = true;
      controller.abort();
      await (await client.catch(() => null))?.close();
    },
  };
}
