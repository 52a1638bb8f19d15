// Read-only photo queries for the API: pages of the library for the grid, summaries of search
// hits in rank order with their scores, and the id sets that folder/date filters narrow a
// search to. One per connection (the store makes it once): statements are prepared once per
// filter shape, not once per page.
import type { Statement } from 'better-sqlite3';
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

/** A search hit with what the grid shows of its photo. */
export interface ScoredPhoto extends PhotoSummary {
  score: number;
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

/**
 * Which filter fields are set: one prepared statement per shape, the values bound per call.
 * `takenAt` is the date column as the query names it (see gridPageSql for why it may differ).
 */
function shapeOf(f: PhotoFilter, takenAt = 'taken_at'): { key: string; sql: string; params: number[] } {
  const parts = ["status = 'indexed'"];
  const params: number[] = [];
  const clauses: readonly (readonly [number | undefined, string])[] = [
    [f.rootId, 'root_id = ?'],
    [f.takenFrom, `${takenAt} >= ?`],
    [f.takenTo, `${takenAt} <= ?`],
  ];
  let key = '';
  for (const [value, clause] of clauses) {
    key += value === undefined ? '-' : '+';
    if (value === undefined) continue;
    parts.push(clause);
    params.push(value);
  }
  return { key, sql: parts.join(' AND '), params };
}

/**
 * The grid's order. Migration 002 indexes exactly these expressions, so SQLite reads a page in
 * index order instead of sorting the library; change both together.
 */
export const GRID_ORDER = 'ORDER BY taken_at IS NULL, taken_at DESC, path';

/**
 * The page query for a filter's shape; binds the filter values (in shapeOf's order), then LIMIT
 * and OFFSET. Left to itself the planner can pick the smaller photos_status index and sort every
 * indexed photo for each page (it does when the statistics of the indexes are uneven, as after
 * one is rebuilt; see test/unit/store-grid-index.test.ts), so INDEXED BY pins it to an index in GRID_ORDER (a missing index
 * becomes an error, not a slow grid). With statistics (PRAGMA optimize on close) it would still
 * skip-scan that index by date and sort the matches: the unary + in +taken_at keeps the date
 * range from being used as an index constraint, so it only filters rows read in order.
 */
export function gridPageSql(filter: PhotoFilter): string {
  const index = filter.rootId === undefined ? 'photos_grid' : 'photos_root_grid';
  return `SELECT ${COLUMNS} FROM photos INDEXED BY ${index} WHERE ${shapeOf(filter, '+taken_at').sql} ${GRID_ORDER} LIMIT ? OFFSET ?`;
}

interface ShapeStatements {
  count: Statement<number[], number>;
  page: Statement<number[], RawSummary>;
  ids: Statement<number[], number>;
}

export class PhotoQueries {
  private readonly byId: Statement<[number], RawSummary>;
  private readonly shapes = new Map<string, ShapeStatements>();

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[number], RawSummary>(`SELECT ${COLUMNS} FROM photos WHERE id = ?`);
  }

  /** A page of indexed photos, newest capture first (undated last), then by path. */
  page(filter: PhotoFilter, offset: number, limit: number): { total: number; photos: PhotoSummary[] } {
    const { params, shape } = this.shape(filter);
    const total = shape.count.get(...params)!;
    const rows = shape.page.all(...params, limit, offset);
    return { total, photos: rows.map(toSummary) };
  }

  /** Search hits as photo summaries with their scores, in rank order (photos gone since are skipped). */
  scored(hits: readonly { id: number; score: number }[]): ScoredPhoto[] {
    const out: ScoredPhoto[] = [];
    for (const h of hits) {
      const r = this.byId.get(h.id);
      if (r) out.push({ ...toSummary(r), score: h.score });
    }
    return out;
  }

  /** Ids matching a filter, or null when the filter is empty (no narrowing). */
  matching(filter: PhotoFilter): Set<number> | null {
    if (filter.rootId === undefined && filter.takenFrom === undefined && filter.takenTo === undefined) return null;
    const { params, shape } = this.shape(filter);
    return new Set(shape.ids.all(...params));
  }

  private shape(filter: PhotoFilter): { params: number[]; shape: ShapeStatements } {
    const { key, sql, params } = shapeOf(filter);
    let shape = this.shapes.get(key);
    if (!shape) {
      shape = {
        count: this.db.prepare<number[], number>(`SELECT count(*) FROM photos WHERE ${sql}`).pluck(),
        page: this.db.prepare<number[], RawSummary>(gridPageSql(filter)),
        ids: this.db.prepare<number[], number>(`SELECT id FROM photos WHERE ${sql}`).pluck(),
      };
      this.shapes.set(key, shape);
    }
    return { params, shape };
  }
}
