// The grid's pages at scale: migration 002's indexes serve the page query's order for every
// filter shape (no sort of the whole library, with or without planner statistics), pages come
// out in the documented order, and a version-1 library file migrates with its rows intact.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../electron/core/store/db.js';
import { migrate, schemaVersion } from '../../electron/core/store/migrate.js';
import { MIGRATIONS } from '../../electron/core/store/migrations/index.js';
import { gridPageSql, PhotoQueries, type PhotoFilter } from '../../electron/core/store/photo-queries.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { tempDir } from '../support/temp-dir.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);

/** Writes `count` photos over two roots: mixed statuses, some undated, many sharing a date. */
function fill(db: Db, count: number): void {
  const rng = new Rng(3);
  const roots = [1, 2].map((i) => Number(db.prepare('INSERT INTO roots (path, added_at) VALUES (?, 0)').run(`/root-${i}`).lastInsertRowid));
  const insert = db.prepare(
    `INSERT INTO photos (root_id, path, rel_path, size, mtime_ms, status, taken_at, thumb_path) VALUES (?, ?, ?, 1, 0, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const root = roots[i % 2]!;
      const rel = `album-${rng.int(0, 9)}/IMG_${String(rng.int(0, 1_000_000)).padStart(7, '0')}-${i}.jpg`;
      const status = i % 10 === 9 ? 'failed' : i % 10 === 8 ? 'missing' : 'indexed';
      const takenAt = i % 7 === 0 ? null : T0 + rng.int(0, 60) * DAY; // few distinct dates: the path breaks ties
      insert.run(root, `/root-${root}/${rel}`, rel, status, takenAt, i % 3 === 0 ? null : `/thumbs/${i}.webp`);
    }
  })();
}

interface Row {
  id: number;
  root_id: number;
  path: string;
  taken_at: number | null;
}

/** The grid order computed here, independently of SQL. */
function expected(db: Db, f: PhotoFilter): number[] {
  const rows = db.prepare<[], Row>("SELECT id, root_id, path, taken_at FROM photos WHERE status = 'indexed'").all();
  return rows
    .filter((r) => f.rootId === undefined || r.root_id === f.rootId)
    .filter((r) => f.takenFrom === undefined || (r.taken_at !== null && r.taken_at >= f.takenFrom))
    .filter((r) => f.takenTo === undefined || (r.taken_at !== null && r.taken_at <= f.takenTo))
    .sort((a, b) => {
      if ((a.taken_at === null) !== (b.taken_at === null)) return a.taken_at === null ? 1 : -1;
      if (a.taken_at !== b.taken_at) return b.taken_at! - a.taken_at!;
      return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    })
    .map((r) => r.id);
}

/** Every combination of the filter's fields. */
const SHAPES: PhotoFilter[] = [
  {},
  { rootId: 1 },
  { takenFrom: T0 + 10 * DAY },
  { takenTo: T0 + 40 * DAY },
  { takenFrom: T0 + 10 * DAY, takenTo: T0 + 40 * DAY },
  { rootId: 2, takenFrom: T0 + 10 * DAY },
  { rootId: 1, takenTo: T0 + 40 * DAY },
  { rootId: 2, takenFrom: T0 + 5 * DAY, takenTo: T0 + 6 * DAY },
];

function plan(db: Db, f: PhotoFilter): string[] {
  const params = [f.rootId, f.takenFrom, f.takenTo].filter((v) => v !== undefined);
  return db
    .prepare<number[], { detail: string }>(`EXPLAIN QUERY PLAN ${gridPageSql(f)}`)
    .all(...params, 100, 0)
    .map((r) => r.detail);
}

test('the page query reads an index in grid order for every filter shape, without, with and with stale statistics', async (t) => {
  const db = openDatabase(path.join(await tempDir(t, 'shoebox-grid-'), 'library.sqlite'));
  t.after(() => db.close());
  fill(db, 3000);
  for (const stats of ['without', 'with', 'stale']) {
    if (stats === 'with') db.exec('ANALYZE'); // what PRAGMA optimize does on close, sooner or later
    // An index rebuilt after the last ANALYZE has no statistics while the others do.
    if (stats === 'stale') db.exec('DROP INDEX photos_status; CREATE INDEX photos_status ON photos(status);');
    for (const f of SHAPES) {
      const steps = plan(db, f);
      assert.ok(!steps.some((s) => s.includes('TEMP B-TREE')), `${stats} statistics, filter ${JSON.stringify(f)}: ${steps.join('; ')}`);
      assert.ok(steps.some((s) => /USING INDEX photos_(root_)?grid/.test(s)), steps.join('; '));
    }
  }
});

test('pages come newest first, undated last, ties by path, for every filter shape and across page edges', async (t) => {
  const db = openDatabase(path.join(await tempDir(t, 'shoebox-grid-'), 'library.sqlite'));
  t.after(() => db.close());
  fill(db, 1500);
  const queries = new PhotoQueries(db);
  for (const f of SHAPES) {
    const want = expected(db, f);
    const got: number[] = [];
    for (let offset = 0; ; offset += 97) {
      const { total, photos } = queries.page(f, offset, 97);
      assert.equal(total, want.length, JSON.stringify(f));
      if (photos.length === 0) break;
      got.push(...photos.map((p) => p.id));
    }
    assert.deepEqual(got, want, JSON.stringify(f));
    const matching = queries.matching(f);
    assert.deepEqual(matching === null ? null : [...matching].sort((a, b) => a - b), Object.keys(f).length === 0 ? null : [...want].sort((a, b) => a - b));
  }
  // A second PhotoQueries on the same connection agrees.
  assert.deepEqual(new PhotoQueries(db).page({ rootId: 2 }, 10, 5), queries.page({ rootId: 2 }, 10, 5));
});

test('a version-1 library migrates to the grid indexes with its rows intact', async (t) => {
  const file = path.join(await tempDir(t, 'shoebox-grid-'), 'library.sqlite');
  const v1 = new Database(file);
  v1.pragma('journal_mode = WAL');
  migrate(v1, MIGRATIONS.slice(0, 1), file);
  assert.equal(schemaVersion(v1), 1);
  fill(v1, 400);
  v1.exec('ANALYZE'); // statistics that know photos_status but not the new indexes
  const before = v1.prepare('SELECT * FROM photos ORDER BY id').all();
  const beforeOrder = expected(v1, {});
  v1.close();

  const db = openDatabase(file);
  t.after(() => db.close());
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  const indexes = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos' AND sql IS NOT NULL ORDER BY name").pluck().all();
  assert.deepEqual(indexes, ['photos_added', 'photos_days', 'photos_grid', 'photos_hash', 'photos_name', 'photos_root_grid', 'photos_status']);
  // Version 1's columns are unchanged (migration 006 adds taken_day; store-timeline.test.ts checks it).
  const v1Columns = Object.keys(before[0] as object).join(', ');
  assert.deepEqual(db.prepare(`SELECT ${v1Columns} FROM photos ORDER BY id`).all(), before);
  for (const f of SHAPES) assert.ok(!plan(db, f).some((s) => s.includes('TEMP B-TREE')), `${JSON.stringify(f)}: ${plan(db, f).join('; ')}`);
  const page = new PhotoQueries(db).page({}, 0, 1000);
  assert.deepEqual(page.photos.map((p) => p.id), beforeOrder);
  // Removing a root still cascades (photos_root_grid now serves the foreign key).
  db.prepare('DELETE FROM roots WHERE id = 1').run();
  assert.equal(db.prepare<[], number>('SELECT count(*) FROM photos WHERE root_id = 1').pluck().get(), 0);
});
