// Adapter versions made by fine-tuning (migration 005; core/finetune/): each row whole, written in
// one statement once a job has trained and evaluated, with its figures, parameters and weights
// (float32 LE: text W, text b, image W, image b). Also the one query training needs: the captioned,
// indexed photos that have an embedding for a model.
import type { Db } from './db.js';
import { parseJsonColumn } from './json.js';
import { decodeVector, encodeVector } from './vector.js';

export interface AdapterVersionRow {
  id: number;
  modelId: string;
  createdAt: number;
  accepted: boolean;
  reason: string | null;
  params: unknown;
  figures: unknown;
  dim: number;
}

export interface NewAdapterVersion {
  modelId: string;
  createdAt: number;
  accepted: boolean;
  reason: string | null;
  params: object;
  figures: object;
  dim: number;
  weights: Float32Array;
}

interface RawRow {
  id: number;
  model_id: string;
  created_at: number;
  accepted: number;
  reason: string | null;
  params: string;
  figures: string;
  dim: number;
}

const toRow = (r: RawRow): AdapterVersionRow => ({
  id: r.id,
  modelId: r.model_id,
  createdAt: r.created_at,
  accepted: r.accepted === 1,
  reason: r.reason,
  params: parseJsonColumn(r.params, `adapter_versions.params of version ${r.id}`),
  figures: parseJsonColumn(r.figures, `adapter_versions.figures of version ${r.id}`),
  dim: r.dim,
});

const COLUMNS = 'id, model_id, created_at, accepted, reason, params, figures, dim';

export class AdapterVersionsRepo {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly weightsStmt;
  private readonly pairsStmt;
  private readonly countCaptionedStmt;
  private readonly countUsableStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare<[string, number, number, string | null, string, string, number, Buffer]>(
      'INSERT INTO adapter_versions (model_id, created_at, accepted, reason, params, figures, dim, weights) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.getStmt = db.prepare<[number], RawRow>(`SELECT ${COLUMNS} FROM adapter_versions WHERE id = ?`);
    this.listStmt = db.prepare<[], RawRow>(`SELECT ${COLUMNS} FROM adapter_versions ORDER BY id DESC`);
    this.weightsStmt = db.prepare<[number], { dim: number; weights: Buffer }>('SELECT dim, weights FROM adapter_versions WHERE id = ?');
    const usable = `FROM captions c JOIN photos p ON p.id = c.photo_id JOIN embeddings e ON e.photo_id = c.photo_id AND e.model_id = ? WHERE p.status = 'indexed'`;
    this.pairsStmt = db.prepare<[string], { photo_id: number; text: string; vector: Buffer }>(`SELECT c.photo_id, c.text, e.vector ${usable} ORDER BY p.path`);
    this.countCaptionedStmt = db.prepare<[], number>(`SELECT count(*) FROM captions c JOIN photos p ON p.id = c.photo_id WHERE p.status = 'indexed'`).pluck();
    this.countUsableStmt = db.prepare<[string], number>(`SELECT count(*) ${usable}`).pluck();
  }

  /** Writes a whole version; returns its id. */
  insert(v: NewAdapterVersion): number {
    const expected = 2 * v.dim * v.dim + 2 * v.dim;
    if (v.weights.length !== expected) throw new Error(`Adapter weights have ${v.weights.length} values, expected ${expected} for ${v.dim} dimensions`);
    const info = this.insertStmt.run(v.modelId, v.createdAt, v.accepted ? 1 : 0, v.reason, JSON.stringify(v.params), JSON.stringify(v.figures), v.dim, encodeVector(v.weights));
    return Number(info.lastInsertRowid);
  }

  get(id: number): AdapterVersionRow | null {
    const r = this.getStmt.get(id);
    return r ? toRow(r) : null;
  }

  /** Every version, newest first. */
  list(): AdapterVersionRow[] {
    return this.listStmt.all().map(toRow);
  }

  /** The version's weights (a copy), or null when there is no such version. */
  weights(id: number): { dim: number; weights: Float32Array } | null {
    const r = this.weightsStmt.get(id);
    return r ? { dim: r.dim, weights: decodeVector(r.weights).slice() } : null;
  }

  /** Captioned photos in the library now (indexed) that have an embedding for the model, by photo id. */
  captionedPairs(modelId: string): { photoId: number; text: string; vector: Float32Array }[] {
    return this.pairsStmt.all(modelId).map((r) => ({ photoId: r.photo_id, text: r.text, vector: decodeVector(r.vector).slice() }));
  }

  /** Captioned photos in the library now. */
  countCaptioned(): number {
    return this.countCaptionedStmt.get() ?? 0;
  }

  /** Of those, the ones the model has embedded. */
  countUsable(modelId: string): number {
    return this.countUsableStmt.get(modelId) ?? 0;
  }

  /** Runs fn in one transaction (a version and its activation are written together). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
