// Schema version 5: captions (one per photo, the person's words or imported from a sidecar or the
// photo's own metadata; never written into the photo) and the adapter versions that fine-tuning
// makes (core/finetune/). A version row is written whole, in one transaction, once training and
// evaluation are done, so a killed job leaves no half-trained version behind.
import type { Migration } from './types.js';

export const migration005: Migration = {
  version: 5,
  name: 'finetune',
  sql: `
-- source: 'user' (typed in Shoebox; an import never replaces it), 'txt' (IMG_1.txt beside
-- IMG_1.jpg), 'xmp' (the sidecar's dc:description), 'exif' (ImageDescription / IPTC Caption).
CREATE TABLE captions (
  photo_id    INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
  text        TEXT    NOT NULL CHECK (length(trim(text)) > 0),
  source      TEXT    NOT NULL CHECK (source IN ('user', 'txt', 'xmp', 'exif')),
  updated_at  INTEGER NOT NULL
) STRICT;

-- One trained adapter pair for one model. weights: float32 LE, text W (dim×dim), text b (dim),
-- image W (dim×dim), image b (dim): the final, interpolated adapters. activated: whether the job
-- found it good enough to offer (refused versions are kept with their figures and the reason).
CREATE TABLE adapter_versions (
  id          INTEGER PRIMARY KEY,
  model_id    TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  accepted    INTEGER NOT NULL CHECK (accepted IN (0, 1)),
  reason      TEXT,
  params      TEXT    NOT NULL CHECK (json_valid(params)),
  figures     TEXT    NOT NULL CHECK (json_valid(figures)),
  dim         INTEGER NOT NULL CHECK (dim > 0),
  weights     BLOB    NOT NULL CHECK (length(weights) = 4 * (2 * dim * dim + 2 * dim))
) STRICT;
CREATE INDEX adapter_versions_model ON adapter_versions(model_id);
`,
};
