// Where a model id lives (installed first, then bundled) and which folder a run uses. Kept free of
// heavy imports: the command line resolves it before the rest of Shoebox has loaded (early-tower.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundledModelsDir, DEFAULT_MODEL_ID } from '../paths.js';

/** What a model id may be: a folder name without path tricks. */
export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A stored model id, checked (for SettingsRepo.get); throws on anything else. */
export function parseModelId(value: unknown): string {
  if (typeof value !== 'string' || !MODEL_ID.test(value)) throw new Error(`not a model id: ${JSON.stringify(value)}`);
  return value;
}

/** The folder of an installed or bundled model id (installed first); null when neither has it. */
export function modelFolderOf(id: string, installedDir: string): string | null {
  if (!MODEL_ID.test(id)) return null;
  for (const dir of [path.join(installedDir, id), path.join(bundledModelsDir(), id)]) {
    if (existsSync(dir)) return dir;
  }
  return null;
}

/** The folder a run uses: --model when given, else the chosen id's folder, else the bundled default. */
export function activeModelDir(options: { modelDir?: string | undefined; chosenId: string | undefined; installedDir: string }): string {
  if (options.modelDir) return path.resolve(options.modelDir);
  const id = options.chosenId ?? DEFAULT_MODEL_ID;
  return modelFolderOf(id, options.installedDir) ?? path.join(bundledModelsDir(), id);
}
