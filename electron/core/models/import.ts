// Importing a model folder the person already has (downloaded by hand, exported by a tool):
// it must load first, then every file is copied into the data folder's models/ through a staging
// folder on the same disk and moved into place in one rename, with Shoebox's record
// (manifest.json: source, sizes, sha256) written beside the files. The person's folder is only read.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadModelFolder } from '../clip/model-folder.js';
import { describeFiles, MODEL_ID, RECORD_FILE, writeModelRecord, type ModelRecord, type RecordedFile } from '../clip/model-record.js';
import { widenImageBatch } from './widen-batch.js';
import { STAGING } from './installed.js';
import { processIsAlive } from '../process-alive.js';

export interface ImportOptions {
  installedDir: string;
  /** The id to install under; default: the folder's record id, else its name. */
  id?: string;
}

/** Record fields a finished install writes; files are measured from what landed. */
export type RecordFields = Pick<ModelRecord, 'id' | 'displayName' | 'source' | 'license'> & { revision?: string; variant?: string };

/**
 * Moves a complete, loadable folder from staging into installedDir/<id> with its record written
 * first; refuses to replace an installed model. Returns the installed folder.
 */
export async function installStaged(staged: string, installedDir: string, fields: RecordFields, files?: RecordedFile[]): Promise<string> {
  const target = path.join(installedDir, fields.id);
  if (existsSync(target)) throw new Error(`A model with the id ${fields.id} is already installed (${target}): remove it first.`);
  const adaptations = await adaptForSpeed(staged, fields.variant ?? '');
  // A downloader that hashed every file on the way in passes what it measured (the published
  // bytes); else, or when a file was adapted, measure what landed.
  const recorded = files && adaptations.length === 0 ? files : await describeFiles(staged);
  await writeModelRecord(staged, { ...fields, ...(adaptations.length > 0 ? { adaptations } : {}), files: recorded });
  await loadModelFolder(staged); // the copy loads as the original did, record included
  await rename(staged, target);
  return target;
}

/** A batch axis fixed at 1 made free (widen-batch.ts), recorded with the published file's sha256. */
async function adaptForSpeed(staged: string, variant: string): Promise<NonNullable<ModelRecord['adaptations']>> {
  const widening = await widenImageBatch(staged, variant);
  if (!widening.widened) return [];
  return [{ path: widening.path, change: 'batch axis made free (a batch of 2 checked against two runs of 1)', originalSha256: widening.originalSha256 }];
}

/** A fresh staging folder under installedDir/.staging, named with this process's id (see removeStaleStaging). */
export async function stagingFolder(installedDir: string, label: string): Promise<string> {
  const dir = path.join(installedDir, STAGING, `${label}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

const STAGED_NAME = /\.(\d+)\.[0-9a-f]{8}$/;

/**
 * Removes the staging folders of imports and downloads that a killed process left (kill -9 in
 * the middle of copying a model): those whose process no longer runs. The Hub client's own
 * work folders (`hub-…`) are kept: they resume the same download later. Returns how many went.
 */
export async function removeStaleStaging(installedDir: string): Promise<number> {
  const root = path.join(installedDir, STAGING);
  const names = await readdir(root).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const pid = STAGED_NAME.exec(name)?.[1];
    if (pid === undefined || processIsAlive(Number(pid))) continue;
    await rm(path.join(root, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

export async function importModelFolder(source: string, options: ImportOptions): Promise<{ id: string; dir: string }> {
  const folder = await loadModelFolder(source);
  const id = options.id ?? folder.id;
  if (!MODEL_ID.test(id)) throw new Error(`"${id}" cannot be a model id: letters, digits, ".", "_" or "-", starting with a letter or digit`);
  // Before copying what may be gigabytes (installStaged checks again, at the rename).
  if (existsSync(path.join(options.installedDir, id))) throw new Error(`A model with the id ${id} is already installed (${path.join(options.installedDir, id)}): remove it first.`);
  const staged = await stagingFolder(options.installedDir, id);
  try {
    // Symlinked files (e.g. external weights kept elsewhere) are copied as the bytes they point to.
    await cp(folder.dir, staged, {
      recursive: true,
      dereference: true,
      filter: (src) => path.relative(folder.dir, src) !== RECORD_FILE,
    });
    const kept = folder.manifest;
    const dir = await installStaged(staged, options.installedDir, {
      ...(kept?.revision ? { revision: kept.revision } : {}),
      ...(kept?.variant ? { variant: kept.variant } : {}),
      id,
      displayName: folder.manifest?.displayName ?? folder.displayName,
      source: folder.manifest?.source ?? `imported from ${folder.dir}`,
      license: folder.manifest?.license ?? 'unknown (see the model’s own documentation)',
    });
    return { id, dir };
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}
