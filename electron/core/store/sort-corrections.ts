// What the person said about single photos (migration 003): "this one belongs to category X",
// or (categoryId null) "this one belongs to none". One row per photo; the latest word wins.
import type { Db } from './db.js';

export interface CorrectionRow {
  photoId: number;
  /** null: the photo belongs to no category (Unsorted). */
  categoryId: number | null;
  at: number;
}

interface RawCorrection {
  photo_id: number;
  category_id: number | null;
  at: number;
}

export class SortCorrectionsRepo {
  private readonly listStmt;
  private readonly setStmt;
  private readonly clearStmt;

  constructor(private readonly db: Db) {
    // Only photos in the library now: a missing or failed photo teaches nothing until it is back.
    this.listStmt = db.prepare<[], RawCorrection>(
      `SELECT c.* FROM sort_corrections c JOIN photos p ON p.id = c.photo_id WHERE p.status = 'indexed' ORDER BY c.photo_id`,
    );
    this.setStmt = db.prepare<[number, number | null, number]>(
      `INSERT INTO sort_corrections (photo_id, category_id, at) VALUES (?, ?, ?)
       ON CONFLICT(photo_id) DO UPDATE SET category_id = excluded.category_id, at = excluded.at`,
    );
    this.clearStmt = db.prepare<[number]>('DELETE FROM sort_corrections WHERE photo_id = ?');
  }

  list(): CorrectionRow[] {
    return this.listStmt.all().map((r) => ({ photoId: r.photo_id, categoryId: r.category_id, at: r.at }));
  }

  /** Records the same word for several photos in one transaction. */
  set(photoIds: readonly number[], categoryId: number | null, at: number = Date.now()): void {
    this.db.transaction(() => {
      for (const id of photoIds) this.setStmt.run(id, categoryId, at);
    })();
  }

  /** Forgets what was said about these photos: the model decides again. */
  clear(photoIds: readonly number[]): number {
    return this.db.transaction(() => photoIds.reduce((n, id) => n + this.clearStmt.run(id).changes, 0))();
  }
}
