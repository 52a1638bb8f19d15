// The models on this machine: the bundled ones (read-only, shipped with the app) and those
// installed into the data folder's models/ by a download or an import, each with its disk use.
// A folder that does not load is listed as a problem, not hidden, so the person can remove it.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { detectLayout, type LayoutName } from '../clip/folder-layouts.js';
import { loadModelFolder } from '../clip/model-folder.js';
import { listFolderFiles, MODEL_ID, RECORD_FILE } from '../clip/model-record.js';
import { errorMessage } from '../../common/error-message.js';

export interface InstalledModel {
  id: string;
  displayName: string;
  layout: LayoutName;
  embedDim: number;
  imageSize: number;
  dir: string;
  /** Bytes on disk, every file of the folder. */
  bytes: number;
  source: string | null;
  revision: string | null;
  license: string | null;
  /** The weight variant loaded ('' = plain export) and those the folder offers. */
  variant: string;
  variants: string[];
  bundled: boolean;
}

export interface BrokenModel {
  dir: string;
  error: string;
}

/** Staging folders (downloads, imports in progress) live here, on the same disk, hidden from the list. */
export const STAGING = '.staging';

/** A model folder's bytes on disk, its record included. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const rel of await listFolderFiles(dir)) total += (await stat(path.join(dir, rel))).size;
  // The record itself counts too.
  total += await stat(path.join(dir, RECORD_FILE)).then((s) => s.size, () => 0);
  return total;
}

async function describe(dir: string, bundled: boolean): Promise<InstalledModel> {
  const folder = await loadModelFolder(dir);
  // Installs name the folder after the id; one copied in by hand under another name would be
  // found, switched to and removed under two different names.
  if (folder.id !== path.basename(dir)) {
    throw new Error(`its manifest.json names it ${folder.id}, but the folder is ${path.basename(dir)}: rename one to match the other`);
  }
  return {
    id: folder.id,
    displayName: folder.displayName,
    layout: folder.layout,
    embedDim: folder.embedDim,
    imageSize: folder.imageSize,
    dir: folder.dir,
    bytes: await folderBytes(folder.dir),
    source: folder.manifest?.source ?? null,
    revision: folder.manifest?.revision ?? null,
    license: folder.manifest?.license ?? null,
    variant: folder.variant,
    variants: folder.variants,
    bundled,
  };
}

/** Model folders under `parent`; with `modelsOnly`, folders in neither layout (the recipe beside the bundled model) are skipped. */
async function subfolders(parent: string, modelsOnly: boolean): Promise<string[]> {
  try {
    const entries = await readdir(parent, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && e.name !== STAGING && MODEL_ID.test(e.name))
      .map((e) => path.join(parent, e.name))
      .filter((dir) => !modelsOnly || detectLayout(dir) !== null)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Installed models (installedDir) then bundled ones; an id installed shadows the bundled one of that id. */
export async function listModels(installedDir: string, bundledDir: string): Promise<{ models: InstalledModel[]; broken: BrokenModel[] }> {
  const models: InstalledModel[] = [];
  const broken: BrokenModel[] = [];
  for (const [parent, bundled] of [[installedDir, false], [bundledDir, true]] as const) {
    for (const dir of await subfolders(parent, bundled)) {
      try {
        const model = await describe(dir, bundled);
        if (!models.some((m) => m.id === model.id)) models.push(model);
      } catch (err) {
        broken.push({ dir, error: errorMessage(err) });
      }
    }
  }
  return { models, broken };
}

/** Deletes an installed model's folder (never a bundled one: that is the caller's check). */
export async function removeModelFolder(model: InstalledModel): Promise<void> {
  await rm(model.dir, { recursive: true, force: true });
}
