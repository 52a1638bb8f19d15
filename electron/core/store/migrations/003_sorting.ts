// Schema version 3: the user's categories, the text embeddings of prompts per model (so a
// category's prompt ensemble is encoded once per model and an edit only encodes what changed),
// and the corrections that teach sorting (core/sorting/).
import type { Migration } from './types.js';

export const migration003: Migration = {
  version: 3,
  name: 'sorting',
  sql: `
-- name is unique ignoring case: "Receipts" and "receipts" would be one folder on export.
-- prompts: a JSON array of extra prompt texts; strictness: 0..1, NULL = the default.
CREATE TABLE categories (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
  prompts     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(prompts) AND json_type(prompts) = 'array'),
  strictness  REAL    CHECK (strictness IS NULL OR (strictness >= 0 AND strictness <= 1)),
  position    INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;

-- One L2-normalised float32 vector per (model, prompt text): the cache behind prompt ensembles.
CREATE TABLE text_embeddings (
  model_id  TEXT    NOT NULL,
  text      TEXT    NOT NULL,
  dim       INTEGER NOT NULL CHECK (dim > 0),
  vector    BLOB    NOT NULL CHECK (length(vector) = 4 * dim),
  PRIMARY KEY (model_id, text)
) STRICT, WITHOUT ROWID;

-- What the person said about a photo: it belongs to a category, or (category_id NULL) to none.
-- A correction outlives a model switch: it is about the photo, not about a model's scores.
CREATE TABLE sort_corrections (
  photo_id     INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
  category_id  INTEGER REFERENCES categories(id) ON DELETE CASCADE,
  at           INTEGER NOT NULL
) STRICT;
CREATE INDEX sort_corrections_category ON sort_corrections(category_id);
`,
};
