// The relevance floor (relevance.ts) kept current in the loaded index. Each photo's own floor is
// measured when the index loads (32 scans) and for rows written later from the cached prompt
// vectors (32 dot products a row), so indexing never makes a search re-measure the library. The
// floor a search uses is one number for the whole library, the median photo's floor: with a floor
// per photo, a photo that scores high on everything needed more than a better match elsewhere, so
// a higher-scored right photo could be "weaker" than a lower-scored wrong one (a search for
// "beach" listed a brick wall as a good match and clear beaches as weaker). One floor keeps the
// good matches the top of the ranking.
// The prompts are the base model's, without the fine-tuned adapter's text side: the adapter
// learnt to send the words the base model could not read (where random letters lie, e.g. "pip")
// to the taught photos, so adapted prompts would raise exactly those photos' floors
// (docs/SEARCH.md, "Fine-tuned versions").
import type { EmbeddingIndex } from './embedding-index.js';
import { floorOf, medianFloor, relevanceFloors, STRONG_Z } from './relevance.js';
import { unitVector } from '../vector-math.js';

/** The library floor is worked out again once the photos measured have grown by this share. */
const REMEDIAN_GROWTH = 0.1;

export class RelevanceBaseline {
  private readonly prompts: Float32Array[];
  /** Every measured photo's own floor (rows removed since stay: the median hardly moves). */
  private perPhoto = new Float32Array(0);
  private measured = 0;
  /** The floor every row gets: the median of perPhoto, NaN before any photo is measured. */
  private libraryFloor = NaN;
  private medianAt = 0;

  /**
   * `promptVectors`: the meaningless prompts' text embeddings, in the index's dimensions; `z`: how
   * many of their spreads a good match beats them by, for this model (its record's relevanceZ, read by search-host.ts).
   */
  constructor(
    private readonly index: EmbeddingIndex,
    promptVectors: readonly Float32Array[],
    private readonly z = STRONG_Z,
  ) {
    this.prompts = promptVectors.map((v, i) => {
      if (v.length !== index.dim) throw new Error(`relevance: prompt ${i} has ${v.length} values, the index has ${index.dim}`);
      return unitVector(v, 'relevance: prompt vector');
    });
  }

  /** Measures every row's floor. */
  measureAll(): void {
    const { columns } = this.index.scoreAll(this.prompts);
    this.perPhoto = new Float32Array(0);
    this.measured = 0;
    this.medianAt = 0;
    this.#add(relevanceFloors(columns, this.z));
    this.index.setAllFloors(this.libraryFloor);
  }

  /** The floor the search uses: the median photo's floor (NaN: no photo measured yet). */
  get floor(): number {
    return this.libraryFloor;
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
      floors.push(floorOf(sum, sum2, this.prompts.length, this.z));
    }
    const before = this.libraryFloor;
    this.#add(Float32Array.from(floors));
    if (this.libraryFloor === before) this.index.setFloors(kept, new Float32Array(kept.length).fill(this.libraryFloor));
    else this.index.setAllFloors(this.libraryFloor);
  }

  /** Adds photos' own floors; the library floor is their median, worked out again as they grow. */
  #add(floors: Float32Array): void {
    if (this.measured + floors.length > this.perPhoto.length) {
      const grown = new Float32Array(Math.max(1024, 2 * (this.measured + floors.length)));
      grown.set(this.perPhoto.subarray(0, this.measured));
      this.perPhoto = grown;
    }
    this.perPhoto.set(floors, this.measured);
    this.measured += floors.length;
    if (this.measured > 0 && (this.medianAt === 0 || this.measured >= this.medianAt * (1 + REMEDIAN_GROWTH))) {
      this.libraryFloor = medianFloor(this.perPhoto.subarray(0, this.measured));
      this.medianAt = this.measured;
    }
  }
}
