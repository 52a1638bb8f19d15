// Applies pending schema migrations, each in its own transaction together with the
// PRAGMA user_version bump, so a crash leaves the database at a whole version.
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/types.js';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Returns the versions applied. Throws when the file was written by a newer Shoebox. */
export function migrate(db: Database, migrations: readonly Migration[], file: string): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list is out of order at ${m.name}: expected version ${i + 1}, got ${m.version}`);
  });
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new Error(
      `${file}: the library database has schema version ${current}, but this version of Shoebox only knows up to ${latest}. ` +
        'It was written by a newer Shoebox: update Shoebox, or choose another data folder.',
    );
  }
  const applied: number[] = [];
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      // user_version lives in the database header, so it commits or rolls back with the schema.
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
