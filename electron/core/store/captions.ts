// Captions (migration 005): one per photo, the person's words ('user') or read from a sidecar or
// the photo's own metadata ('txt', 'xmp', 'exif'; core/captions/). An import never replaces a
// 'user' caption: the guard is in the SQL, so no caller can get it wrong.
import type { Db } from './db.js';

export type CaptionSource = 'user' | 'txt' | 'xmp' | 'exif';
export type ImportedCaptionSource = Exclude<CaptionSource, 'user'>;

export interface Caption {
  text: string;
  source: CaptionSource;
  updatedAt: number;
}

export interface CaptionListItem {
  photoId: number;
  path: string;
  text: string;
  source: CaptionSource;
}

/** What an import did to one photo's caption. */
export type ImportOutcome = 'added' | 'updated' | 'unchanged' | 'kept-user';

interface RawCaption {
  text: string;
  source: CaptionSource;
  updated_at: number;
}

interface RawListItem {
  photo_id: number;
  path: string;
  text: string;
  source: CaptionSource;
}

const toCaption = (r: RawCaption): Caption => ({ text: r.text, source: r.source, updatedAt: r.updated_at });
const toItem = (r: RawListItem): CaptionListItem => ({ photoId: r.photo_id, path: r.path, text: r.text, source: r.source });

export class CaptionsRepo {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly upsertImportedStmt;
  private readonly deleteStmt;
  private readonly deleteImportedStmt;
  private readonly pageStmt;
  private readonly allStmt;
  private readonly countStmt;
  private readonly textsStmt;
  private readonly photosUnderStmt;
  private readonly allPhotosStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[number], RawCaption>('SELECT text, source, updated_at FROM captions WHERE photo_id = ?');
    this.upsertStmt = db.prepare<[number, string, CaptionSource, number]>(
      `INSERT INTO captions (photo_id, text, source, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(photo_id) DO UPDATE SET text = excluded.text, source = excluded.source, updated_at = excluded.updated_at`,
    );
    // The WHERE makes an import a no-op on the person's own caption.
    this.upsertImportedStmt = db.prepare<[number, string, ImportedCaptionSource, number]>(
      `INSERT INTO captions (photo_id, text, source, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(photo_id) DO UPDATE SET text = excluded.text, source = excluded.source, updated_at = excluded.updated_at
       WHERE captions.source <> 'user'`,
    );
    this.deleteStmt = db.prepare<[number]>('DELETE FROM captions WHERE photo_id = ?');
    this.deleteImportedStmt = db.prepare<[number]>("DELETE FROM captions WHERE photo_id = ? AND source <> 'user'");
    this.pageStmt = db.prepare<[number, number], RawListItem>(
      `SELECT c.photo_id, p.path, c.text, c.source FROM captions c JOIN photos p ON p.id = c.photo_id
       ORDER BY p.path LIMIT ? OFFSET ?`,
    );
    this.allStmt = db.prepare<[], RawListItem>(
      `SELECT c.photo_id, p.path, c.text, c.source FROM captions c JOIN photos p ON p.id = c.photo_id
       WHERE p.status = 'indexed' ORDER BY p.path`,
    );
    this.countStmt = db.prepare<[], number>('SELECT count(*) FROM captions').pluck();
    // Only photos in the library now: a missing or failed photo teaches nothing until it is back.
    this.textsStmt = db.prepare<[], { photo_id: number; text: string }>(
      `SELECT c.photo_id, c.text FROM captions c JOIN photos p ON p.id = c.photo_id WHERE p.status = 'indexed' ORDER BY c.photo_id`,
    );
    // Paths are real, absolute paths (library/roots.ts). Under `dir/`: from `dir/` up to `dir0` ('0'
    // follows '/'), a range on the path index (byte order is code point order), and /a/b2 is not under /a/b.
    this.photosUnderStmt = db.prepare<[string, string, string], { id: number; path: string }>(
      `SELECT id, path FROM photos WHERE status = 'indexed' AND (path = ? OR (path >= ? AND path < ?)) ORDER BY path`,
    );
    this.allPhotosStmt = db.prepare<[], { id: number; path: string }>("SELECT id, path FROM photos WHERE status = 'indexed' ORDER BY path");
  }

  get(photoId: number): Caption | null {
    const r = this.getStmt.get(photoId);
    return r ? toCaption(r) : null;
  }

  /**
   * Sets the person's caption of several photos in one transaction; an empty (or blank) text
   * clears them. The text is stored as given: callers normalise it (normaliseCaption in captions/sidecars.ts).
   */
  set(photoIds: readonly number[], text: string, at: number = Date.now()): { set: number; cleared: number } {
    const clear = text.trim() === '';
    return this.db.transaction(() => {
      let set = 0;
      let cleared = 0;
      for (const id of photoIds) {
        if (clear) cleared += this.deleteStmt.run(id).changes;
        else set += this.upsertStmt.run(id, text, 'user', at).changes;
      }
      return { set, cleared };
    })();
  }

  /** Stores an imported caption unless the photo has the person's own; says what happened. */
  putImported(photoId: number, text: string, source: ImportedCaptionSource, at: number = Date.now()): ImportOutcome {
    return this.db.transaction((): ImportOutcome => {
      const before = this.getStmt.get(photoId);
      if (before?.source === 'user') return 'kept-user';
      if (before && before.text === text && before.source === source) return 'unchanged';
      this.upsertImportedStmt.run(photoId, text, source, at);
      return before ? 'updated' : 'added';
    })();
  }

  /** Removes an imported caption (its sidecar is gone); never the person's. Returns whether one was removed. */
  removeImported(photoId: number): boolean {
    return this.deleteImportedStmt.run(photoId).changes > 0;
  }

  /** A page of captions with their photos' paths, by path. */
  page(offset: number, limit: number): CaptionListItem[] {
    return this.pageStmt.all(limit, offset).map(toItem);
  }

  /** Every caption of a photo in the library now, by path (for export). */
  allIndexed(): CaptionListItem[] {
    return this.allStmt.all().map(toItem);
  }

  count(): number {
    return this.countStmt.get() ?? 0;
  }

  /** photoId → caption of the photos in the library now, for training. */
  textsByPhoto(): Map<number, string> {
    return new Map(this.textsStmt.all().map((r) => [r.photo_id, r.text]));
  }

  /** Indexed photos at or under a folder (a real, absolute path), or of the whole library (null). */
  indexedPhotos(folder: string | null, sep: string): { id: number; path: string }[] {
    if (folder === null) return this.allPhotosStmt.all();
    const prefix = folder.endsWith(sep) ? folder : folder + sep;
    const end = prefix.slice(0, -1) + String.fromCharCode(sep.charCodeAt(0) + 1);
    return this.photosUnderStmt.all(folder, prefix, end);
  }
}
