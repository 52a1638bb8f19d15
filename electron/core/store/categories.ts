// The user's categories (migration 003): name, extra prompts, strictness and order. Names are
// unique ignoring case; the order is a dense 0..n-1 position list kept by add, remove and reorder.
import type { Db } from './db.js';
import { parseJsonColumn } from './json.js';

export interface CategoryRow {
  id: number;
  name: string;
  /** Extra prompt texts, used as they are (not put into templates). */
  prompts: string[];
  /** 0..1; null: the default (sorting/rule.ts). */
  strictness: number | null;
  position: number;
  createdAt: number;
}

interface RawCategory {
  id: number;
  name: string;
  prompts: string;
  strictness: number | null;
  position: number;
  created_at: number;
}

export interface CategoryInput {
  name: string;
  prompts: string[];
  strictness: number | null;
}

function toCategory(r: RawCategory): CategoryRow {
  const prompts = parseJsonColumn(r.prompts, `categories.prompts of ${r.name}`);
  if (!Array.isArray(prompts) || !prompts.every((p) => typeof p === 'string')) throw new Error(`categories.prompts of ${r.name} is not a list of texts`);
  return { id: r.id, name: r.name, prompts, strictness: r.strictness, position: r.position, createdAt: r.created_at };
}

export class CategoriesRepo {
  private readonly listStmt;
  private readonly getStmt;
  private readonly byNameStmt;
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly deleteStmt;
  private readonly setPositionStmt;

  constructor(private readonly db: Db) {
    this.listStmt = db.prepare<[], RawCategory>('SELECT * FROM categories ORDER BY position, id');
    this.getStmt = db.prepare<[number], RawCategory>('SELECT * FROM categories WHERE id = ?');
    this.byNameStmt = db.prepare<[string], RawCategory>('SELECT * FROM categories WHERE name = ?');
    this.insertStmt = db.prepare<[string, string, number | null, number], RawCategory>(
      `INSERT INTO categories (name, prompts, strictness, position, created_at)
       VALUES (?, ?, ?, (SELECT count(*) FROM categories), ?) RETURNING *`,
    );
    this.updateStmt = db.prepare<[string, string, number | null, number], RawCategory>(
      'UPDATE categories SET name = ?, prompts = ?, strictness = ? WHERE id = ? RETURNING *',
    );
    this.deleteStmt = db.prepare<[number]>('DELETE FROM categories WHERE id = ?');
    this.setPositionStmt = db.prepare<[number, number]>('UPDATE categories SET position = ? WHERE id = ?');
  }

  list(): CategoryRow[] {
    return this.listStmt.all().map(toCategory);
  }

  get(id: number): CategoryRow | undefined {
    const r = this.getStmt.get(id);
    return r && toCategory(r);
  }

  /** By name, ignoring case. */
  byName(name: string): CategoryRow | undefined {
    const r = this.byNameStmt.get(name);
    return r && toCategory(r);
  }

  /** Appends a category; throws (UNIQUE constraint) when the name exists, ignoring case. */
  add(input: CategoryInput, at: number = Date.now()): CategoryRow {
    return toCategory(this.insertStmt.get(input.name, JSON.stringify(input.prompts), input.strictness, at)!);
  }

  update(id: number, input: CategoryInput): CategoryRow | undefined {
    const r = this.updateStmt.get(input.name, JSON.stringify(input.prompts), input.strictness, id);
    return r && toCategory(r);
  }

  /** Removes it (its corrections go with it, by cascade) and closes the gap in the order. */
  remove(id: number): boolean {
    return this.db.transaction(() => {
      const removed = this.deleteStmt.run(id).changes > 0;
      if (removed) this.renumber(this.list().map((c) => c.id));
      return removed;
    })();
  }

  /** Puts the categories in the given order; `ids` must list every category once. */
  reorder(ids: readonly number[]): void {
    this.db.transaction(() => {
      const current = this.list().map((c) => c.id);
      const wanted = new Set(ids);
      if (ids.length !== current.length || wanted.size !== ids.length || !current.every((id) => wanted.has(id))) {
        throw new Error(`The new order must list each of the ${current.length} categories once.`);
      }
      this.renumber(ids);
    })();
  }

  private renumber(ids: readonly number[]): void {
    ids.forEach((id, position) => this.setPositionStmt.run(position, id));
  }
}
