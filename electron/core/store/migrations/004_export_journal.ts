// Schema version 4: the export journal (core/export/). An export's row and every item of its plan
// are written before the first file operation; each item's state is committed right after its
// operation is durable on disk, so after a kill -9 the journal and the disk together say what was
// done, what to finish and what to roll back (docs/EXPORT.md).
import type { Migration } from './types.js';

export const migration004: Migration = {
  version: 4,
  name: 'export-journal',
  sql: `
-- destination: NULL for tags (sidecars beside the photos). root_path: the destination a move adds
-- as a library folder (journalled before it is added); root_id: set once it is added, removed by
-- undo. new_folders: JSON array of the folders the export creates (removed by undo when empty).
-- owner_pid: the process running it or undoing it, so a second process does not run it too.
CREATE TABLE exports (
  id           INTEGER PRIMARY KEY,
  mode         TEXT    NOT NULL CHECK (mode IN ('copy', 'move', 'link', 'tags')),
  destination  TEXT,
  state        TEXT    NOT NULL CHECK (state IN ('running', 'done', 'undoing', 'undone')),
  model_id     TEXT,
  root_path    TEXT,
  root_id      INTEGER,
  new_folders  TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(new_folders) AND json_type(new_folders) = 'array'),
  owner_pid    INTEGER,
  created_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  undone_at    INTEGER,
  CHECK ((mode = 'tags') = (destination IS NULL))
) STRICT;
CREATE INDEX exports_state ON exports(state);

-- One file operation of an export, in plan order. photo_id is kept without a foreign key: the
-- journal outlives a library folder removed later. categories: JSON array (one name for a file
-- mode; every category of the photo for tags). hash: sha256 of what the item put at target (a
-- copy's content, a sidecar's bytes), checked by undo before it removes anything.
-- sidecar_existed / backup: tags only, decided and journalled before the sidecar is written.
-- state: pending → done | skipped | failed | vanished; undo: done → undone | kept.
CREATE TABLE export_items (
  export_id        INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
  seq              INTEGER NOT NULL,
  photo_id         INTEGER NOT NULL,
  categories       TEXT    NOT NULL CHECK (json_valid(categories) AND json_type(categories) = 'array'),
  source           TEXT    NOT NULL,
  target           TEXT    NOT NULL,
  size             INTEGER NOT NULL,
  hash             TEXT,
  method           TEXT,
  sidecar_existed  INTEGER CHECK (sidecar_existed IN (0, 1)),
  backup           TEXT,
  state            TEXT    NOT NULL CHECK (state IN ('pending', 'done', 'skipped', 'failed', 'vanished', 'undone', 'kept')),
  error            TEXT,
  PRIMARY KEY (export_id, seq)
) STRICT;
CREATE INDEX export_items_state ON export_items(export_id, state);
CREATE INDEX export_items_target ON export_items(export_id, target COLLATE NOCASE);
`,
};
