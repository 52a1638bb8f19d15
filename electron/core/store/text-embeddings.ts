// Text embeddings of prompts, per (model, text) (migration 003): a category's prompt ensemble is
// encoded once per model, and editing a category encodes only its new prompts.
import type { Db } from './db.js';
import { unitVector } from '../vector-math.js';
import { decodeVector, encodeVector } from './vector.js';

export class TextEmbeddingsRepo {
  private readonly getStmt;
  private readonly putStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string, string], Buffer>('SELECT vector FROM text_embeddings WHERE model_id = ? AND text = ?').pluck();
    this.putStmt = db.prepare<[string, string, number, Buffer]>(
      `INSERT INTO text_embeddings (model_id, text, dim, vector) VALUES (?, ?, ?, ?)
       ON CONFLICT(model_id, text) DO UPDATE SET dim = excluded.dim, vector = excluded.vector`,
    );
  }

  /** The stored vectors of those texts that have one (a copy each). */
  getMany(modelId: string, texts: readonly string[]): Map<string, Float32Array> {
    const found = new Map<string, Float32Array>();
    for (const text of texts) {
      const blob = this.getStmt.get(modelId, text);
      if (blob) found.set(text, decodeVector(blob).slice());
    }
    return found;
  }

  putMany(modelId: string, entries: readonly (readonly [string, Float32Array])[]): void {
    this.db.transaction(() => {
      for (const [text, vector] of entries) {
        const unit = unitVector(vector, `The embedding of the prompt "${text}" for model ${modelId}`);
        this.putStmt.run(modelId, text, unit.length, encodeVector(unit));
      }
    })();
  }
}
