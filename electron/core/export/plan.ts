// Planning an export: which file goes where, before anything is written. For each category, each
// of its photos → <destination>/<safe category folder>/<file name>; a name already taken (on disk,
// by a photo row, or by another item) gets " (2)", " (3)" … and never overwrites; a file already
// there with the same content is skipped. The plan's summary is the preview: per category counts
// and bytes, the bytes the destination's disk must hold, its free space, and whether it fits.
import type { Stats } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { hashFile } from '../library/hash.js';
import { freeSpace } from '../paths.js';
import type { SortAssignment } from '../sorting/types.js';
import type { ExportMode, NewExportItem } from '../store/exports.js';
import type { Store } from '../store/index.js';
import type { PhotoRow } from '../store/photos.js';
import { checkDestination, resolveDestination } from './destination.js';
import { errorCode, lstatOrNull, reason } from './disk.js';
import { exportEntries } from './entries.js';
import { ExportRefused } from './errors.js';
import { categoryFolders, nameKey, withSuffix } from './names.js';
import { mapLimit } from './parallel.js';

export interface ExportRequest {
  mode: ExportMode;
  /** A full path; null for tags, which writes beside the photos. */
  destination: string | null;
}

export interface PlanDeps {
  store: Store;
  /** Shoebox's data folder: never a destination. */
  dataDir: string;
}

export interface CategoryPreview {
  name: string;
  /** The folder under the destination; null for tags. */
  folder: string | null;
  photos: number;
  bytes: number;
}

export interface ExportPreview {
  mode: ExportMode;
  destination: string | null;
  categories: CategoryPreview[];
  /** Files to write, and their bytes. */
  files: number;
  bytes: number;
  /** What the destination's disk must hold: copies, and moves from another disk. */
  bytesNeeded: number;
  /** Free space on the destination's disk; null for tags (beside each photo) or when unknown. */
  freeBytes: number | null;
  fits: boolean;
  /** Already at their target with the same content: skipped. */
  alreadyThere: number;
  /** Given a " (2)" suffix because the name was taken. */
  renamed: number;
  /** Sorted photos whose file is gone: listed as failed. */
  missing: { path: string; reason: string }[];
  /** Photos no category took: not exported. */
  unsorted: number;
  /** A move to a folder outside the library adds it as a library folder, so the photos stay in it. */
  addsLibraryFolder: string | null;
  /** A few planned items per category: what goes where. */
  examples: { source: string; target: string }[];
}

export interface ExportPlan {
  mode: ExportMode;
  destination: string | null;
  modelId: string;
  rootPath: string | null;
  newFolders: string[];
  items: NewExportItem[];
  preview: ExportPreview;
}

const EXAMPLES_PER_CATEGORY = 3;
/** lstat calls in flight while planning. */
const STAT_PARALLEL = 16;
/** What one sidecar takes on disk, for the preview: one block. */
const SIDECAR_BYTES = 4096;

/** Plans the export of `assignment`; reads the disk, writes nothing. Throws ExportRefused. */
export async function planExport(deps: PlanDeps, assignment: SortAssignment, request: ExportRequest): Promise<ExportPlan> {
  const entries = exportEntries(assignment);
  if (entries.length === 0) throw new ExportRefused('No photo is sorted into a category yet: nothing to export.');
  const rows = new Map<number, PhotoRow>();
  for (const e of entries) {
    const row = deps.store.photos.getById(e.photoId);
    if (row) rows.set(e.photoId, row);
  }
  const stats = new Map(
    await mapLimit([...rows.values()], STAT_PARALLEL, async (row) => [row.id, await lstatOrNull(row.path)] as const),
  );
  const categoryOrder = [...new Set(entries.flatMap((e) => e.categories))];
  const base = { modelId: assignment.modelId, unsorted: assignment.unsorted.length };

  if (request.mode === 'tags') {
    if (request.destination !== null) throw new ExportRefused('Tags are written to sidecars beside the photos (photo.jpg.xmp): --tags takes no destination.');
    const items: NewExportItem[] = [];
    for (const e of entries) {
      const row = rows.get(e.photoId);
      if (row) items.push(sourceItem(row, stats.get(row.id) ?? null, e.categories, `${row.path}.xmp`));
    }
    return summarise({ ...base, request, destination: null, rootPath: null, newFolders: [], items, categoryOrder, folders: new Map(), bytesNeeded: items.filter((i) => i.state === 'pending').length * SIDECAR_BYTES, renamed: 0, disk: null });
  }

  if (request.destination === null) throw new ExportRefused(`A ${request.mode} export needs a destination folder.`);
  const dest = await resolveDestination(request.destination);
  const folders = categoryFolders(categoryOrder);
  const rootPath = await checkDestination(deps.store, deps.dataDir, dest.real, request.mode, [...folders.values()].map((f) => path.join(dest.real, f)));
  const taken = new Taken(deps.store, request.mode === 'move');
  const newFolders = [...dest.missing];
  for (const folder of folders.values()) {
    const dir = path.join(dest.real, folder);
    if (!(await taken.readFolder(dir))) newFolders.push(dir);
  }

  const items: NewExportItem[] = [];
  let renamed = 0;
  for (const category of categoryOrder) {
    const dir = path.join(dest.real, folders.get(category)!);
    for (const e of entries) {
      // A move puts a photo in its best category only; a copy or a link in each of its categories.
      if (request.mode === 'move' ? e.categories[0] !== category : !e.categories.includes(category)) continue;
      const row = rows.get(e.photoId);
      if (!row) continue;
      const st = stats.get(row.id) ?? null;
      const natural = path.join(dir, path.basename(row.path));
      const item = sourceItem(row, st, [category], natural);
      if (item.state === 'pending') {
        const placed = await taken.place(item, request.mode);
        item.target = placed.target;
        if (placed.skipped) {
          item.state = 'skipped';
          item.error = placed.skipped;
        } else if (placed.target !== natural) renamed++;
      }
      items.push(item);
    }
  }
  const bytesNeeded = await neededBytes(request.mode, dest.existing, items, stats);
  return summarise({ ...base, request, destination: dest.real, rootPath, newFolders, items, categoryOrder, folders, bytesNeeded, renamed, disk: dest.existing });
}

/** An item for a photo: pending, or vanished when its file is gone. */
function sourceItem(row: PhotoRow, st: Stats | null, categories: string[], target: string): NewExportItem {
  if (!st) return { photoId: row.id, categories, source: row.path, target, size: row.size, hash: null, state: 'vanished', error: `${row.path}: the file is gone (moved or deleted since it was indexed)` };
  if (!st.isFile()) return { photoId: row.id, categories, source: row.path, target, size: row.size, hash: null, state: 'failed', error: `${row.path}: not a regular file` };
  // The indexer's hash still holds while size and mtime are the ones it saw (the scan's own rule).
  const hash = row.size === st.size && row.mtimeMs === st.mtimeMs ? row.contentHash : null;
  return { photoId: row.id, categories, source: row.path, target, size: st.size, hash, state: 'pending', error: null };
}

interface Planned {
  modelId: string;
  unsorted: number;
  request: ExportRequest;
  destination: string | null;
  rootPath: string | null;
  newFolders: string[];
  items: NewExportItem[];
  categoryOrder: string[];
  folders: Map<string, string>;
  bytesNeeded: number;
  renamed: number;
  /** An existing folder on the destination's disk; null for tags. */
  disk: string | null;
}

/** The plan with its preview. */
function summarise(p: Planned): ExportPlan {
  const { items, categoryOrder, request } = p;
  const pending = items.filter((i) => i.state === 'pending');
  const freeBytes = p.disk === null ? null : freeSpace(p.disk);
  const categories = categoryOrder.map((name) => {
    const mine = items.filter((i) => i.categories.includes(name) && i.state !== 'vanished' && i.state !== 'failed');
    return { name, folder: p.folders.get(name) ?? null, photos: mine.length, bytes: mine.reduce((n, i) => n + (i.state === 'pending' ? i.size : 0), 0) };
  });
  const examples = categoryOrder.flatMap((name) =>
    pending.filter((i) => i.categories[0] === name).slice(0, EXAMPLES_PER_CATEGORY).map((i) => ({ source: i.source, target: i.target })),
  );
  const preview: ExportPreview = {
    mode: request.mode,
    destination: p.destination,
    categories,
    files: pending.length,
    bytes: pending.reduce((n, i) => n + i.size, 0),
    bytesNeeded: p.bytesNeeded,
    freeBytes,
    fits: freeBytes === null || p.bytesNeeded <= freeBytes,
    alreadyThere: items.filter((i) => i.state === 'skipped').length,
    renamed: p.renamed,
    missing: items.filter((i) => i.state === 'vanished' || i.state === 'failed').map((i) => ({ path: i.source, reason: i.error ?? '' })),
    unsorted: p.unsorted,
    addsLibraryFolder: p.rootPath,
    examples,
  };
  return { mode: request.mode, destination: p.destination, modelId: p.modelId, rootPath: p.rootPath, newFolders: p.newFolders, items, preview };
}

/** Bytes the destination's disk must hold: copies; moves from another disk (same-disk moves are renames). */
async function neededBytes(mode: ExportMode, destDisk: string, items: NewExportItem[], stats: Map<number, Stats | null>): Promise<number> {
  const pending = items.filter((i) => i.state === 'pending');
  if (mode === 'copy') return pending.reduce((n, i) => n + i.size, 0);
  if (mode !== 'move') return 0;
  const dev = (await stat(destDisk)).dev;
  return pending.reduce((n, i) => n + (stats.get(i.photoId)?.dev === dev ? 0 : i.size), 0);
}

/** Names taken in the destination's folders: on disk, by photo rows (a move), and by the plan itself. */
class Taken {
  private readonly keys = new Set<string>();
  constructor(
    private readonly store: Store,
    private readonly checkRows: boolean,
  ) {}

  /** Notes the names in a folder; false when the folder does not exist yet. */
  async readFolder(dir: string): Promise<boolean> {
    try {
      for (const name of await readdir(dir)) this.keys.add(nameKey(path.join(dir, name)));
      return true;
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return false;
      throw new ExportRefused(`Cannot read the destination folder ${dir}: ${reason(err)}.`);
    }
  }

  /** The item's target (its own name, or the first free "name (n)"), or why it is skipped. */
  async place(item: NewExportItem, mode: ExportMode): Promise<{ target: string; skipped?: string }> {
    const dir = path.dirname(item.target);
    const name = path.basename(item.target);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? item.target : path.join(dir, withSuffix(name, n));
      const key = nameKey(candidate);
      if (!this.keys.has(key) && !(this.checkRows && this.store.photos.getByPath(candidate))) {
        this.keys.add(key);
        return { target: candidate };
      }
      const same = await sameAsSource(item, candidate, mode);
      if (same) return { target: candidate, skipped: same };
    }
  }
}

/** Why the file at `candidate` already is the item's result (so it is skipped), or null. */
async function sameAsSource(item: NewExportItem, candidate: string, mode: ExportMode): Promise<string | null> {
  if (mode === 'move') return candidate === item.source ? `${item.source} is already in place` : null;
  const st = await lstatOrNull(candidate);
  if (!st) return null;
  if (mode === 'link') {
    const points = st.isSymbolicLink() ? await readlink(candidate).catch(() => null) : null;
    return points === item.source ? `${candidate} already links to ${item.source}` : null;
  }
  if (!st.isFile() || st.size !== item.size) return null;
  const [a, b] = await Promise.all([item.hash ?? hashFile(item.source), hashFile(candidate)]);
  return a === b ? `${candidate} already holds the same photo` : null;
}
