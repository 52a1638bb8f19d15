// Move mode: each photo moves to its best category's folder and its library row follows (path,
// folder, relative path), in the same transaction as the journal's "done", so no photo goes
// missing and nothing is embedded again. Per batch, in two steps:
//   1. place: a hard link at the target (same disk: atomic, fails if the name is taken), or, where
//      hard links cannot be made (another disk), a copy under a temp name, fsynced, verified
//      (size and sha256), then linked into place; the target folders are fsynced;
//   2. remove the sources; their folders are fsynced; then the journal commits.
// A kill between the steps leaves both names: a resumed run (or undo) sees the same inode or the
// same bytes and finishes (or takes back) the step. Undo is the same move the other way.
import type { Stats } from 'node:fs';
import { link, mkdir, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { hashFile } from '../library/hash.js';
import { isInside } from '../library/roots.js';
import type { ExportItemRow, ItemOutcome } from '../store/exports.js';
import { copyDurable, errorCode, fsyncDirs, fsyncFile, linkIntoPlace, linkUnsupported, lstatOrNull, reason, sameInode, tempPath } from './disk.js';
import { done, eachItem, failed, freeTarget, isOutcome, linkUnique, vanished, type BatchResult, type ItemEnv } from './env.js';

/** A photo present at both names: step 2 removes `from`. */
interface Placed {
  item: ExportItemRow;
  from: string;
  to: string;
  method: 'link' | 'copy';
  hash: string | null;
  /** Whether `to` is this export's to remove again if `from` cannot be removed (not an original). */
  ours: boolean;
}

export async function exportMoves(env: ItemEnv, items: readonly ExportItemRow[]): Promise<BatchResult> {
  const placing = await eachItem(items, (item) => place(env, item), (item, err) => failed(item, `Cannot move ${item.source} to ${item.target}: ${reason(err)}`));
  return finishMoves(env, placing, (p, err) => `Cannot move ${p.from}: it could not be removed from its folder (${reason(err)}), so it was left where it was`);
}

/** Step 1 of a move: the photo at its target too (or its final outcome when there is nothing to do). */
async function place(env: ItemEnv, item: ExportItemRow): Promise<Placed | ItemOutcome> {
  const src = await lstatOrNull(item.source);
  let target = item.target;
  if (env.resuming) {
    await rm(tempPath(path.dirname(target), env.exportId, item.seq), { force: true });
    const there = await lstatOrNull(target);
    // Moved before the kill, not yet journalled.
    if (!src) return there?.isFile() && there.size === item.size ? done(item, { target, relocate: relocation(env, item.photoId, target, there) }) : vanished(item);
    if (there) {
      const method = await sameFile(item, src, target, there);
      if (method) return { item, from: item.source, to: target, method, hash: item.hash, ours: true };
      target = await freeTarget(env, item, target);
    }
  }
  if (!src) return vanished(item);
  await env.folders.ensure(path.dirname(target));
  for (;;) {
    try {
      await link(item.source, target);
      return { item, from: item.source, to: target, method: 'link', hash: item.hash, ours: true };
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') {
        if (!linkUnsupported(err)) throw err;
        break;
      }
      target = await freeTarget(env, item, target);
    }
  }
  const copied = await verifiedCopy(item.source, src, path.dirname(target), env.exportId, item.seq, item.hash);
  return { item, from: item.source, to: await linkUnique(env, item, copied.temp, target), method: 'copy', hash: copied.hash, ours: true };
}

/** Another disk, or no hard links there: a copy under a temp name in `dir`, fsynced and checked against the original. */
async function verifiedCopy(source: string, src: Stats, dir: string, exportId: number, seq: number, knownHash: string | null): Promise<{ temp: string; hash: string }> {
  const temp = tempPath(dir, exportId, seq);
  const hash = knownHash ?? (await hashFile(source));
  await copyDurable(source, temp, src);
  if ((await hashFile(temp)) !== hash) {
    await rm(temp, { force: true });
    throw new Error(`the copy read back differs from ${source}, which was kept`);
  }
  return { temp, hash };
}

/** How the file at `there` already is the item's photo: the same inode (linked) or the same bytes (copied), else null. */
async function sameFile(item: ExportItemRow, src: Stats, target: string, there: Stats): Promise<'link' | 'copy' | null> {
  if (sameInode(src, there)) return 'link';
  if (!there.isFile() || there.size !== src.size) return null;
  const hash = item.hash ?? (await hashFile(item.source));
  if ((await hashFile(target)) !== hash) return null;
  await fsyncFile(target);
  return 'copy';
}

/**
 * Step 2 (a move, or its undo): with the new names durable, removes the old ones and points the
 * photo rows at the new. An old name that cannot be removed: the new one is removed again.
 */
async function finishMoves(
  env: ItemEnv,
  placing: { results: (Placed | ItemOutcome | null)[]; stop: unknown },
  refused: (p: Placed, err: unknown) => string,
): Promise<BatchResult> {
  const placed = placing.results.filter((r): r is Placed => r !== null && !isOutcome(r));
  const outcomes = placing.results.filter(isOutcome);
  await fsyncDirs([...placed, ...outcomes.filter((o) => o.target)].map((p) => path.dirname('to' in p ? p.to : p.target!)));
  const removing = await eachItem(
    placed,
    async (p): Promise<ItemOutcome> => {
      try {
        await unlink(p.from);
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') {
          if (p.ours) await unlink(p.to);
          return { seq: p.item.seq, state: p.item.state === 'done' ? 'done' : 'failed', error: refused(p, err) };
        }
      }
      const undo = p.to === p.item.source;
      return {
        seq: p.item.seq,
        state: undo ? 'undone' : 'done',
        error: null,
        ...(undo ? {} : { target: p.to, method: p.method, hash: p.hash }),
        relocate: relocation(env, p.item.photoId, p.to, await stat(p.to)),
      };
    },
    (p, err) => ({ seq: p.item.seq, state: p.item.state, error: refused(p, err) }),
  );
  await fsyncDirs(placed.flatMap((p) => [path.dirname(p.from), path.dirname(p.to)]));
  return { outcomes: [...outcomes, ...removing.results.filter(isOutcome)], stop: placing.stop ?? removing.stop };
}

/** The photo row's new place: the library folder that holds `file` (none, or already there: the row stays as it is). */
function relocation(env: ItemEnv, photoId: number, file: string, st: Stats): ItemOutcome['relocate'] {
  const root = env.roots.find((r) => isInside(file, r.path));
  if (!root || env.store.photos.getById(photoId)?.path === file) return undefined;
  return { photoId, to: { path: file, rootId: root.id, relPath: path.relative(root.path, file), size: st.size, mtimeMs: st.mtimeMs } };
}

export async function undoMoves(env: ItemEnv, items: readonly ExportItemRow[]): Promise<BatchResult> {
  const placing = await eachItem(items, (item) => placeBack(env, item), (item, err) => ({
    seq: item.seq,
    state: item.state,
    error: `Cannot move ${item.target} back to ${item.source}: ${reason(err)}`,
  }));
  return finishMoves(env, placing, (p, err) => `Cannot move ${p.from} back: it could not be removed from its folder (${reason(err)}), so it stays there`);
}

/** Step 1 of an undo: the photo back at its source name too (or the item's final outcome). */
async function placeBack(env: ItemEnv, item: ExportItemRow): Promise<Placed | ItemOutcome> {
  await rm(tempPath(path.dirname(item.source), env.exportId, item.seq), { force: true });
  await rm(tempPath(path.dirname(item.target), env.exportId, item.seq), { force: true });
  const src = await lstatOrNull(item.source);
  const there = await lstatOrNull(item.target);
  const undone: ItemOutcome = { seq: item.seq, state: 'undone', error: null, ...(src ? { relocate: relocation(env, item.photoId, item.source, src) } : {}) };
  const wasDone = item.state === 'done';
  if (!there) return src || !wasDone ? undone : { seq: item.seq, state: 'kept', error: `${item.target} is gone, so the photo cannot be put back at ${item.source}` };
  if (src) {
    // Both names: the move's first step happened (a kill before the journal said so); the source is the photo.
    if (await sameFile(item, src, item.target, there)) return { item, from: item.target, to: item.source, method: 'link', hash: item.hash, ours: false };
    if (!wasDone) return undone;
    return { seq: item.seq, state: 'kept', error: `${item.source} is taken by another file, so the photo stays at ${item.target}` };
  }
  // A pending item's target that is not the photo (another size) is someone else's file.
  if (!wasDone && there.size !== item.size) return undone;
  await mkdir(path.dirname(item.source), { recursive: true });
  try {
    await link(item.target, item.source);
    return { item, from: item.target, to: item.source, method: 'link', hash: item.hash, ours: true };
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return { seq: item.seq, state: 'kept', error: `${item.source} is taken by another file, so the photo stays at ${item.target}` };
    if (!linkUnsupported(err)) throw err;
  }
  // Checked against the file as it is now (the person may have edited it since the move).
  const copied = await verifiedCopy(item.target, there, path.dirname(item.source), env.exportId, item.seq, null);
  if (await linkIntoPlace(copied.temp, item.source)) return { item, from: item.target, to: item.source, method: 'copy', hash: copied.hash, ours: true };
  await rm(copied.temp, { force: true });
  return { seq: item.seq, state: 'kept', error: `${item.source} is taken by another file, so the photo stays at ${item.target}` };
}
