// A small library on a real disk for the export tests: real JPEG files (each its own colour, so
// each its own bytes), added as a library folder of a real Shoebox data folder and committed as
// indexed photo rows with their real sha256, plus a sorting of them to export. The sorting is
// given, not computed: what is under test is the export of a sorting, not the sorting.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { TestContext } from 'node:test';
import { startExport, startUndo, type JobDeps } from '../../electron/core/export/export-job.js';
import type { ExportRequest } from '../../electron/core/export/plan.js';
import type { ExportResult } from '../../electron/core/export/run.js';
import type { UndoResult } from '../../electron/core/export/undo.js';
import { Shoebox } from '../../electron/core/shoebox.js';
import { addRoot } from '../../electron/core/library/roots.js';
import type { SortAssignment } from '../../electron/core/sorting/types.js';
import { tempDir } from './temp-dir.js';

export interface LibraryPhoto {
  id: number;
  path: string;
  hash: string;
}

export interface TestLibrary {
  work: string;
  library: string;
  core: Shoebox;
  photos: LibraryPhoto[];
}

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

export async function hashOf(file: string): Promise<string> {
  return sha256(await readFile(file));
}

/** Writes one small JPEG whose colour comes from `n`. */
export async function writePhoto(file: string, n: number, side = 64): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const background = { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 53) % 256 };
  await sharp({ create: { width: side + (n % 7), height: side, channels: 3, background } }).jpeg({ quality: 90 }).toFile(file);
}

/**
 * `files` (paths relative to the library folder, e.g. "2024/IMG_1.jpg") written and indexed into a
 * fresh data folder; the Shoebox is closed when the test ends. With `randomBytes`, each file is
 * that many random bytes instead of a JPEG (the export never decodes; random bytes do not compress).
 */
export async function makeLibrary(t: TestContext, files: readonly string[], options: { side?: number; randomBytes?: number } = {}): Promise<TestLibrary> {
  const work = await tempDir(t, 'shoebox-export-');
  const library = path.join(work, 'library');
  await mkdir(library, { recursive: true });
  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  t.after(() => core.close());
  const root = await addRoot(core.store, library);
  const photos: LibraryPhoto[] = [];
  for (const [n, rel] of files.entries()) {
    const file = path.join(library, rel);
    if (options.randomBytes) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, randomBytes(options.randomBytes));
    } else await writePhoto(file, n, options.side);
    const st = await stat(file);
    const hash = await hashOf(file);
    const vector = new Float32Array([1, 0, 0, 0]);
    const id = core.store.photos.commitIndexed({
      path: file, rootId: root.id, relPath: rel, size: st.size, mtimeMs: st.mtimeMs, contentHash: hash, thumbPath: null,
      width: null, height: null, format: 'jpeg', takenAt: null, cameraMake: null, cameraModel: null, latitude: null, longitude: null,
      embedding: { modelId: 'test', vector },
    });
    photos.push({ id, path: file, hash });
  }
  return { work, library, core, photos };
}

/** A sorting: category name → the photos in it, best first; photos in no category are unsorted. */
export function sorting(lib: TestLibrary, categories: Record<string, readonly number[]>, multiLabel = false): SortAssignment {
  const placed = new Set(Object.values(categories).flat());
  return {
    modelId: 'test',
    multiLabel,
    categories: Object.entries(categories).map(([name, indexes], i) => ({
      id: i + 1,
      name,
      photos: indexes.map((k, rank) => ({ photoId: lib.photos[k]!.id, confidence: 1 - rank / 100, corrected: false })),
    })),
    unsorted: lib.photos.filter((_, k) => !placed.has(k)).map((p) => ({ photoId: p.id, confidence: 0.1, corrected: false })),
  };
}

/** Every regular file under `dir` (hidden ones included) → its sha256, by path relative to `dir`. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), await hashOf(file));
  }
  return out;
}

/** Starts an export (or resumes the unfinished one) and waits for its job; throws unless it ended done. */
export async function exportAndWait(deps: JobDeps, assignment: SortAssignment, request: ExportRequest): Promise<ExportResult & { jobId: number }> {
  const { jobId } = await startExport(deps, async () => assignment, request);
  const finished = await deps.jobs.outcomeOf(jobId);
  if (finished?.kind !== 'sort-export') throw new Error(`job ${jobId} is not an export`);
  if (finished.outcome.state !== 'done') throw new Error(`export job ended ${finished.outcome.state}${finished.outcome.state === 'failed' ? `: ${finished.outcome.error.message}` : ''}`);
  return { ...finished.outcome.value, jobId };
}

/** Starts the undo of the newest export and waits for it; throws unless it ended done. */
export async function undoAndWait(deps: JobDeps): Promise<UndoResult> {
  const { jobId } = startUndo(deps);
  const finished = await deps.jobs.outcomeOf(jobId);
  if (finished?.kind !== 'sort-undo') throw new Error(`job ${jobId} is not an undo`);
  if (finished.outcome.state !== 'done') throw new Error(`undo job ended ${finished.outcome.state}${finished.outcome.state === 'failed' ? `: ${finished.outcome.error.message}` : ''}`);
  return finished.outcome.value;
}
