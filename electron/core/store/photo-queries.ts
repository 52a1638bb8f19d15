// Read-only photo queries for the API: pages of the library for the grid in one of its orders,
// the timeline (photos per day, for the grid's date headers and scrubber), summaries of search
// hits in rank order with their scores, and the id sets that folder/date filters narrow a
// search to. One per connection (the store makes it once): statements are prepared once per
// filter shape and order, not once per page.
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

/** The grid's sort orders: date taken (newest first, undated last), date added (newest first), file name. */
export const PHOTO_ORDERS = ['taken', 'added', 'name'] as const;
export type PhotoOrder = (typeof PHOTO_ORDERS)[number];
/** The orders with a date to group by (name has no date headers). */
export type DatedOrder = Exclude<PhotoOrder, 'name'>;

/** A file's name without its folders (either separator), case-folded: migration 006's photos_name expression, exactly. */
const NAME_KEY = "lower(replace(replace(rel_path, char(92), '/'), rtrim(replace(rel_path, char(92), '/'), replace(replace(rel_path, char(92), '/'), '/', '')), ''))";

/** Each order's ORDER BY and the indexes that hold it (all photos; one folder's). */
const ORDERS: Record<PhotoOrder, { orderBy: string; index: string; rootIndex: string }> = {
  taken: { orderBy: GRID_ORDER, index: 'photos_grid', rootIndex: 'photos_root_grid' },
  added: { orderBy: 'ORDER BY indexed_at DESC, path', index: 'photos_added', rootIndex: 'photos_added' },
  name: { orderBy: `ORDER BY ${NAME_KEY}, path`, index: 'photos_name', rootIndex: 'photos_name' },
};

/** A day of the timeline: yyyymmdd in local time, or null for the photos without a date (last). */
export interface TimelineDay {
  day: number | null;
  count: number;
}

/**
 * "Date added" groups added times in 15-minute buckets (UTC), which the core turns into local days:
 * every time zone's offset is a multiple of 15 minutes, so no bucket straddles a local midnight,
 * and SQLite's 'localtime' on every row costs ~3 µs each (glibc re-reads the zone without TZ set).
 */
const ADDED_BUCKET_MS = 900_000;

/**
 * The timeline query for an order and a filter's shape. Date taken groups the stored taken_day
 * over photos_days, which holds every column the filter names, so the table is never read; NULL
 * sorts last under DESC, so the undated group comes last. Date added groups buckets over
 * photos_added (see ADDED_BUCKET_MS), in the same order.
 */
export function timelineSql(filter: PhotoFilter, order: DatedOrder): string {
  const where = shapeOf(filter).sql;
  return order === 'taken'
    ? `SELECT taken_day AS day, count(*) AS count FROM photos INDEXED BY photos_days WHERE ${where} GROUP BY taken_day ORDER BY taken_day DESC`
    : `SELECT indexed_at / ${ADDED_BUCKET_MS} AS day, count(*) AS count FROM photos INDEXED BY photos_added WHERE ${where} GROUP BY day ORDER BY day DESC`;
}

/** The local calendar day of an epoch-ms time as yyyymmdd, in this process's zone (as SQLite's 'localtime'). */
function localDay(ms: number): number {
  const d = new Date(ms);
  return d.getFullYear() * 10_000 + (d.getMonth() + 1) * 100 + d.getDate();
}

/** Buckets (newest first) merged into local days. */
function bucketsToDays(buckets: readonly TimelineDay[]): TimelineDay[] {
  const days: TimelineDay[] = [];
  for (const b of buckets) {
    const day = b.day === null ? null : localDay(b.day * ADDED_BUCKET_MS);
    const last = days[days.length - 1];
    if (last && last.day === day) last.count += b.count;
    else days.push({ day, count: b.count });
  }
  return days;
}

/**
 * The page query for a filter's shape; binds the filter values (in shapeOf's order), then LIMIT
 * and OFFSET. Left to itself the planner can pick the smaller photos_status index and sort every
 * indexed photo for each page (it does when the statistics of the indexes are uneven, as after
 * one is rebuilt; see test/unit/store-grid-index.test.ts), so INDEXED BY pins it to an index in GRID_ORDER (a missing index
 * becomes an error, not a slow grid). With statistics (PRAGMA optimize on close) it would still
 * skip-scan that index by date and sort the matches: the unary + in +taken_at keeps the date
 * range from being used as an index constraint, so it only filters rows read in order.
 */
export function gridPageSql(filter: PhotoFilter, order: PhotoOrder = 'taken'): string {
  const { orderBy, index, rootIndex } = ORDERS[order];
  return `SELECT ${COLUMNS} FROM photos INDEXED BY ${filter.rootId === undefined ? index : rootIndex} WHERE ${shapeOf(filter, '+taken_at').sql} ${orderBy} LIMIT ? OFFSET ?`;
}

interface ShapeStatements {
  count: Statement<number[], number>;
  pages: Partial<Record<PhotoOrder, Statement<number[], RawSummary>>>;
  timelines: Partial<Record<DatedOrder, Statement<number[], TimelineDay>>>;
  ids: Statement<number[], number>;
}

export class PhotoQueries {
  private readonly byId: Statement<[number], RawSummary>;
  private readonly shapes = new Map<string, ShapeStatements>();

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[number], RawSummary>(`SELECT ${COLUMNS} FROM photos WHERE id = ?`);
  }

  /** A page of indexed photos in `order` (by default newest capture first, undated last), ties by path. */
  page(filter: PhotoFilter, offset: number, limit: number, order: PhotoOrder = 'taken'): { total: number; photos: PhotoSummary[] } {
    const { params, shape } = this.shape(filter);
    const total = shape.count.get(...params)!;
    const page = (shape.pages[order] ??= this.db.prepare<number[], RawSummary>(gridPageSql(filter, order)));
    const rows = page.all(...params, limit, offset);
    return { total, photos: rows.map(toSummary) };
  }

  /** Photos per local day in `order`'s grouping, in the order page() lists them; the undated last. */
  timeline(filter: PhotoFilter, order: DatedOrder = 'taken'): TimelineDay[] {
    const { params, shape } = this.shape(filter);
    const timeline = (shape.timelines[order] ??= this.db.prepare<number[], TimelineDay>(timelineSql(filter, order)));
    const rows = timeline.all(...params);
    return order === 'taken' ? rows : bucketsToDays(rows);
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
        pages: {},
        timelines: {},
        ids: this.db.prepare<number[], number>(`SELECT id FROM photos WHERE ${sql}`).pluck(),
      };
      this.shapes.set(key, shape);
    }
    return { params, shape };
  }
}
