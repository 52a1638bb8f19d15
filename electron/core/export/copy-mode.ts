// Copy mode: each photo copied into its category folder (the original stays). Per batch, in three
// steps: every copy written under a hidden temp name; all of them fsynced (fsyncs issued together
// share the file system's journal commits, which is most of what durability costs); each then
// hard-linked to its name (never overwriting) and its folder fsynced before the journal marks it
// done. Undo removes a copy only while it is still the bytes that were copied (size and sha256).
import { rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { hashFile } from '../library/hash.js';
import type { ExportItemRow, ItemOutcome } from '../store/exports.js';
import { copyWithTimes, fsyncDirs, fsyncFile, lstatOrNull, reason, tempPath } from './disk.js';
import { done, eachItem, failed, freeTarget, isOutcome, linkUnique, vanished, type BatchResult, type ItemEnv } from './env.js';

/** A copy under its temp name, not yet durable nor named. */
interface Copied {
  item: ExportItemRow;
  temp: string;
  target: string;
  hash: string;
}

export async function exportCopies(env: ItemEnv, items: readonly ExportItemRow[]): Promise<BatchResult> {
  const onError = (item: ExportItemRow, err: unknown): ItemOutcome => failed(item, `Cannot copy ${item.source} to ${item.target}: ${reason(err)}`);
  const copying = await eachItem(items, (item) => copy(env, item), onError);
  const syncing = await eachItem(copying.results.filter(isCopied), (c) =>
      withTemp(c, async () => {
        await fsyncFile(c.temp);
        return c;
      }), (c, err) => onError(c.item, err));
  const naming = await eachItem(
    syncing.results.filter(isCopied),
    (c) => withTemp(c, async () => done(c.item, { target: await linkUnique(env, c.item, c.temp, c.target), hash: c.hash, method: 'copy' })),
    (c, err) => onError(c.item, err),
  );
  const outcomes = [...copying.results, ...syncing.results, ...naming.results].filter(isOutcome);
  await fsyncDirs(outcomes.filter((o) => o.state === 'done').map((o) => path.dirname(o.target!)));
  return { outcomes, stop: copying.stop ?? syncing.stop ?? naming.stop };
}

const isCopied = (r: unknown): r is Copied => typeof r === 'object' && r !== null && 'temp' in r;

/** Runs a step on a copy; a failure removes its temp file. */
async function withTemp<T>(c: Copied, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    await rm(c.temp, { force: true });
    throw err;
  }
}

/** Step 1: the copy under its temp name, or the item's final outcome. */
async function copy(env: ItemEnv, item: ExportItemRow): Promise<Copied | ItemOutcome> {
  const src = await lstatOrNull(item.source);
  if (!src) return vanished(item);
  const hash = item.hash ?? (await hashFile(item.source));
  let target = item.target;
  const temp = tempPath(path.dirname(target), env.exportId, item.seq);
  if (env.resuming) {
    await rm(temp, { force: true });
    const there = await lstatOrNull(target);
    if (there) {
      // Copied before the kill, not yet journalled: the same bytes are ours.
      if (there.isFile() && there.size === src.size && (await hashFile(target)) === hash) {
        await fsyncFile(target);
        return done(item, { target, hash, method: 'copy' });
      }
      target = await freeTarget(env, item, target);
    }
  }
  await env.folders.ensure(path.dirname(target));
  await copyWithTimes(item.source, temp, src);
  return { item, temp, target, hash };
}

export async function undoCopies(env: ItemEnv, items: readonly ExportItemRow[]): Promise<BatchResult> {
  const { results, stop } = await eachItem(items, (item) => undoCopy(env, item), (item, err) => ({
    seq: item.seq,
    state: item.state,
    error: `Cannot remove the copy ${item.target}: ${reason(err)}`,
  }));
  const outcomes = results.filter(isOutcome);
  await fsyncDirs(items.map((i) => path.dirname(i.target)));
  return { outcomes, stop };
}

async function undoCopy(env: ItemEnv, item: ExportItemRow): Promise<ItemOutcome> {
  await rm(tempPath(path.dirname(item.target), env.exportId, item.seq), { force: true });
  const there = await lstatOrNull(item.target);
  const undone: ItemOutcome = { seq: item.seq, state: 'undone', error: null };
  if (!there) return undone;
  // A pending item's copy may have been made before a kill: it is ours if it holds the source's bytes.
  const expected = item.hash ?? ((await lstatOrNull(item.source)) ? await hashFile(item.source) : null);
  if (there.isFile() && there.size === item.size && expected !== null && (await hashFile(item.target)) === expected) {
    await unlink(item.target);
    return undone;
  }
  if (item.state !== 'done') return undone;
  return { seq: item.seq, state: 'kept', error: `${item.target} changed after the export: left in place` };
}
