// Schema version 6: the timeline (the grid grouped by day) and the grid's other sort orders.
// taken_day is the capture time's calendar day in this machine's time zone (yyyymmdd), kept by
// triggers so that every writer of taken_at (the indexer, tests writing rows directly) keeps it
// right; 'localtime' cannot appear in an index expression, so the day is stored. Capture times
// without a zone are read as local time (imaging/exif.ts), so this is the day the camera showed.
// photos_days serves the timeline's one GROUP BY for every filter shape from the index alone
// (root_id and taken_at are in it): ~12 ms at 100 000 photos, against ~70 ms computing the local
// day of each row from photos_grid (test/unit/store-timeline.test.ts checks the plan).
// photos_added and photos_name read the "date added" and "name" orders in index order, as
// photos_grid does for "date taken" (photo-queries.ts ORDERS; change both together). The name is
// the file's name without its folders, either separator, case-folded.
import type { Migration } from './types.js';

const DAY_OF = (column: string): string => `CAST(strftime('%Y%m%d', ${column} / 1000.0, 'unixepoch', 'localtime') AS INTEGER)`;

export const migration006: Migration = {
  version: 6,
  name: 'timeline',
  sql: `
ALTER TABLE photos ADD COLUMN taken_day INTEGER;
UPDATE photos SET taken_day = ${DAY_OF('taken_at')} WHERE taken_at IS NOT NULL;
CREATE TRIGGER photos_taken_day_insert AFTER INSERT ON photos WHEN NEW.taken_at IS NOT NULL
BEGIN
  UPDATE photos SET taken_day = ${DAY_OF('NEW.taken_at')} WHERE id = NEW.id;
END;
CREATE TRIGGER photos_taken_day_update AFTER UPDATE OF taken_at ON photos
BEGIN
  UPDATE photos SET taken_day = ${DAY_OF('NEW.taken_at')} WHERE id = NEW.id;
END;
CREATE INDEX photos_days ON photos(status, taken_day DESC, taken_at, root_id);
CREATE INDEX photos_added ON photos(status, indexed_at DESC, path, root_id, taken_at);
CREATE INDEX photos_name ON photos(status, lower(replace(replace(rel_path, char(92), '/'), rtrim(replace(rel_path, char(92), '/'), replace(replace(rel_path, char(92), '/'), '/', '')), '')), path, root_id, taken_at);
`,
};
