// Library roots: the folders a person added. Paths are stored as given by library/roots.ts
// (absolute, real paths); deleting a root deletes its photos, embeddings and errors (cascade).
import type { Db } from './db.js';

export interface RootRow {
  id: number;
  path: string;
  addedAt: number;
}

interface RawRoot {
  id: number;
  path: string;
  added_at: number;
}

const toRoot = (r: RawRoot): RootRow => ({ id: r.id, path: r.path, addedAt: r.added_at });

export class RootsRepo {
  private readonly insertStmt;
  private readonly deleteStmt;
  private readonly listStmt;
  private readonly getStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, number], RawRoot>('INSERT INTO roots (path, added_at) VALUES (?, ?) RETURNING *');
    this.deleteStmt = db.prepare<[number]>('DELETE FROM roots WHERE id = ?');
    this.listStmt = db.prepare<[], RawRoot>('SELECT * FROM roots ORDER BY id');
    this.getStmt = db.prepare<[number], RawRoot>('SELECT * FROM roots WHERE id = ?');
  }

  /** Inserts a root; throws (UNIQUE constraint) when the path is already a root. */
  add(path: string, at: number = Date.now()): RootRow {
    return toRoot(this.insertStmt.get(path, at)!);
  }

  /** Removes the root and, by cascade, everything indexed under it. Returns whether it existed. */
  remove(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  list(): RootRow[] {
    return this.listStmt.all().map(toRoot);
  }

  get(id: number): RootRow | undefined {
    const r = this.getStmt.get(id);
    return r && toRoot(r);
  }
}
