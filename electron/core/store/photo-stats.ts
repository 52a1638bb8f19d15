// Library overview for the UI's filters: how many indexed photos each folder holds and the range
// of capture dates, so the folder menu can show counts and the date fields their bounds.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

export interface PhotoStats {
  indexed: number;
  byRoot: { rootId: number; count: number }[];
  /** Earliest and latest capture time (ms since the epoch) of the indexed photos; null when none is dated. */
  takenMin: number | null;
  takenMax: number | null;
  undated: number;
}

export class PhotoStatsRepo {
  private readonly byRootStmt: Statement<[], { rootId: number; count: number }>;
  private readonly rangeStmt: Statement<[], { takenMin: number | null; takenMax: number | null; undated: number }>;

  constructor(db: Db) {
    this.byRootStmt = db.prepare(
      "SELECT root_id AS rootId, count(*) AS count FROM photos WHERE status = 'indexed' GROUP BY root_id ORDER BY root_id",
    );
    this.rangeStmt = db.prepare(
      `SELECT min(taken_at) AS takenMin, max(taken_at) AS takenMax, coalesce(sum(taken_at IS NULL), 0) AS undated
       FROM photos WHERE status = 'indexed'`,
    );
  }

  get(): PhotoStats {
    const byRoot = this.byRootStmt.all();
    const range = this.rangeStmt.get()!;
    return { indexed: byRoot.reduce((n, r) => n + r.count, 0), byRoot, ...range };
  }
}
