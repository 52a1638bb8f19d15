// Link mode: each category folder gets a link to the photo, which stays where it is. A symbolic
// link (absolute, to the photo's path) where the file system allows one; where it does not
// (Windows without Developer Mode, FAT), a hard link, which needs the same disk. Both fail when the
// name is taken, so nothing is overwritten. Undo removes a link only while it is still ours.
import type { Stats } from 'node:fs';
import { link, readlink, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ExportItemRow, ItemOutcome } from '../store/exports.js';
import { errorCode, fsyncDirs, lstatOrNull, reason, sameInode } from './disk.js';
import { done, eachItem, failed, freeTarget, isOutcome, vanished, type BatchResult, type ItemEnv } from './env.js';

export async function exportLinks(env: ItemEnv, items: readonly ExportItemRow[]): Promise<BatchResult> {
  const { results, stop } = await eachItem(items, (item) => linkItem(env, item), (item, err) => failed(item, `Cannot link ${item.target} to ${item.source}: ${reason(err)}`));
  const outcomes = results.filter(isOutcome);
  await fsyncDirs(outcomes.filter((o) => o.state === 'done').map((o) => path.dirname(o.target!)));
  return { outcomes, stop };
}

async function linkItem(env: ItemEnv, item: ExportItemRow): Promise<ItemOutcome> {
  const src = await lstatOrNull(item.source);
  if (!src) return vanished(item);
  let target = item.target;
  if (env.resuming) {
    const there = await lstatOrNull(target);
    if (there) {
      const method = await ourLink(target, there, item.source, src);
      if (method) return done(item, { target, method });
      target = await freeTarget(env, item, target);
    }
  }
  await env.folders.ensure(path.dirname(target));
  for (;;) {
    const method = await makeLink(item.source, target);
    if (method) return done(item, { target, method });
    target = await freeTarget(env, item, target);
  }
}

/** Links `target` to `source`; null when the name is taken. */
async function makeLink(source: string, target: string): Promise<'symlink' | 'hardlink' | null> {
  try {
    await symlink(source, target);
    return 'symlink';
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return null;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(errorCode(err) ?? '')) throw err;
  }
  try {
    await link(source, target);
    return 'hardlink';
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return null;
    throw new Error(`neither a symbolic nor a hard link can be made there (${reason(err)})`);
  }
}

/** How `target` links to `source` if it is the link an export makes: a symlink to it, or the same file. */
async function ourLink(target: string, there: Stats, source: string, src: Stats | null): Promise<'symlink' | 'hardlink' | null> {
  if (there.isSymbolicLink()) return (await readlink(target)) === source ? 'symlink' : null;
  return src && sameInode(there, src) ? 'hardlink' : null;
}

export async function undoLinks(env: ItemEnv, items: readonly ExportItemRow[]): Promise<BatchResult> {
  const { results, stop } = await eachItem(items, (item) => undoLink(item), (item, err) => ({
    seq: item.seq,
    state: item.state,
    error: `Cannot remove the link ${item.target}: ${reason(err)}`,
  }));
  await fsyncDirs(items.map((i) => path.dirname(i.target)));
  return { outcomes: results.filter(isOutcome), stop };
}

async function undoLink(item: ExportItemRow): Promise<ItemOutcome> {
  const there = await lstatOrNull(item.target);
  const undone: ItemOutcome = { seq: item.seq, state: 'undone', error: null };
  if (!there) return undone;
  if (await ourLink(item.target, there, item.source, await lstatOrNull(item.source))) {
    await unlink(item.target);
    return undone;
  }
  if (item.state !== 'done') return undone;
  return { seq: item.seq, state: 'kept', error: `${item.target} is no longer the link Shoebox made: left in place` };
}
