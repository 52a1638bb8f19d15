// Photo rows: the one-transaction commit, failures, missing/moved bookkeeping, crash safety.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openStore, type Store } from '../../electron/core/store/index.js';
import type { IndexedPhotoRecord } from '../../electron/core/store/photos.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newStore(t: TestContext): { store: Store; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoebox-photos-'));
  const store = openStore(path.join(dir, 'library.sqlite'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, dir };
}

function record(rootId: number, name: string, over: Partial<IndexedPhotoRecord> = {}): IndexedPhotoRecord {
  return {
    path: `/photos/${name}`,
    rootId,
    relPath: name,
    size: 100,
    mtimeMs: 1700000000000.25,
    contentHash: `hash-${name}`,
    width: 640,
    height: 480,
    format: 'jpeg',
    takenAt: 1600000000000,
    cameraMake: 'Canon',
    cameraModel: 'EOS',
    latitude: 51.5,
    longitude: -0.12,
    thumbPath: `thumbs/${name}.webp`,
    embedding: { modelId: 'm1', vector: new Float32Array([3, 4, 0]) },
    ...over,
  };
}

test('commitIndexed writes the row, metadata and normalised embedding and clears the error', (t) => {
  const { store } = newStore(t);
  const root = store.roots.add('/photos');
  store.photos.recordFailure('/photos/a.jpg', root.id, 'decode', 'EBAD', 'truncated');
  const id = store.photos.commitIndexed(record(root.id, 'a.jpg'), 5);
  const row = store.photos.getByPath('/photos/a.jpg')!;
  assert.equal(row.id, id);
  assert.equal(row.status, 'indexed');
  assert.equal(row.mtimeMs, 1700000000000.25);
  assert.equal(row.cameraMake, 'Canon');
  assert.equal(row.latitude, 51.5);
  assert.equal(row.indexedAt, 5);
  assert.deepEqual([...store.embeddings.get(id, 'm1')!], [0.6000000238418579, 0.800000011920929, 0]);
  assert.equal(store.errors.get('/photos/a.jpg'), undefined);
});

test('re-indexing a path keeps its id; new content drops other models\' embeddings, same content keeps them', (t) => {
  const { store } = newStore(t);
  const root = store.roots.add('/photos');
  const id = store.photos.commitIndexed(record(root.id, 'a.jpg'));
  store.photos.commitIndexed(record(root.id, 'a.jpg', { embedding: { modelId: 'm2', vector: new Float32Array([1, 0, 0]) } }));
  assert.equal(store.embeddings.hasEmbedding(id, 'm1'), true);
  const again = store.photos.commitIndexed(record(root.id, 'a.jpg', { contentHash: 'new', size: 7, embedding: { modelId: 'm2', vector: new Float32Array([0, 1, 0]) } }));
  assert.equal(again, id);
  assert.equal(store.embeddings.hasEmbedding(id, 'm1'), false);
  assert.deepEqual([...store.embeddings.get(id, 'm2')!], [0, 1, 0]);
  assert.equal(store.photos.getById(id)!.size, 7);
});

test('a failure inside commitIndexed leaves nothing half-written', (t) => {
  const { store } = newStore(t);
  const root = store.roots.add('/photos');
  const id = store.photos.commitIndexed(record(root.id, 'old.jpg'));
  store.photos.recordFailure('/photos/new.jpg', root.id, 'decode', null, 'first try failed');

  // The embedding insert fails after the photo row was written: the row must roll back too.
  store.db.exec("CREATE TEMP TRIGGER fail_embedding BEFORE INSERT ON embeddings BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
  assert.throws(() => store.photos.commitIndexed(record(root.id, 'new.jpg')), /disk on fire/);
  assert.equal(store.photos.getByPath('/photos/new.jpg'), undefined);
  assert.equal(store.errors.get('/photos/new.jpg')?.message, 'first try failed');
  store.db.exec('DROP TRIGGER fail_embedding');

  // An update of an existing photo whose vector is unusable: old row and embedding stay.
  const before = store.photos.getById(id)!;
  assert.throws(() => store.photos.commitIndexed(record(root.id, 'old.jpg', { size: 999, contentHash: 'x', embedding: { modelId: 'm1', vector: new Float32Array([NaN, 1, 0]) } })), /norm/);
  assert.deepEqual(store.photos.getById(id), before);
  assert.deepEqual([...store.embeddings.get(id, 'm1')!], [0.6000000238418579, 0.800000011920929, 0]);
  assert.deepEqual(store.photos.countByStatus(), { indexed: 1, failed: 0, missing: 0 });
});

test('recordFailure marks an existing photo failed and keeps one current error per path', (t) => {
  const { store } = newStore(t);
  const root = store.roots.add('/photos');
  const id = store.photos.commitIndexed(record(root.id, 'a.jpg'));
  store.photos.recordFailure('/photos/a.jpg', root.id, 'decode', 'E1', 'first', 1);
  store.photos.recordFailure('/photos/a.jpg', root.id, 'encode', 'E2', 'second', 2);
  store.photos.recordFailure('/photos/never-indexed.png', root.id, 'decode', null, 'not an image', 3);
  assert.equal(store.photos.getById(id)!.status, 'failed');
  assert.equal(store.embeddings.hasEmbedding(id, 'm1'), true);
  assert.equal(store.errors.count(), 2);
  assert.deepEqual(store.errors.get('/photos/a.jpg'), { path: '/photos/a.jpg', rootId: root.id, stage: 'encode', code: 'E2', message: 'second', at: 2 });
  assert.equal(store.photos.getByPath('/photos/never-indexed.png'), undefined);
  assert.deepEqual(store.photos.countByStatus(), { indexed: 0, failed: 1, missing: 0 });
  assert.equal(store.embeddings.countIndexed('m1'), 0);
});

test('missing photos are found by hash and relocated with their embedding; restore brings them back', (t) => {
  const { store } = newStore(t);
  const root = store.roots.add('/photos');
  const other = store.roots.add('/other');
  const a = store.photos.commitIndexed(record(root.id, 'a.jpg', { contentHash: 'same', size: 10 }));
  const b = store.photos.commitIndexed(record(root.id, 'b.jpg', { size: 20 }));
  assert.equal(store.photos.markMissing([a, b], 42), 2);
  assert.equal(store.photos.markMissing([a], 43), 0, 'already missing is not counted again');
  assert.equal(store.photos.getById(a)!.missingSince, 42);
  assert.deepEqual(store.photos.missingSizes(), new Set([10, 20]));
  assert.deepEqual(store.photos.findMissingByHash('same').map((p) => p.id), [a]);
  assert.deepEqual(store.photos.findMissingByHash('hash-a.jpg'), []);

  store.photos.relocate(a, { path: '/other/renamed.jpg', rootId: other.id, relPath: 'renamed.jpg', size: 10, mtimeMs: 9 });
  const moved = store.photos.getById(a)!;
  assert.deepEqual([moved.path, moved.rootId, moved.relPath, moved.status, moved.missingSince, moved.mtimeMs], ['/other/renamed.jpg', other.id, 'renamed.jpg', 'indexed', null, 9]);
  assert.equal(store.embeddings.hasEmbedding(a, 'm1'), true);
  assert.equal(store.photos.getByPath('/photos/a.jpg'), undefined);

  store.photos.restore([b]);
  assert.deepEqual(store.photos.countByStatus(), { indexed: 2, failed: 0, missing: 0 });
  store.photos.updateStat(b, 21, 77);
  assert.deepEqual([store.photos.getById(b)!.size, store.photos.getById(b)!.mtimeMs], [21, 77]);
  assert.throws(() => store.photos.relocate(9999, { path: '/x', rootId: root.id, relPath: 'x', size: 1, mtimeMs: 1 }), /no such photo/);
});

test('kill -9 in the middle of indexing leaves only whole photos', async (t) => {
  const { dir } = newStore(t);
  const file = path.join(dir, 'library.sqlite');
  const storeUrl = pathToFileURL(path.join(repoRoot, 'electron/core/store/index.ts')).href;
  // The child commits photos as fast as it can and says when it has committed some.
  const child = spawn(
    process.execPath,
    [
      '--import', 'tsx', '--input-type=module', '-e',
      `import { openStore } from ${JSON.stringify(storeUrl)};
       const store = openStore(process.argv[1]);
       const root = store.roots.list()[0] ?? store.roots.add('/photos');
       const v = new Float32Array(512).fill(1);
       for (let i = 0; ; i++) {
         store.photos.commitIndexed({ path: '/photos/' + i + '.jpg', rootId: root.id, relPath: i + '.jpg', size: i, mtimeMs: i,
           contentHash: 'h' + i, width: 1, height: 1, format: 'jpeg', takenAt: null, cameraMake: null, cameraModel: null,
           latitude: null, longitude: null, thumbPath: null, embedding: { modelId: 'm', vector: v } });
         if (i === 200) process.stdout.write('ready\\n');
       }`,
      file,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('close', resolve));

  const store = openStore(file);
  t.after(() => store.close());
  const photos = store.db.prepare('SELECT count(*) FROM photos').pluck().get() as number;
  const orphans = store.db.prepare('SELECT count(*) FROM photos p WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.photo_id = p.id)').pluck().get();
  assert.ok(photos > 200, `${photos} photos survived`);
  assert.equal(orphans, 0);
  assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
  assert.equal(store.embeddings.loadAll('m').ids.length, photos);
});
