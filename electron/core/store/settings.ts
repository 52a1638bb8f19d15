// Key/value settings stored as JSON (the active model id and similar small choices).
import type { Db } from './db.js';
import { parseJsonColumn, type JsonValue } from './json.js';

export const SETTING_ACTIVE_MODEL = 'activeModelId';

export class SettingsRepo {
  private readonly getStmt;
  private readonly setStmt;
  private readonly deleteStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.setStmt = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  }

  /**
   * The stored value checked by `parse` (e.g. a zod schema's `parse`), or undefined when unset.
   * `parse` throwing means the stored value has the wrong shape.
   */
  get<T>(key: string, parse: (raw: unknown) => T): T | undefined {
    const text = this.getStmt.get(key);
    if (text === undefined) return undefined;
    return parse(parseJsonColumn(text, `settings.${key}`));
  }

  set(key: string, value: JsonValue): void {
    this.setStmt.run(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.deleteStmt.run(key);
  }
}
