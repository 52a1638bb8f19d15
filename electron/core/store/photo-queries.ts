// Read-only photo queries for the API: pages of the library for the grid, summaries of search
// hits in rank order, and the id sets that folder/date filters narrow a search to.
import type { Db } from './db.js';

export interface PhotoSummary {
  id: number;
  rootId: number;
  path: string;
  relPath: string;
  width: number | null;
  height: number | null;
  takenAt: number | null;
  hasThumbnail: boolean;
}

export interface PhotoFilter {
  rootId?: number | undefined;
  /** Inclusive range on the capture time (ms since the epoch); photos without a date are left out when set. */
  takenFrom?: number | undefined;
  takenTo?: number | undefined;
}

interface RawSummary {
  id: number;
  root_id: number;
  path: string;
  rel_path: string;
  width: number | null;
  height: number | null;
  taken_at: number | null;
  has_thumb: number;
}

const COLUMNS = 'id, root_id, path, rel_path, width, height, taken_at, thumb_path IS NOT NULL AS has_thumb';

const toSummary = (r: RawSummary): PhotoSummary => ({
  id: r.id,
  rootId: r.root_id,
  path: r.path,
  relPath: r.rel_path,
  width: r.width,
  height: r.height,
  takenAt: r.taken_at,
  hasThumbnail: r.has_thumb === 1,
});

function whereClause(f: PhotoFilter): { sql: string; params: number[] } {
  const parts = ["status = 'indexed'"];
  const params: number[] = [];
  if (f.rootId !== undefined) {
    parts.push('root_id = ?');
    params.push(f.rootId);
  }
  if (f.takenFrom !== undefined) {
    parts.push('taken_at >= ?');
    params.push(f.takenFrom);
  }
  if (f.takenTo !== undefined) {
    parts.push('taken_at <= ?');
    params.push(f.takenTo);
  }
  return { sql: parts.join(' AND '), params };
}

export class PhotoQueries {
  private readonly byIdStmt;

  constructor(private readonly db: Db) {
    this.byIdStmt = db.prepare<[number], RawSummary>(`SELECT ${COLUMNS} FROM photos WHERE id = ?`);
  }

  /** A page of indexed photos, newest capture first (undated last), then by path. */
  page(filter: PhotoFilter, offset: number, limit: number): { total: number; photos: PhotoSummary[] } {
    const { sql, params } = whereClause(filter);
    const total = this.db.prepare<number[], number>(`SELECT count(*) FROM photos WHERE ${sql}`).pluck().get(...params)!;
    const rows = this.db
      .prepare<number[], RawSummary>(
        `SELECT ${COLUMNS} FROM photos WHERE ${sql} ORDER BY taken_at IS NULL, taken_at DESC, path LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset);
    return { total, photos: rows.map(toSummary) };
  }

  /** Summaries in the order of `ids` (ids that no longer exist are skipped). */
  summaries(ids: readonly number[]): PhotoSummary[] {
    const out: PhotoSummary[] = [];
    for (const id of ids) {
      const r = this.byIdStmt.get(id);
      if (r) out.push(toSummary(r));
    }
    return out;
  }

  /** Ids matching a filter, or null when the filter is empty (no narrowing). */
  matching(filter: PhotoFilter): Set<number> | null {
    if (filter.rootId === undefined && filter.takenFrom === undefined && filter.takenTo === undefined) return null;
    const { sql, params } = whereClause(filter);
    const ids = this.db.prepare<number[], number>(`SELECT id FROM photos WHERE ${sql}`).pluck().all(...params);
    return new Set(ids);
  }
}
