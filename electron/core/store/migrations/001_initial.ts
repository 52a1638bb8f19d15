// Schema version 1: roots, photos, embeddings, per-file errors, jobs and settings.
// Tables are STRICT so a wrong type from a bug fails loudly instead of being stored.
// Times are integer milliseconds since the Unix epoch (UTC); mtime_ms is REAL because
// fs.Stats.mtimeMs carries sub-millisecond precision and is compared for equality.
import type { Migration } from './types.js';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE roots (
  id        INTEGER PRIMARY KEY,
  path      TEXT    NOT NULL UNIQUE,
  added_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE photos (
  id            INTEGER PRIMARY KEY,
  root_id       INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
  path          TEXT    NOT NULL UNIQUE,
  rel_path      TEXT    NOT NULL,
  size          INTEGER NOT NULL,
  mtime_ms      REAL    NOT NULL,
  content_hash  TEXT,
  status        TEXT    NOT NULL CHECK (status IN ('indexed', 'failed', 'missing')),
  width         INTEGER,
  height        INTEGER,
  format        TEXT,
  taken_at      INTEGER,
  camera_make   TEXT,
  camera_model  TEXT,
  latitude      REAL,
  longitude     REAL,
  thumb_path    TEXT,
  indexed_at    INTEGER,
  missing_since INTEGER
) STRICT;
CREATE INDEX photos_root ON photos(root_id);
CREATE INDEX photos_status ON photos(status);
CREATE INDEX photos_hash ON photos(content_hash) WHERE content_hash IS NOT NULL;

-- One L2-normalised float32 little-endian vector per (photo, model).
CREATE TABLE embeddings (
  photo_id  INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  model_id  TEXT    NOT NULL,
  dim       INTEGER NOT NULL CHECK (dim > 0),
  vector    BLOB    NOT NULL CHECK (length(vector) = 4 * dim),
  PRIMARY KEY (photo_id, model_id)
) STRICT;
CREATE INDEX embeddings_model ON embeddings(model_id);

-- The current error of a file or folder; a later successful index of the path deletes it.
CREATE TABLE photo_errors (
  path     TEXT    PRIMARY KEY,
  root_id  INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
  stage    TEXT    NOT NULL CHECK (stage IN ('scan', 'decode', 'encode', 'store')),
  code     TEXT,
  message  TEXT    NOT NULL,
  at       INTEGER NOT NULL
) STRICT;
CREATE INDEX photo_errors_root ON photo_errors(root_id);

CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT    NOT NULL,
  state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
  params      TEXT    NOT NULL CHECK (json_valid(params)),
  done        INTEGER NOT NULL DEFAULT 0,
  total       INTEGER,
  created_at  INTEGER NOT NULL,
  started_at  INTEGER,
  finished_at INTEGER,
  error       TEXT
) STRICT;
CREATE INDEX jobs_state ON jobs(state);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL CHECK (json_valid(value))
) STRICT;
`,
};
