// The shape of one numbered schema migration.
export interface Migration {
  /** 1, 2, 3 …; stored in PRAGMA user_version once applied. */
  version: number;
  name: string;
  /** Statements run inside the migration's transaction. */
  sql: string;
}
