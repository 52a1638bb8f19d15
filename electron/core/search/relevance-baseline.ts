// Each photo's relevance floor (relevance.ts) kept current in the loaded index: measured for
// every row when the index loads (32 scans), and for rows written later from the cached prompt
// vectors (32 dot products a row), so indexing never makes a search re-measure the library.
// The prompts are the base model's, without the fine-tuned adapter's text side: the adapter
// learnt to send the words the base model could not read (where random letters lie, e.g. "pip")
// to the taught photos, so adapted prompts would raise exactly those photos' floors
// (docs/SEARCH.md, "Fine-tuned versions").
import type { EmbeddingIndex } from './embedding-index.js';
import { floorOf, relevanceFloors } from './relevance.js';
import { unitVector } from '../vector-math.js';

export class RelevanceBaseline {
  private readonly prompts: Float32Array[];

  /** `promptVectors`: the meaningless prompts' text embeddings, in the index's dimensions. */
  constructor(
    private readonly index: EmbeddingIndex,
    promptVectors: readonly Float32Array[],
  ) {
    this.prompts = promptVectors.map((v, i) => {
      if (v.length !== index.dim) throw new Error(`relevance: prompt ${i} has ${v.length} values, the index has ${index.dim}`);
      return unitVector(v, 'relevance: prompt vector');
    });
  }

  /** Measures every row's floor. */
  measureAll(): void {
    const { ids, columns } = this.index.scoreAll(this.prompts);
    this.index.setFloors(ids, relevanceFloors(columns));
  }

  /** Measures the floors of the rows of `ids` (ids no longer indexed are passed over). */
  measure(ids: readonly number[]): void {
    const kept: number[] = [];
    const floors: number[] = [];
    for (const id of ids) {
      const v = this.index.vector(id);
      if (!v) continue;
      let sum = 0;
      let sum2 = 0;
      for (const p of this.prompts) {
        let s = 0;
        for (let i = 0; i < v.length; i++) s += (v[i] as number) * (p[i] as number);
        sum += s;
        sum2 += s * s;
      }
      kept.push(id);
      floors.push(floorOf(sum, sum2, this.prompts.length));
    }
    this.index.setFloors(kept, Float32Array.from(floors));
  }
}
