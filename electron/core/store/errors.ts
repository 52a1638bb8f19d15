// Per-path errors: why a file (or, for stage 'scan', a folder) is not in the index.
// One current error per path; a later successful index of the path deletes it.
import type { Db } from './db.js';

export type ErrorStage = 'scan' | 'decode' | 'encode' | 'store';

export interface PhotoErrorRow {
  path: string;
  rootId: number;
  stage: ErrorStage;
  code: string | null;
  message: string;
  at: number;
}

interface RawError {
  path: string;
  root_id: number;
  stage: ErrorStage;
  code: string | null;
  message: string;
  at: number;
}

const toError = (r: RawError): PhotoErrorRow => ({
  path: r.path,
  rootId: r.root_id,
  stage: r.stage,
  code: r.code,
  message: r.message,
  at: r.at,
});

export class ErrorsRepo {
  private readonly upsertStmt;
  private readonly clearStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly listRootStmt;
  private readonly countStmt;

  constructor(db: Db) {
    this.upsertStmt = db.prepare<[string, number, ErrorStage, string | null, string, number]>(
      `INSERT INTO photo_errors (path, root_id, stage, code, message, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET root_id = excluded.root_id, stage = excluded.stage,
         code = excluded.code, message = excluded.message, at = excluded.at`,
    );
    this.clearStmt = db.prepare<[string]>('DELETE FROM photo_errors WHERE path = ?');
    this.getStmt = db.prepare<[string], RawError>('SELECT * FROM photo_errors WHERE path = ?');
    this.listStmt = db.prepare<[number, number], RawError>('SELECT * FROM photo_errors ORDER BY at DESC, path LIMIT ? OFFSET ?');
    this.listRootStmt = db.prepare<[number], RawError>('SELECT * FROM photo_errors WHERE root_id = ? ORDER BY path');
    this.countStmt = db.prepare<[], number>('SELECT count(*) FROM photo_errors').pluck();
  }

  /** Records (or replaces) the current error of `path`. */
  record(path: string, rootId: number, stage: ErrorStage, code: string | null, message: string, at: number = Date.now()): void {
    this.upsertStmt.run(path, rootId, stage, code, message, at);
  }

  clear(path: string): void {
    this.clearStmt.run(path);
  }

  get(path: string): PhotoErrorRow | undefined {
    const r = this.getStmt.get(path);
    return r && toError(r);
  }

  /** Newest first. */
  list(limit = 100, offset = 0): PhotoErrorRow[] {
    return this.listStmt.all(limit, offset).map(toError);
  }

  listForRoot(rootId: number): PhotoErrorRow[] {
    return this.listRootStmt.all(rootId).map(toError);
  }

  count(): number {
    return this.countStmt.get()!;
  }
}
