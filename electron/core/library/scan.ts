// Change detection: compares the files under the roots with the store and says what needs work.
//
//   unchanged  path, size and mtime as stored, and an embedding for the model exists → skipped
//   touched    same path and size, new mtime, same sha256 as stored → new mtime remembered, skipped
//   moved      a new path whose sha256 equals a missing photo's → relocated, embedding kept
//   missing    a stored photo under a root that was not seen → marked missing (embeddings kept)
//   to index   everything else: new files, changed content, photos without this model's embedding
//
// planScan applies the cheap store-only outcomes itself (missing, moved, touched, back again) and
// returns `toIndex` for the indexer, which decodes and encodes. Hashing reads whole files, so the
// scanner hashes only where a hash can change the outcome: a new file the size of some missing
// photo (a moved file keeps its size) and a same-size file with a new mtime. For the rest,
// contentHash is null and the indexer hashes the bytes it reads anyway (library/hash.ts).
//
// Folders that could not be listed are reported and their photos are left alone: an unplugged
// drive or a permission change does not make a library "missing".
import type { Store } from '../store/index.js';
import type { PhotoLocation, PhotoScanState } from '../store/photos.js';
import { hashFile } from './hash.js';
import { isInsideRoots } from './roots.js';
import { walkRoots, type WalkedFile, type WalkError, type WalkRoot } from './walk.js';

/** Files hashed at once: hashing is disk-bound, a few reads in flight keep the disk busy. */
const HASH_CONCURRENCY = 4;

export interface IndexCandidate extends PhotoLocation {
  /** sha256 when the scan already knows it; null means the indexer hashes the bytes it reads. */
  contentHash: string | null;
}

export interface ScanError {
  path: string;
  code: string | null;
  message: string;
}

export interface ScanPlan {
  /** Sorted by path. */
  toIndex: IndexCandidate[];
  /** Image files found under the roots. */
  filesSeen: number;
  /** Files needing no work (including touched-but-identical ones and ones back at their path). */
  unchanged: number;
  /** Files recognised by content at a new path; already relocated in the store (and in toIndex too
   *  only when they lack this model's embedding). */
  moved: { photoId: number; from: string; to: string }[];
  /** Photos marked missing by this scan. */
  missing: number;
  /** Folders that could not be listed and files that could not be read; also stored as 'scan' errors. */
  scanErrors: ScanError[];
}

export interface ScanProgress {
  phase: 'walk' | 'hash';
  folders: number;
  files: number;
  hashed: number;
  toHash: number;
  currentPath: string | null;
}

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

interface Rehash {
  file: WalkedFile;
  /** The stored photo at the same path, when the content may be unchanged. */
  row: PhotoScanState | null;
}

/** Walks the roots and updates the store as described above. Aborting during the walk changes nothing. */
export async function planScan(store: Store, roots: readonly WalkRoot[], modelId: string, opts: ScanOptions = {}): Promise<ScanPlan> {
  const { signal } = opts;
  const progress: ScanProgress = { phase: 'walk', folders: 0, files: 0, hashed: 0, toHash: 0, currentPath: null };
  const report = (): void => opts.onProgress?.({ ...progress });
  const walkErrors: WalkError[] = [];

  const seen = new Map<string, WalkedFile>();
  const walk = walkRoots(roots, {
    signal,
    onError: (e) => walkErrors.push(e),
    onFolder: (p) => {
      progress.folders++;
      progress.currentPath = p;
      report();
    },
  });
  for await (const file of walk) {
    seen.set(file.path, file);
    progress.files++;
  }
  signal?.throwIfAborted();
  const unreadable = walkErrors.filter((e) => e.kind === 'folder').map((e) => e.path);

  const plan: ScanPlan = { toIndex: [], filesSeen: seen.size, unchanged: 0, moved: [], missing: 0, scanErrors: [] };
  const rehash: Rehash[] = [];
  const goneIds: number[] = [];
  const backIds: number[] = [];
  const known = new Set<string>();
  for (const root of roots) {
    for (const row of store.photos.scanStateForRoot(root.id, modelId)) {
      const file = seen.get(row.path);
      if (!file) {
        if (row.status !== 'missing' && !isInsideRoots(row.path, unreadable)) goneIds.push(row.id);
        continue;
      }
      known.add(row.path);
      const usable = row.hasEmbedding && row.status !== 'failed';
      if (file.size === row.size && file.mtimeMs === row.mtimeMs) {
        if (!usable) plan.toIndex.push({ ...location(file), contentHash: row.contentHash });
        else {
          plan.unchanged++;
          if (row.status === 'missing') backIds.push(row.id);
        }
      } else if (usable && file.size === row.size && row.contentHash !== null) rehash.push({ file, row });
      else plan.toIndex.push({ ...location(file), contentHash: null });
    }
  }

  // Mark missing before looking for moves, so a file moved since the last scan finds its source.
  plan.missing = store.photos.markMissing(goneIds);
  const goneThisScan = new Set(goneIds);
  store.photos.restore(backIds);
  const missingSizes = store.photos.missingSizes();
  for (const file of seen.values()) {
    if (known.has(file.path)) continue;
    if (missingSizes.has(file.size)) rehash.push({ file, row: null });
    else plan.toIndex.push({ ...location(file), contentHash: null });
  }
  recordScanErrors(store, roots, seen, walkErrors, unreadable);
  plan.scanErrors = walkErrors.map(toScanError);

  progress.phase = 'hash';
  progress.toHash = rehash.length;
  report();
  await forEachConcurrent(rehash, HASH_CONCURRENCY, async (item) => {
    let hash: string;
    try {
      hash = await hashFile(item.file.path, signal);
    } catch (err) {
      signal?.throwIfAborted();
      const code = (err as NodeJS.ErrnoException).code ?? null;
      if (code !== 'ENOENT') {
        const error: ScanError = { path: item.file.path, code, message: `cannot read file: ${(err as Error).message}` };
        plan.scanErrors.push(error);
        store.errors.record(error.path, item.file.rootId, 'scan', error.code, error.message);
      }
      return;
    }
    progress.hashed++;
    progress.currentPath = item.file.path;
    report();
    // No await from here on: matching and relocating cannot interleave with another file's.
    if (item.row) applyRehash(store, plan, item.file, item.row, hash);
    else applyNewFile(store, plan, item.file, hash, modelId, goneThisScan);
  });

  plan.toIndex.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return plan;
}

function location(f: WalkedFile): PhotoLocation {
  return { path: f.path, rootId: f.rootId, relPath: f.relPath, size: f.size, mtimeMs: f.mtimeMs };
}

function toScanError(e: WalkError): ScanError {
  return { path: e.path, code: e.code, message: e.message };
}

/** Same path and size, new mtime: unchanged when the content hash still matches. */
function applyRehash(store: Store, plan: ScanPlan, file: WalkedFile, row: PhotoScanState, hash: string): void {
  if (hash !== row.contentHash) {
    plan.toIndex.push({ ...location(file), contentHash: hash });
    return;
  }
  store.photos.updateStat(row.id, file.size, file.mtimeMs);
  if (row.status === 'missing') store.photos.restore([row.id]);
  plan.unchanged++;
}

/** A new path: a missing photo with this content moved here, or a new photo. */
function applyNewFile(store: Store, plan: ScanPlan, file: WalkedFile, hash: string, modelId: string, goneThisScan: Set<number>): void {
  const source = store.photos.findMissingByHash(hash).find((p) => p.size === file.size);
  // A row already at this path (reached through another root's symlink) must not be overwritten.
  if (!source || store.photos.getByPath(file.path)) {
    plan.toIndex.push({ ...location(file), contentHash: hash });
    return;
  }
  store.photos.relocate(source.id, location(file));
  plan.moved.push({ photoId: source.id, from: source.path, to: file.path });
  if (goneThisScan.has(source.id)) plan.missing--;
  if (!store.embeddings.hasEmbedding(source.id, modelId)) plan.toIndex.push({ ...location(file), contentHash: hash });
}

/**
 * Stores this scan's folder/file errors and drops stale ones: scan errors that did not recur, and
 * errors of files that are gone. Errors under folders that could not be listed are kept.
 */
function recordScanErrors(store: Store, roots: readonly WalkRoot[], seen: Map<string, WalkedFile>, errors: WalkError[], unreadable: string[]): void {
  const current = new Set(errors.map((e) => e.path));
  store.db.transaction(() => {
    for (const root of roots) {
      for (const old of store.errors.listForRoot(root.id)) {
        if (current.has(old.path) || isInsideRoots(old.path, unreadable)) continue;
        if (old.stage === 'scan' || !seen.has(old.path)) store.errors.clear(old.path);
      }
    }
    for (const e of errors) store.errors.record(e.path, e.rootId, 'scan', e.code, e.message);
  }).immediate();
}

async function forEachConcurrent<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
