// The timeline and the grid's sort orders at the store: photos per local day in the order pages
// list them (undated last), read from an index for every filter shape; "date added" and "name"
// pages in their documented order from their own indexes; taken_day kept by the triggers and
// filled in when a version-5 library migrates.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../electron/core/store/db.js';
import { migrate } from '../../electron/core/store/migrate.js';
import { MIGRATIONS } from '../../electron/core/store/migrations/index.js';
import { gridPageSql, PhotoQueries, timelineSql, type DatedOrder, type PhotoFilter, type PhotoOrder } from '../../electron/core/store/photo-queries.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { tempDir } from '../support/temp-dir.js';

const HOUR = 3_600_000;
const T0 = new Date(2019, 11, 30).getTime(); // local midnight, so days and months change inside the data

/** Photos over two roots with mixed statuses, undated ones, hours that cross local midnights, Windows and POSIX relative paths. */
function fill(db: Db, count: number, batch = 0): void {
  const rng = new Rng(11);
  const roots = [1, 2].map((i) => Number(db.prepare('INSERT INTO roots (path, added_at) VALUES (?, 0)').run(`/root-${batch}-${i}`).lastInsertRowid));
  const insert = db.prepare(
    `INSERT INTO photos (root_id, path, rel_path, size, mtime_ms, status, taken_at, indexed_at) VALUES (?, ?, ?, 1, 0, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const root = roots[i % 2]!;
      const sep = i % 4 === 0 ? '\\' : '/';
      const name = `${rng.int(0, 1) ? 'IMG' : 'img'}_${String(rng.int(0, 500)).padStart(4, '0')}.jpg`;
      const rel = `album-${rng.int(0, 5)}${sep}${name}`;
      const status = i % 10 === 9 ? 'failed' : 'indexed';
      const takenAt = i % 6 === 0 ? null : T0 + rng.int(0, 24 * 70) * HOUR + rng.int(0, 59) * 60_000;
      insert.run(root, `/root-${root}/${batch}-${i}/${rel}`, rel, status, takenAt, T0 + rng.int(0, 24 * 5) * HOUR);
    }
  })();
}

interface Row {
  id: number;
  root_id: number;
  path: string;
  rel_path: string;
  taken_at: number | null;
  indexed_at: number;
}

/** The local calendar day as yyyymmdd, computed here with Date rather than SQLite. */
function localDay(ms: number): number {
  const d = new Date(ms);
  return d.getFullYear() * 10_000 + (d.getMonth() + 1) * 100 + d.getDate();
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const fileKey = (rel: string): string => rel.split(/[\\/]/).pop()!.toLowerCase();

/** Indexed rows under a filter, in an order computed here, independently of SQL. */
function expected(db: Db, f: PhotoFilter, order: PhotoOrder): Row[] {
  const rows = db.prepare<[], Row>("SELECT id, root_id, path, rel_path, taken_at, indexed_at FROM photos WHERE status = 'indexed'").all();
  const compare: Record<PhotoOrder, (a: Row, b: Row) => number> = {
    taken: (a, b) =>
      (a.taken_at === null) !== (b.taken_at === null) ? (a.taken_at === null ? 1 : -1) : (b.taken_at ?? 0) - (a.taken_at ?? 0) || byText(a.path, b.path),
    added: (a, b) => b.indexed_at - a.indexed_at || byText(a.path, b.path),
    name: (a, b) => byText(fileKey(a.rel_path), fileKey(b.rel_path)) || byText(a.path, b.path),
  };
  return rows
    .filter((r) => f.rootId === undefined || r.root_id === f.rootId)
    .filter((r) => f.takenFrom === undefined || (r.taken_at !== null && r.taken_at >= f.takenFrom))
    .filter((r) => f.takenTo === undefined || (r.taken_at !== null && r.taken_at <= f.takenTo))
    .sort(compare[order]);
}

/** Consecutive runs of the same day, as the timeline should report them. */
function runs(days: (number | null)[]): { day: number | null; count: number }[] {
  const out: { day: number | null; count: number }[] = [];
  for (const day of days) {
    const last = out[out.length - 1];
    if (last && last.day === day) last.count++;
    else out.push({ day, count: 1 });
  }
  return out;
}

const SHAPES: PhotoFilter[] = [
  {},
  { rootId: 1 },
  { takenFrom: T0 + 10 * 24 * HOUR },
  { takenFrom: T0 + 3 * 24 * HOUR, takenTo: T0 + 40 * 24 * HOUR },
  { rootId: 2, takenTo: T0 + 20 * 24 * HOUR },
];

const plan = (db: Db, sql: string, f: PhotoFilter, extra: number[] = []): string[] =>
  db
    .prepare<number[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...[f.rootId, f.takenFrom, f.takenTo].filter((v) => v !== undefined), ...extra)
    .map((r) => r.detail);

test('the timeline counts photos per local day in page order, undated last, for every filter shape', async (t) => {
  const db = openDatabase(path.join(await tempDir(t, 'shoebox-timeline-'), 'library.sqlite'));
  t.after(() => db.close());
  fill(db, 2000);
  const queries = new PhotoQueries(db);
  for (const f of SHAPES) {
    for (const order of ['taken', 'added'] as const satisfies DatedOrder[]) {
      const rows = expected(db, f, order);
      const want = runs(rows.map((r) => (order === 'taken' ? (r.taken_at === null ? null : localDay(r.taken_at)) : localDay(r.indexed_at))));
      assert.ok(want.length > (order === 'taken' ? 10 : 3), `${order}: a timeline with many days`);
      assert.deepEqual(queries.timeline(f, order), want, `${order} ${JSON.stringify(f)}`);
      // Each day's photos are the next `count` photos of the pages: the grid lays headers out from these counts.
      const listed = queries.page(f, 0, 1000, order).photos.map((p) => p.id);
      assert.deepEqual(listed, rows.slice(0, 1000).map((r) => r.id));
    }
    const all = queries.timeline(f, 'taken');
    if (f.takenFrom === undefined && f.takenTo === undefined) assert.equal(all[all.length - 1]!.day, null, 'the undated group comes last');
    else assert.ok(all.every((d) => d.day !== null), 'a date filter leaves the undated out');
  }
});

test('the timeline and the date-added and name pages read their indexes, without sorting the library', async (t) => {
  const db = openDatabase(path.join(await tempDir(t, 'shoebox-timeline-'), 'library.sqlite'));
  t.after(() => db.close());
  fill(db, 3000);
  db.exec('ANALYZE');
  for (const f of SHAPES) {
    const days = plan(db, timelineSql(f, 'taken'), f);
    assert.ok(days.some((s) => s.includes('COVERING INDEX photos_days')) && !days.some((s) => s.includes('TEMP B-TREE')), days.join('; '));
    const added = plan(db, timelineSql(f, 'added'), f);
    assert.ok(added.some((s) => s.includes('COVERING INDEX photos_added')), added.join('; '));
    for (const order of ['added', 'name'] as const) {
      const steps = plan(db, gridPageSql(f, order), f, [100, 0]);
      assert.ok(steps.some((s) => s.includes(`INDEX photos_${order}`)) && !steps.some((s) => s.includes('TEMP B-TREE')), `${order}: ${steps.join('; ')}`);
    }
  }
});

test('pages in name order sort by the file name without its folders, either separator, ignoring case', async (t) => {
  const db = openDatabase(path.join(await tempDir(t, 'shoebox-timeline-'), 'library.sqlite'));
  t.after(() => db.close());
  fill(db, 800);
  const queries = new PhotoQueries(db);
  for (const f of SHAPES) {
    const got: number[] = [];
    for (let offset = 0; ; offset += 97) {
      const { photos } = queries.page(f, offset, 97, 'name');
      if (photos.length === 0) break;
      got.push(...photos.map((p) => p.id));
    }
    assert.deepEqual(got, expected(db, f, 'name').map((r) => r.id), JSON.stringify(f));
  }
});

test('taken_day follows taken_at on insert and update, and a version-5 library gets it when it migrates', async (t) => {
  const file = path.join(await tempDir(t, 'shoebox-timeline-'), 'library.sqlite');
  const v5 = new Database(file);
  migrate(v5, MIGRATIONS.slice(0, 5), file);
  fill(v5, 300);
  v5.close();

  const db = openDatabase(file);
  t.after(() => db.close());
  const mismatched = (): number =>
    db
      .prepare<[], { taken_at: number | null; taken_day: number | null }>('SELECT taken_at, taken_day FROM photos')
      .all()
      .filter((r) => r.taken_day !== (r.taken_at === null ? null : localDay(r.taken_at))).length;
  assert.equal(mismatched(), 0, 'migrated rows');
  fill(db, 300, 1);
  db.prepare('UPDATE photos SET taken_at = ? WHERE id % 3 = 0').run(new Date(2001, 6, 4, 23, 30).getTime());
  db.prepare('UPDATE photos SET taken_at = NULL WHERE id % 3 = 1').run();
  assert.equal(mismatched(), 0, 'inserted and updated rows');
  assert.ok(new PhotoQueries(db).timeline({}).some((d) => d.day === 20010704));
});
