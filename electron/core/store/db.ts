// Opens the library database: connection settings, then schema migrations.
// WAL + synchronous=NORMAL keeps every commit through an application crash (kill -9);
// only power loss can roll back the last commits. busy_timeout lets a second connection
// (a worker thread, the CLI) wait for a writer instead of failing at once.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

const BUSY_TIMEOUT_MS = 5000;
const PAGE_SIZE = 16384;

export function openDatabase(file: string): Db {
  const inMemory = file === ':memory:';
  if (!inMemory) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw new Error(`Cannot open the library database ${file}: ${(err as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Takes effect only while the file is still empty (before WAL is switched on). A 512-d
    // embedding row is ~2.1 KB: 4 KB pages hold one (half the file wasted), 16 KB pages hold seven;
    // 100k such rows took 419 MB with 4 KB pages and 243 MB with 16 KB pages, and load faster.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (!inMemory && mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, WAL could not be enabled`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, file);
  } catch (err) {
    db.close();
    const message = (err as Error).message;
    throw new Error(message.startsWith(file) ? message : `Cannot open the library database ${file}: ${message}`);
  }
  return db;
}
