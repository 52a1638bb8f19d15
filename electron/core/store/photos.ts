// Photos: one row per image file under a root, with its metadata and index status.
// commitIndexed is the only way a photo becomes 'indexed': row, metadata, embedding and the
// clearing of its error are written in one transaction, so a crash (kill -9) at any moment
// leaves either the old state or the new one, never a photo without its embedding.
import type { Db } from './db.js';
import { EmbeddingsRepo } from './embeddings.js';
import { ErrorsRepo, type ErrorStage } from './errors.js';

export type PhotoStatus = 'indexed' | 'failed' | 'missing';

/**
 * The photo row's metadata columns, as stored; null where the file does not say. Not the
 * decoder's PhotoMetadata (imaging/exif.ts): the indexer converts that one into this shape
 * (capture time as epoch ms, the sharp format name; no lens or orientation columns).
 */
export interface StoredPhotoMetadata {
  width: number | null;
  height: number | null;
  /** sharp's format name: jpeg, png, webp, heif … */
  format: string | null;
  /** Capture time, ms since the epoch. */
  takenAt: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** Where a file is and what it was when read. */
export interface PhotoLocation {
  path: string;
  rootId: number;
  relPath: string;
  size: number;
  mtimeMs: number;
}

export interface PhotoRow extends PhotoLocation, StoredPhotoMetadata {
  id: number;
  /** sha256 (hex) of the content the embeddings were computed from. */
  contentHash: string | null;
  status: PhotoStatus;
  thumbPath: string | null;
  indexedAt: number | null;
  missingSince: number | null;
}

export interface IndexedPhotoRecord extends PhotoLocation, StoredPhotoMetadata {
  contentHash: string;
  thumbPath: string | null;
  embedding: { modelId: string; vector: Float32Array };
}

/** The columns change detection needs, for every photo of a root. */
export interface PhotoScanState {
  id: number;
  path: string;
  size: number;
  mtimeMs: number;
  status: PhotoStatus;
  contentHash: string | null;
  /** Whether an embedding exists for the model the scan was asked about. */
  hasEmbedding: boolean;
}

interface RawPhoto {
  id: number;
  root_id: number;
  path: string;
  rel_path: string;
  size: number;
  mtime_ms: number;
  content_hash: string | null;
  status: PhotoStatus;
  width: number | null;
  height: number | null;
  format: string | null;
  taken_at: number | null;
  camera_make: string | null;
  camera_model: string | null;
  latitude: number | null;
  longitude: number | null;
  thumb_path: string | null;
  indexed_at: number | null;
  missing_since: number | null;
}

const toPhoto = (r: RawPhoto): PhotoRow => ({
  id: r.id,
  rootId: r.root_id,
  path: r.path,
  relPath: r.rel_path,
  size: r.size,
  mtimeMs: r.mtime_ms,
  contentHash: r.content_hash,
  status: r.status,
  width: r.width,
  height: r.height,
  format: r.format,
  takenAt: r.taken_at,
  cameraMake: r.camera_make,
  cameraModel: r.camera_model,
  latitude: r.latitude,
  longitude: r.longitude,
  thumbPath: r.thumb_path,
  indexedAt: r.indexed_at,
  missingSince: r.missing_since,
});

type UpsertParams = [
  number, string, string, number, number, string,
  number | null, number | null, string | null, number | null, string | null, string | null, number | null, number | null,
  string | null, number,
];

export class PhotosRepo {
  private readonly embeddings: EmbeddingsRepo;
  private readonly errors: ErrorsRepo;
  private readonly getByPathStmt;
  private readonly getByIdStmt;
  private readonly hashOfPathStmt;
  private readonly upsertStmt;
  private readonly dropOtherModelsStmt;
  private readonly scanStateStmt;
  private readonly missingByHashStmt;
  private readonly missingSizesStmt;
  private readonly markMissingStmt;
  private readonly restoreStmt;
  private readonly relocateStmt;
  private readonly updateStatStmt;
  private readonly markFailedStmt;
  private readonly countStmt;
  private readonly commitTx;
  private readonly markMissingTx;
  private readonly restoreTx;
  private readonly relocateTx;
  private readonly failureTx;

  constructor(db: Db, embeddings = new EmbeddingsRepo(db), errors = new ErrorsRepo(db)) {
    this.embeddings = embeddings;
    this.errors = errors;
    this.getByPathStmt = db.prepare<[string], RawPhoto>('SELECT * FROM photos WHERE path = ?');
    this.getByIdStmt = db.prepare<[number], RawPhoto>('SELECT * FROM photos WHERE id = ?');
    this.hashOfPathStmt = db.prepare<[string], { content_hash: string | null }>('SELECT content_hash FROM photos WHERE path = ?');
    this.upsertStmt = db.prepare<UpsertParams, number>(
      `INSERT INTO photos (root_id, path, rel_path, size, mtime_ms, content_hash, status, width, height, format, taken_at,
         camera_make, camera_model, latitude, longitude, thumb_path, indexed_at, missing_since)
       VALUES (?, ?, ?, ?, ?, ?, 'indexed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT(path) DO UPDATE SET root_id = excluded.root_id, rel_path = excluded.rel_path, size = excluded.size,
         mtime_ms = excluded.mtime_ms, content_hash = excluded.content_hash, status = 'indexed', width = excluded.width,
         height = excluded.height, format = excluded.format, taken_at = excluded.taken_at, camera_make = excluded.camera_make,
         camera_model = excluded.camera_model, latitude = excluded.latitude, longitude = excluded.longitude,
         thumb_path = excluded.thumb_path, indexed_at = excluded.indexed_at, missing_since = NULL
       RETURNING id`,
    ).pluck();
    this.dropOtherModelsStmt = db.prepare<[number, string]>('DELETE FROM embeddings WHERE photo_id = ? AND model_id <> ?');
    this.scanStateStmt = db.prepare<[string, number], Omit<PhotoScanState, 'hasEmbedding'> & { hasEmbedding: number }>(
      `SELECT p.id, p.path, p.size, p.mtime_ms AS mtimeMs, p.status, p.content_hash AS contentHash,
         EXISTS (SELECT 1 FROM embeddings e WHERE e.photo_id = p.id AND e.model_id = ?) AS hasEmbedding
       FROM photos p WHERE p.root_id = ?`,
    );
    this.missingByHashStmt = db.prepare<[string], RawPhoto>(
      "SELECT * FROM photos WHERE content_hash = ? AND status = 'missing' ORDER BY missing_since DESC, id",
    );
    this.missingSizesStmt = db.prepare<[], number>(
      "SELECT DISTINCT size FROM photos WHERE status = 'missing' AND content_hash IS NOT NULL",
    ).pluck();
    this.markMissingStmt = db.prepare<[number, number]>(
      "UPDATE photos SET status = 'missing', missing_since = ? WHERE id = ? AND status <> 'missing'",
    );
    this.restoreStmt = db.prepare<[number]>("UPDATE photos SET status = 'indexed', missing_since = NULL WHERE id = ?");
    this.relocateStmt = db.prepare<[string, number, string, number, number, number]>(
      `UPDATE photos SET path = ?, root_id = ?, rel_path = ?, size = ?, mtime_ms = ?, status = 'indexed', missing_since = NULL
       WHERE id = ?`,
    );
    this.updateStatStmt = db.prepare<[number, number, number]>('UPDATE photos SET size = ?, mtime_ms = ? WHERE id = ?');
    this.markFailedStmt = db.prepare<[string]>("UPDATE photos SET status = 'failed', missing_since = NULL WHERE path = ?");
    this.countStmt = db.prepare<[], { status: PhotoStatus; n: number }>('SELECT status, count(*) AS n FROM photos GROUP BY status');

    this.commitTx = db.transaction((r: IndexedPhotoRecord, at: number): number => {
      const previous = this.hashOfPathStmt.get(r.path);
      const id = this.upsertStmt.get(
        r.rootId, r.path, r.relPath, r.size, r.mtimeMs, r.contentHash,
        r.width, r.height, r.format, r.takenAt, r.cameraMake, r.cameraModel, r.latitude, r.longitude,
        r.thumbPath, at,
      )!;
      // New content makes every other model's embedding of the old content wrong.
      if (previous && previous.content_hash !== r.contentHash) this.dropOtherModelsStmt.run(id, r.embedding.modelId);
      this.embeddings.put(id, r.embedding.modelId, r.embedding.vector);
      this.errors.clear(r.path);
      return id;
    });
    this.markMissingTx = db.transaction((ids: readonly number[], at: number): number => {
      let changed = 0;
      for (const id of ids) changed += this.markMissingStmt.run(at, id).changes;
      return changed;
    });
    this.restoreTx = db.transaction((ids: readonly number[]): void => {
      for (const id of ids) this.restoreStmt.run(id);
    });
    this.relocateTx = db.transaction((id: number, to: PhotoLocation): void => {
      const before = this.getByIdStmt.get(id);
      if (!before) throw new Error(`Cannot relocate photo ${id} to ${to.path}: no such photo`);
      this.relocateStmt.run(to.path, to.rootId, to.relPath, to.size, to.mtimeMs, id);
      this.errors.clear(before.path);
      this.errors.clear(to.path);
    });
    this.failureTx = db.transaction((path: string, rootId: number, stage: ErrorStage, code: string | null, message: string, at: number) => {
      this.errors.record(path, rootId, stage, code, message, at);
      this.markFailedStmt.run(path);
    });
  }

  getByPath(path: string): PhotoRow | undefined {
    const r = this.getByPathStmt.get(path);
    return r && toPhoto(r);
  }

  getById(id: number): PhotoRow | undefined {
    const r = this.getByIdStmt.get(id);
    return r && toPhoto(r);
  }

  /**
   * Writes the photo row (inserted, or updated by path), its metadata and its embedding, and clears
   * the path's error, all in one transaction. Returns the photo id.
   */
  commitIndexed(record: IndexedPhotoRecord, at: number = Date.now()): number {
    return this.commitTx.immediate(record, at);
  }

  /** Photos that went missing whose content had this sha256, most recently missing first. */
  findMissingByHash(contentHash: string): PhotoRow[] {
    return this.missingByHashStmt.all(contentHash).map(toPhoto);
  }

  /** File sizes of missing photos with a known hash: a new file of another size cannot be one of them. */
  missingSizes(): Set<number> {
    return new Set(this.missingSizesStmt.all());
  }

  /** Change-detection state of every photo under a root. */
  scanStateForRoot(rootId: number, modelId: string): PhotoScanState[] {
    return this.scanStateStmt.all(modelId, rootId).map((r) => ({ ...r, hasEmbedding: r.hasEmbedding === 1 }));
  }

  /** Marks photos missing (keeping their embeddings); returns how many were not missing before. */
  markMissing(ids: readonly number[], at: number = Date.now()): number {
    return this.markMissingTx.immediate(ids, at);
  }

  /** A missing photo is back at its path, unchanged. */
  restore(ids: readonly number[]): void {
    this.restoreTx.immediate(ids);
  }

  /** The file moved: point the photo at its new place; its embeddings and metadata stay. */
  relocate(id: number, to: PhotoLocation): void {
    this.relocateTx.immediate(id, to);
  }

  /** The file was touched but its content is unchanged (same hash): remember the new size/mtime. */
  updateStat(id: number, size: number, mtimeMs: number): void {
    this.updateStatStmt.run(size, mtimeMs, id);
  }

  /**
   * Records why `path` could not be indexed. An existing photo at the path becomes 'failed': its
   * embeddings stay (they describe the content it had) but it leaves search until it indexes again.
   */
  recordFailure(path: string, rootId: number, stage: ErrorStage, code: string | null, message: string, at: number = Date.now()): void {
    this.failureTx.immediate(path, rootId, stage, code, message, at);
  }

  countByStatus(): Record<PhotoStatus, number> {
    const counts: Record<PhotoStatus, number> = { indexed: 0, failed: 0, missing: 0 };
    for (const { status, n } of this.countStmt.all()) counts[status] = n;
    return counts;
  }
}
