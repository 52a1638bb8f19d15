// Tags mode: nothing moves; each photo gets its categories in an XMP sidecar beside it
// (photo.jpg.xmp). Per batch, in two steps:
//   1. decide: whether each sidecar exists; an existing one's bytes are saved in the data folder
//      (fsynced) and the journal records both before anything is written;
//   2. write: the merged (or new) sidecar under a temp name, fsynced, then renamed over the old one
//      (atomic) or linked to the free name (never overwriting a sidecar that appeared meanwhile).
// Merging is idempotent, so a resumed run writes the same bytes. Undo puts the saved bytes back,
// or removes a sidecar the export created, but only while the sidecar is still what it wrote.
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashBytes } from '../library/hash.js';
import type { ExportItemRow, ItemOutcome } from '../store/exports.js';
import { errorCode, fsyncDirs, fsyncFile, linkIntoPlace, lstatOrNull, reason, tempPath } from './disk.js';
import { done, eachItem, failed, isOutcome, skipped, vanished, type BatchResult, type ItemEnv } from './env.js';
import { mergeSubjects, XmpError } from './xmp.js';

const sha256 = (bytes: Buffer | string): string => hashBytes(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);

/** Where the original bytes of an item's sidecar are kept until the export is undone. */
function backupPath(env: ItemEnv, seq: number): string {
  return path.join(env.dataDir, 'exports', String(env.exportId), `${seq}.xmp`);
}

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
}

/** Sidecars are UTF-8 (a byte-order mark, if any, is dropped). */
const text = (bytes: Buffer): string => bytes.toString('utf8').replace(/^\uFEFF/, '');

export async function exportTags(env: ItemEnv, items: readonly ExportItemRow[]): Promise<BatchResult> {
  const onError = (item: ExportItemRow, err: unknown): ItemOutcome => failed(item, `Cannot write the sidecar ${item.target}: ${reason(err)}`);
  const deciding = await eachItem(items, (item) => decide(env, item), onError);
  const decided = deciding.results.filter((r): r is Decided => r !== null && !isOutcome(r));
  if (decided.some((d) => d.item.backup)) await fsyncDirs([path.dirname(backupPath(env, 0))]);
  // The journal holds each decision before any sidecar is written.
  env.store.exports.recordSidecars(env.exportId, decided.filter((d) => d.fresh).map((d) => d.item));
  const writing = await eachItem(decided, (d) => write(env, d.item), (d, err) => onError(d.item, err));
  const outcomes = [...deciding.results, ...writing.results].filter(isOutcome);
  // A sidecar left as it was (skipped, failed) needs no saved original.
  for (const o of outcomes) {
    const backup = o.state !== 'done' ? decided.find((d) => d.item.seq === o.seq)?.item.backup : null;
    if (backup) await rm(backup, { force: true });
  }
  await fsyncDirs(outcomes.filter((o) => o.state === 'done').map((o) => path.dirname(o.target ?? '')));
  return { outcomes, stop: deciding.stop ?? writing.stop };
}

/** An item whose sidecar's prior state is known; `fresh`: decided now, not journalled yet. */
interface Decided {
  item: ExportItemRow;
  fresh: boolean;
}

/** Step 1: whether the sidecar exists (its bytes saved if so), or the item's final outcome. */
async function decide(env: ItemEnv, item: ExportItemRow): Promise<Decided | ItemOutcome> {
  if (!(await lstatOrNull(item.source))) return vanished(item);
  if (item.sidecarExisted !== null) return { item, fresh: false };
  const existing = await readOrNull(item.target);
  if (!existing) return { item: { ...item, sidecarExisted: false, backup: null }, fresh: true };
  const backup = backupPath(env, item.seq);
  await mkdir(path.dirname(backup), { recursive: true });
  await writeFile(backup, existing);
  await fsyncFile(backup);
  return { item: { ...item, sidecarExisted: true, backup }, fresh: true };
}

/** Step 2: the sidecar with the item's categories. */
async function write(env: ItemEnv, item: ExportItemRow): Promise<ItemOutcome> {
  const current = await readOrNull(item.target);
  const original = item.backup ? await readFile(item.backup) : null;
  if (item.sidecarExisted && !current) return failed(item, `${item.target} was removed while the export ran: left as it is`);
  let merged: { text: string; changed: boolean };
  try {
    merged = mergeSubjects(current ? text(current) : null, item.categories);
  } catch (err) {
    if (!(err instanceof XmpError)) throw err;
    return failed(item, `${item.target} is not an XMP sidecar Shoebox can read (${err.message}): left unchanged`);
  }
  if (current) {
    // Written before a kill (it differs from what was there, and holds every category): ours, done.
    const oursAlready = item.sidecarExisted ? original !== null && !current.equals(original) : true;
    if (!merged.changed && oursAlready) return done(item, { target: item.target, hash: sha256(current), method: 'sidecar' });
    if (!merged.changed) return skipped(item, `${item.target} already has these categories`);
    if (!item.sidecarExisted) return failed(item, `a sidecar appeared at ${item.target} while the export ran: run the export again`);
  }
  const temp = tempPath(path.dirname(item.target), env.exportId, item.seq);
  await rm(temp, { force: true });
  await writeFile(temp, merged.text);
  await fsyncFile(temp);
  if (item.sidecarExisted) await rename(temp, item.target);
  else if (!(await linkIntoPlace(temp, item.target))) {
    await rm(temp, { force: true });
    return failed(item, `a sidecar appeared at ${item.target} while the export ran: run the export again`);
  }
  return done(item, { target: item.target, hash: sha256(merged.text), method: 'sidecar' });
}

export async function undoTags(env: ItemEnv, items: readonly ExportItemRow[]): Promise<BatchResult> {
  const { results, stop } = await eachItem(items, (item) => undoSidecar(env, item), (item, err) => ({
    seq: item.seq,
    state: item.state,
    error: `Cannot restore the sidecar ${item.target}: ${reason(err)}`,
  }));
  await fsyncDirs(items.map((i) => path.dirname(i.target)));
  return { outcomes: results.filter(isOutcome), stop };
}

async function undoSidecar(env: ItemEnv, item: ExportItemRow): Promise<ItemOutcome> {
  await rm(tempPath(path.dirname(item.target), env.exportId, item.seq), { force: true });
  const undone: ItemOutcome = { seq: item.seq, state: 'undone', error: null };
  const current = await readOrNull(item.target);
  const original = item.backup ? await readOrNull(item.backup) : null;
  // Nothing decided or written yet (a kill before this item), or the sidecar is still the original.
  if (item.sidecarExisted === null || (original && current?.equals(original))) return undone;
  const ours = item.state === 'done' ? item.hash : sha256(mergeSubjects(original ? text(original) : null, item.categories).text);
  if (!current || sha256(current) !== ours) {
    if (item.state !== 'done') return undone;
    const saved = item.backup ? ` (its original is kept at ${item.backup})` : '';
    return { seq: item.seq, state: 'kept', error: `${item.target} ${current ? 'changed' : 'was removed'} after the export: left as it is${saved}` };
  }
  if (!original) {
    await unlink(item.target);
    return undone;
  }
  const temp = tempPath(path.dirname(item.target), env.exportId, item.seq);
  await writeFile(temp, original);
  await fsyncFile(temp);
  await rename(temp, item.target);
  return undone;
}
