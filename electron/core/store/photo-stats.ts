// Library overview for the UI's filters: how many indexed photos each folder holds and the range
// of capture dates, so the folder menu can show counts and the date fields their bounds.
import type { Db } from './db.js';

export interface PhotoStats {
  indexed: number;
  byRoot: { rootId: number; count: number }[];
  /** Earliest and latest capture time (ms since the epoch) of the indexed photos; null when none is dated. */
  takenMin: number | null;
  takenMax: number | null;
  undated: number;
}

export function photoStats(db: Db): PhotoStats {
  const byRoot = db
    .prepare<[], { rootId: number; count: number }>(
      "SELECT root_id AS rootId, count(*) AS count FROM photos WHERE status = 'indexed' GROUP BY root_id ORDER BY root_id",
    )
    .all();
  const range = db
    .prepare<[], { takenMin: number | null; takenMax: number | null; undated: number }>(
      `SELECT min(taken_at) AS takenMin, max(taken_at) AS takenMax, coalesce(sum(taken_at IS NULL), 0) AS undated
       FROM photos WHERE status = 'indexed'`,
    )
    .get()!;
  return { indexed: byRoot.reduce((n, r) => n + r.count, 0), byRoot, ...range };
}
