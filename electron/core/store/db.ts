// Opens the library database: connection settings, then schema migrations.
// WAL + synchronous=NORMAL keeps every commit through an application crash (kill -9);
// only power loss can roll back the last commits. busy_timeout lets a second connection
// (a worker thread, the CLI) wait for a writer instead of failing at once.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { diskFull, isDiskFull, writeProblem } from '../paths.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { errorMessage } from '../../common/error-message.js';

export type Db = Database.Database;

const BUSY_TIMEOUT_MS = 5000;
const PAGE_SIZE = 16384;

export function openDatabase(file: string): Db {
  const inMemory = file === ':memory:';
  let db: Db;
  try {
    if (!inMemory) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file);
  } catch (err) {
    throw openError(file, err);
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
    // The migration's own errors already name the file and say what to do.
    if (err instanceof Error && err.message.startsWith(file)) throw err;
    throw openError(file, err);
  }
  return db;
}

/**
 * SQLite says "unable to open database file" or "attempt to write a readonly database" without
 * the cause: look for it (a read-only disk, a missing permission, a file in the way, a full disk).
 */
function openError(file: string, err: unknown): Error {
  const message = errorMessage(err);
  const folder = path.dirname(path.resolve(file));
  if (isDiskFull(err)) {
    const full = diskFull(folder);
    return new Error(`Cannot open the library database ${file}: ${full.what}. To go on, ${full.fix}.`, { cause: err });
  }
  const problem = file === ':memory:' ? null : (readOnlyFile(file) ?? writeProblem(folder));
  if (problem) return new Error(`Cannot open the library database ${file} (${message}): ${problem.cause}. To go on, ${problem.fix}.`, { cause: err });
  return new Error(`Cannot open the library database ${file}: ${message}`, { cause: err });
}

function readOnlyFile(file: string): { cause: string; fix: string } | null {
  if (!existsSync(file)) return null;
  try {
    accessSync(file, constants.W_OK);
    return null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EACCES' && (err as NodeJS.ErrnoException).code !== 'EPERM') return null;
    return { cause: 'the file is read-only for the user running Shoebox', fix: `make ${file} writable for that user, or choose another data folder with --data-dir <folder> or SHOEBOX_DATA_DIR` };
  }
}
