// What the item operations of an export (and of its undo) share: the journal, whether the disk may
// hold half-done work from a killed run, the folders made so far, and the outcome helpers.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { RootRow } from '../store/roots.js';
import type { ExportItemRow, ItemOutcome } from '../store/exports.js';
import type { Store } from '../store/index.js';
import { isDiskFull } from '../paths.js';
import { errorCode, fsyncDirs, linkIntoPlace, lstatOrNull } from './disk.js';
import { withSuffix } from './names.js';
import { mapLimit } from './parallel.js';

/**
 * Items worked on at once. File calls run on libuv's pool of 4 threads; with more in flight than
 * threads, a thread freed by a slow fsync always finds work queued.
 */
const PARALLEL = 16;

export interface ItemEnv {
  store: Store;
  exportId: number;
  /**
   * The export ran before and was cut short (kill -9, crash, cancel): an item's operation may be
   * half done, so each one looks at the disk before acting. False on a fresh run, where a taken
   * name can only be someone else's file.
   */
  resuming: boolean;
  folders: FolderMaker;
  /** Shoebox's data folder: sidecar backups live in it. */
  dataDir: string;
  /** Library folders, for the photo rows that follow moved files. */
  roots: RootRow[];
}

/**
 * Creates each target folder once per run, durably (its parent fsynced); a failure is kept and
 * rethrown for every item of that folder. One level at a time: a recursive mkdir on a read-only
 * disk says ENOENT, not EROFS.
 */
export class FolderMaker {
  private readonly made = new Map<string, Promise<void>>();

  ensure(dir: string): Promise<void> {
    let made = this.made.get(dir);
    if (!made) {
      made = (async () => {
        if (await lstatOrNull(dir)) return;
        await this.ensure(path.dirname(dir));
        await mkdir(dir).catch((err: unknown) => {
          if (errorCode(err) !== 'EEXIST') throw err;
        });
        await fsyncDirs([path.dirname(dir)]);
      })();
      this.made.set(dir, made);
    }
    return made;
  }
}

export function done(item: ExportItemRow, fields: Omit<ItemOutcome, 'seq' | 'state' | 'error'> = {}): ItemOutcome {
  return { seq: item.seq, state: 'done', error: null, ...fields };
}

export function failed(item: ExportItemRow, error: string): ItemOutcome {
  return { seq: item.seq, state: 'failed', error };
}

export function vanished(item: ExportItemRow): ItemOutcome {
  return { seq: item.seq, state: 'vanished', error: `${item.source}: the file is gone (moved or deleted since the export was planned)` };
}

export function skipped(item: ExportItemRow, why: string): ItemOutcome {
  return { seq: item.seq, state: 'skipped', error: why };
}

/**
 * The next free name for an item whose target got taken after planning: "name (n).ext" from the
 * source's name, not taken on disk, by another item or (a move) by a photo row. Journalled before
 * anything is put there, so a resumed run looks in the right place.
 */
export async function freeTarget(env: ItemEnv, item: ExportItemRow, current: string): Promise<string> {
  const dir = path.dirname(current);
  const name = path.basename(item.source);
  for (let n = 2; ; n++) {
    const candidate = path.join(dir, withSuffix(name, n));
    if (candidate === current || env.store.exports.targetTaken(env.exportId, candidate)) continue;
    if (env.store.photos.getByPath(candidate) || (await lstatOrNull(candidate))) continue;
    env.store.exports.retarget(env.exportId, item.seq, candidate);
    return candidate;
  }
}

/** Gives `from` the item's target name, or the next free one when that got taken; returns the name used. */
export async function linkUnique(env: ItemEnv, item: ExportItemRow, from: string, target: string): Promise<string> {
  for (let name = target; ; name = await freeTarget(env, item, name)) {
    if (await linkIntoPlace(from, name)) return name;
  }
}

/** What a batch of items ended with; `stop` is a full disk, after which the rest stays pending. */
export interface BatchResult {
  outcomes: ItemOutcome[];
  stop: unknown;
}

/**
 * Runs `work` on each item, a few at once. An error becomes the item's outcome through `onError`
 * (the rest goes on), except a full disk: items not started yet are left pending, and it is
 * returned as `stop`. Results keep the items' order; null for an item not run.
 */
export async function eachItem<I, R>(
  items: readonly I[],
  work: (item: I) => Promise<R | ItemOutcome>,
  onError: (item: I, err: unknown) => ItemOutcome,
): Promise<{ results: (R | ItemOutcome | null)[]; stop: unknown }> {
  let stop: unknown = null;
  const results = await mapLimit(items, PARALLEL, async (item) => {
    if (stop) return null;
    try {
      return await work(item);
    } catch (err) {
      if (!isDiskFull(err)) return onError(item, err);
      stop ??= err;
      return null;
    }
  });
  return { results, stop };
}

/** Whether a step's result is an item's final outcome (rather than `{ item, … }`, a step still to finish). */
export function isOutcome(result: unknown): result is ItemOutcome {
  return typeof result === 'object' && result !== null && 'state' in result && !('item' in result);
}

/** Groups items into batches of at most `count` items and `bytes` bytes (at least one item each). */
export function batches<T extends { size: number }>(items: readonly T[], count: number, bytes: number): T[][] {
  const out: T[][] = [];
  let batch: T[] = [];
  let size = 0;
  for (const item of items) {
    if (batch.length > 0 && (batch.length >= count || size + item.size > bytes)) {
      out.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(item);
    size += item.size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}
