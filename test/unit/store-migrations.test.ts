// Opening the library database: connection settings, numbered migrations, refusing newer files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { openDatabase } from '../../electron/core/store/db.js';
import { migrate, schemaVersion } from '../../electron/core/store/migrate.js';
import { MIGRATIONS } from '../../electron/core/store/migrations/index.js';
import { openStore } from '../../electron/core/store/index.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoebox-migrate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a new database gets WAL, NORMAL sync, foreign keys, a busy timeout and the latest schema', (t) => {
  const file = path.join(tempDir(t), 'nested', 'library.sqlite');
  const db = openDatabase(file);
  t.after(() => db.close());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('synchronous', { simple: true }), 1);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('page_size', { simple: true }), 16384);
  assert.ok((db.pragma('busy_timeout', { simple: true }) as number) > 0);
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  assert.deepEqual(tables, ['adapter_versions', 'captions', 'categories', 'embeddings', 'export_items', 'exports', 'jobs', 'photo_errors', 'photos', 'roots', 'settings', 'sort_corrections', 'text_embeddings']);
});

test('reopening keeps the data and applies nothing twice', (t) => {
  const file = path.join(tempDir(t), 'library.sqlite');
  const first = openStore(file);
  first.roots.add('/photos');
  first.close();
  const db = openDatabase(file);
  t.after(() => db.close());
  assert.deepEqual(migrate(db, MIGRATIONS, file), []);
  assert.equal(db.prepare('SELECT path FROM roots').pluck().get(), '/photos');
});

test('a database written by a newer Shoebox is refused with the file name and what to do', (t) => {
  const file = path.join(tempDir(t), 'library.sqlite');
  openDatabase(file).close();
  const raw = new Database(file);
  raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  raw.close();
  assert.throws(() => openDatabase(file), (err: Error) => {
    assert.ok(err.message.includes(file), err.message);
    assert.match(err.message, /newer Shoebox/);
    return true;
  });
});

test('a file that is not a database is refused with its name', (t) => {
  const file = path.join(tempDir(t), 'library.sqlite');
  writeFileSync(file, 'this is not sqlite '.repeat(100));
  assert.throws(() => openDatabase(file), (err: Error) => err.message.includes(file));
});

test('a failing migration rolls back completely, version included', (t) => {
  const file = path.join(tempDir(t), 'library.sqlite');
  const db = new Database(file);
  t.after(() => db.close());
  const good = { version: 1, name: 'one', sql: 'CREATE TABLE one (x INTEGER);' };
  const bad = { version: 2, name: 'two', sql: 'CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);' };
  assert.throws(() => migrate(db, [good, bad], file), /nowhere/);
  assert.equal(schemaVersion(db), 1);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  assert.deepEqual(tables, ['one']);
});

test('a migration list with a gap is refused before touching the database', (t) => {
  const db = new Database(path.join(tempDir(t), 'x.sqlite'));
  t.after(() => db.close());
  assert.throws(() => migrate(db, [{ version: 2, name: 'two', sql: 'CREATE TABLE two (x);' }], 'x'), /out of order/);
  assert.equal(schemaVersion(db), 0);
});

test('removing a root cascades to its photos, embeddings and errors', (t) => {
  const store = openStore(path.join(tempDir(t), 'library.sqlite'));
  t.after(() => store.close());
  const root = store.roots.add('/photos');
  const other = store.roots.add('/other');
  const meta = { width: 1, height: 1, format: 'jpeg', takenAt: null, cameraMake: null, cameraModel: null, latitude: null, longitude: null };
  const vector = new Float32Array([1, 0]);
  const id = store.photos.commitIndexed({ ...meta, path: '/photos/a.jpg', rootId: root.id, relPath: 'a.jpg', size: 1, mtimeMs: 1, contentHash: 'h', thumbPath: null, embedding: { modelId: 'm', vector } });
  store.photos.commitIndexed({ ...meta, path: '/other/b.jpg', rootId: other.id, relPath: 'b.jpg', size: 1, mtimeMs: 1, contentHash: 'h2', thumbPath: null, embedding: { modelId: 'm', vector } });
  store.photos.recordFailure('/photos/bad.jpg', root.id, 'decode', 'E', 'broken');
  assert.equal(store.roots.remove(root.id), true);
  assert.equal(store.photos.getById(id), undefined);
  assert.equal(store.embeddings.hasEmbedding(id, 'm'), false);
  assert.equal(store.errors.get('/photos/bad.jpg'), undefined);
  assert.deepEqual(store.roots.list().map((r) => r.path), ['/other']);
  assert.equal(store.embeddings.countIndexed('m'), 1);
});
