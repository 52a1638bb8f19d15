// Incremental change detection against a real store and real files.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { hashBytes, hashFile } from '../../electron/core/library/hash.js';
import { addRoot } from '../../electron/core/library/roots.js';
import { planScan, type IndexCandidate, type ScanProgress } from '../../electron/core/library/scan.js';
import { openStore, type Store } from '../../electron/core/store/index.js';
import type { RootRow } from '../../electron/core/store/roots.js';

const MODEL = 'm1';

interface Fixture {
  dir: string;
  store: Store;
  root: RootRow;
  file: (rel: string) => string;
}

async function fixture(t: TestContext, files: Record<string, string>): Promise<Fixture> {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'shoebox-scan-')));
  const store = openStore(path.join(dir, 'library.sqlite'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = (rel: string): string => path.join(dir, 'photos', rel);
  for (const [rel, content] of Object.entries(files)) write(file(rel), content);
  const root = await addRoot(store, path.join(dir, 'photos'));
  return { dir, store, root, file };
}

function move(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  renameSync(from, to);
}

function write(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** What the indexer does for each candidate, minus decoding: commit a row and an embedding. */
function indexAll(store: Store, candidates: IndexCandidate[], modelId = MODEL): void {
  for (const c of candidates) {
    const contentHash = c.contentHash ?? hashBytes(readFileSync(c.path));
    store.photos.commitIndexed({
      ...c, contentHash, width: 1, height: 1, format: 'jpeg', takenAt: null, cameraMake: null, cameraModel: null,
      latitude: null, longitude: null, thumbPath: null, embedding: { modelId, vector: new Float32Array([1, c.size]) },
    });
  }
}

const rels = (f: Fixture, candidates: IndexCandidate[]): string[] => candidates.map((c) => path.relative(path.join(f.dir, 'photos'), c.path));

async function scanAndIndex(f: Fixture): Promise<void> {
  indexAll(f.store, (await planScan(f.store, [f.root], MODEL)).toIndex);
}

test('first scan queues every photo; the next scan skips them all', async (t) => {
  const f = await fixture(t, { 'a.jpg': 'aaa', 'sub/b.png': 'bb', '.hidden.jpg': 'h', 'notes.txt': 'n', 'Ünïcödé/写真.jpg': 'u' });
  const progress: ScanProgress[] = [];
  const first = await planScan(f.store, [f.root], MODEL, { onProgress: (p) => progress.push(p) });
  assert.deepEqual(rels(f, first.toIndex), ['a.jpg', 'sub/b.png', 'Ünïcödé/写真.jpg'].sort());
  assert.deepEqual(first.toIndex.map((c) => c.contentHash), [null, null, null], 'nothing missing, so nothing worth hashing');
  assert.deepEqual(first.toIndex[0], { path: f.file('a.jpg'), rootId: f.root.id, relPath: 'a.jpg', size: 3, mtimeMs: statSync(f.file('a.jpg')).mtimeMs, contentHash: null });
  assert.deepEqual([first.filesSeen, first.unchanged, first.missing, first.moved.length, first.scanErrors.length], [3, 0, 0, 0, 0]);
  assert.ok(progress.some((p) => p.phase === 'walk' && p.folders > 0));
  indexAll(f.store, first.toIndex);

  const second = await planScan(f.store, [f.root], MODEL);
  assert.deepEqual([second.toIndex.length, second.unchanged, second.missing], [0, 3, 0]);
});

test('a touched file with the same content is skipped; changed content is queued again', async (t) => {
  const f = await fixture(t, { 'touched.jpg': 'same', 'edited.jpg': 'before', 'resized.jpg': 'small' });
  await scanAndIndex(f);
  const later = new Date(Date.now() + 60_000);
  utimesSync(f.file('touched.jpg'), later, later);
  writeFileSync(f.file('edited.jpg'), 'AFTER!'); // same size, new content
  utimesSync(f.file('edited.jpg'), later, later);
  appendFileSync(f.file('resized.jpg'), ' and bigger');

  const plan = await planScan(f.store, [f.root], MODEL);
  assert.deepEqual(rels(f, plan.toIndex), ['edited.jpg', 'resized.jpg']);
  assert.equal(plan.toIndex[0]!.contentHash, await hashFile(f.file('edited.jpg')), 'hashed to compare, so handed on');
  assert.equal(plan.toIndex[1]!.contentHash, null);
  assert.equal(plan.unchanged, 1);
  assert.equal(f.store.photos.getByPath(f.file('touched.jpg'))!.mtimeMs, statSync(f.file('touched.jpg')).mtimeMs);
  indexAll(f.store, plan.toIndex);
  assert.equal((await planScan(f.store, [f.root], MODEL)).toIndex.length, 0);
});

test('a renamed or moved file is recognised by content and keeps its embedding', async (t) => {
  const f = await fixture(t, { 'a.jpg': 'content of a', 'b.jpg': 'content of b', 'same-size.jpg': 'content of c' });
  await scanAndIndex(f);
  const before = f.store.photos.getByPath(f.file('a.jpg'))!;
  const embedding = f.store.embeddings.get(before.id, MODEL);
  move(f.file('a.jpg'), f.file('2021/holiday/renamed.jpg'));
  write(f.file('new.jpg'), 'content of x'); // same size as a missing photo, different content

  const plan = await planScan(f.store, [f.root], MODEL);
  assert.deepEqual(plan.moved, [{ photoId: before.id, from: f.file('a.jpg'), to: f.file('2021/holiday/renamed.jpg') }]);
  assert.deepEqual(rels(f, plan.toIndex), ['new.jpg']);
  assert.equal(plan.toIndex[0]!.contentHash, hashBytes(Buffer.from('content of x')));
  assert.deepEqual([plan.missing, plan.unchanged], [0, 2]);
  const after = f.store.photos.getById(before.id)!;
  assert.deepEqual([after.path, after.relPath, after.status], [f.file('2021/holiday/renamed.jpg'), path.join('2021', 'holiday', 'renamed.jpg'), 'indexed']);
  assert.deepEqual(f.store.embeddings.get(before.id, MODEL), embedding);
});

test('a deleted file becomes missing; when it comes back, by any name, it is itself again', async (t) => {
  const f = await fixture(t, { 'a.jpg': 'aaaa', 'b.jpg': 'bbbbb' });
  await scanAndIndex(f);
  const a = f.store.photos.getByPath(f.file('a.jpg'))!;
  const b = f.store.photos.getByPath(f.file('b.jpg'))!;
  const bytesA = readFileSync(f.file('a.jpg'));
  const statA = statSync(f.file('a.jpg'));
  unlinkSync(f.file('a.jpg'));
  renameSync(f.file('b.jpg'), path.join(f.dir, 'b-outside.jpg'));

  const gone = await planScan(f.store, [f.root], MODEL);
  assert.deepEqual([gone.missing, gone.toIndex.length, gone.unchanged], [2, 0, 0]);
  assert.deepEqual(f.store.photos.countByStatus(), { indexed: 0, failed: 0, missing: 2 });
  assert.equal(f.store.embeddings.loadAll(MODEL).ids.length, 0, 'missing photos leave search');
  assert.equal((await planScan(f.store, [f.root], MODEL)).missing, 0, 'already missing is not counted again');

  writeFileSync(f.file('a.jpg'), bytesA); // restored from a backup, same mtime
  utimesSync(f.file('a.jpg'), statA.atime, statA.mtime);
  move(path.join(f.dir, 'b-outside.jpg'), f.file('back/b.jpg')); // back under another name
  const back = await planScan(f.store, [f.root], MODEL);
  assert.deepEqual([back.toIndex.length, back.unchanged, back.missing], [0, 1, 0]);
  assert.deepEqual(back.moved.map((m) => m.photoId), [b.id]);
  assert.equal(f.store.photos.getById(a.id)!.status, 'indexed');
  assert.equal(f.store.embeddings.loadAll(MODEL).ids.length, 2);
});

test('photos without an embedding for the asked model, or that failed, are queued again', async (t) => {
  const f = await fixture(t, { 'a.jpg': 'aaa', 'bad.jpg': 'not really a jpeg' });
  const first = await planScan(f.store, [f.root], MODEL);
  indexAll(f.store, first.toIndex.filter((c) => !c.path.endsWith('bad.jpg')));
  f.store.photos.recordFailure(f.file('bad.jpg'), f.root.id, 'decode', 'VipsJpeg', 'not a JPEG file');
  const a = f.store.photos.getByPath(f.file('a.jpg'))!;

  const other = await planScan(f.store, [f.root], 'm2');
  assert.deepEqual(rels(f, other.toIndex), ['a.jpg', 'bad.jpg']);
  assert.equal(other.toIndex[0]!.contentHash, a.contentHash, 'a stored hash of unchanged bytes is handed on');
  const again = await planScan(f.store, [f.root], MODEL);
  assert.deepEqual(rels(f, again.toIndex), ['bad.jpg']);
});

test('a root that cannot be read marks nothing missing; scan errors are stored and cleared when fixed', async (t) => {
  const f = await fixture(t, { 'a.jpg': 'aaa', 'broken.jpg': 'zzz' });
  await scanAndIndex(f);
  f.store.photos.recordFailure(f.file('broken.jpg'), f.root.id, 'decode', null, 'truncated');
  const parked = path.join(f.dir, 'parked');
  renameSync(path.join(f.dir, 'photos'), parked); // the drive is unplugged

  const offline = await planScan(f.store, [f.root], MODEL);
  assert.deepEqual([offline.filesSeen, offline.missing, offline.toIndex.length], [0, 0, 0]);
  assert.deepEqual(offline.scanErrors.map((e) => [e.path, e.code]), [[f.root.path, 'ENOENT']]);
  assert.equal(f.store.errors.get(f.root.path)?.stage, 'scan');
  assert.equal(f.store.errors.get(f.file('broken.jpg'))?.message, 'truncated', 'errors under an unreadable folder are kept');
  assert.deepEqual(f.store.photos.countByStatus(), { indexed: 1, failed: 1, missing: 0 });

  renameSync(parked, path.join(f.dir, 'photos'));
  unlinkSync(f.file('broken.jpg'));
  const online = await planScan(f.store, [f.root], MODEL);
  assert.deepEqual([online.unchanged, online.missing, online.scanErrors.length], [1, 1, 0]);
  assert.equal(f.store.errors.count(), 0, 'the root error and the deleted file\'s error are gone');
});

test('aborting during the walk changes nothing', async (t) => {
  const f = await fixture(t, { 'a/1.jpg': '1', 'b/2.jpg': '2' });
  await scanAndIndex(f);
  rmSync(f.file('a'), { recursive: true });
  const controller = new AbortController();
  await assert.rejects(
    planScan(f.store, [f.root], MODEL, { signal: controller.signal, onProgress: () => controller.abort() }),
    { name: 'AbortError' },
  );
  assert.deepEqual(f.store.photos.countByStatus(), { indexed: 2, failed: 0, missing: 0 });
});
