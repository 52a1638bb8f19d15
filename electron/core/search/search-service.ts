// Search over the in-memory index: text queries (terms from parseQuery → encode the distinct
// terms in one batch → combine → adapter → index) and "more like this" from a photo's own
// vector. The text encoder is passed in, so this module knows nothing about ONNX sessions or
// model folders.

import { identityAdapter, type EmbeddingAdapter } from './adapter.js';
import type { EmbeddingIndex, SearchHit, SearchOptions } from './embedding-index.js';
import { combineQuery, type QueryTerm } from './query.js';

export type TextEncodeFn = (texts: string[]) => Promise<Float32Array[]>;

/** Restricts which photos a search may return: a predicate or a set of allowed ids. */
export type SearchFilter = NonNullable<SearchOptions['filter']>;

export interface SearchServiceOptions {
  index: EmbeddingIndex;
  encodeText: TextEncodeFn;
  adapter?: EmbeddingAdapter;
}

export class SearchService {
  readonly index: EmbeddingIndex;
  private readonly encodeText: TextEncodeFn;
  private current: EmbeddingAdapter;
  /** Id of the adapter whose image transform the active adapter needs ('identity' if none). */
  private imageSpace: string;
  /** Id of the adapter whose image transform the index content went through. */
  private indexedSpace: string;

  /**
   * Image vectors added straight to `index` skip the adapter's image transform: go through
   * loadImages / upsertImage when an adapter that defines transformImage may be active.
   */
  constructor(opts: SearchServiceOptions) {
    this.index = opts.index;
    this.encodeText = opts.encodeText;
    this.current = opts.adapter ?? identityAdapter;
    this.imageSpace = imageSpaceOf(this.current);
    // The index may arrive pre-filled; it counts as built for the starting adapter.
    this.indexedSpace = this.imageSpace;
  }

  /** The active adapter's id ('identity' when none). */
  get adapterId(): string {
    return this.current.id;
  }

  /**
   * Switches the adapter. Returns true when the image vectors must be reloaded (loadImages)
   * because the image-side transform changed; searches refuse to run until then.
   */
  setAdapter(adapter: EmbeddingAdapter): boolean {
    this.current = adapter;
    this.imageSpace = imageSpaceOf(adapter);
    return this.imageSpace !== this.indexedSpace;
  }

  /** (Re)builds the index from raw image embeddings (row-major ids.length × dim). */
  loadImages(ids: ArrayLike<number>, matrix: Float32Array): void {
    const transform = this.current.transformImage?.bind(this.current);
    if (!transform) {
      this.index.load(ids, matrix);
    } else {
      const inDim = ids.length === 0 ? 0 : matrix.length / ids.length;
      if (!Number.isInteger(inDim)) {
        throw new Error(`search-service: a matrix of ${matrix.length} values cannot hold ${ids.length} equal rows`);
      }
      const out = new Float32Array(ids.length * this.index.dim);
      for (let r = 0; r < ids.length; r++) {
        out.set(checkDim(transform(matrix.subarray(r * inDim, (r + 1) * inDim)), this.index.dim), r * this.index.dim);
      }
      this.index.load(ids, out);
    }
    this.indexedSpace = this.imageSpace;
  }

  /** Adds or replaces one photo's raw image embedding. */
  upsertImage(id: number, vec: Float32Array): void {
    this.assertFresh();
    const transform = this.current.transformImage?.bind(this.current);
    this.index.upsert(id, transform ? checkDim(transform(vec), this.index.dim) : vec);
  }

  /** Ranked photos for a parsed text query (parseQuery in query.ts; callers that also show the terms parse once). */
  async searchTerms(terms: readonly QueryTerm[], k: number, filter?: SearchFilter): Promise<SearchHit[]> {
    return this.index.search(await this.queryVector(terms), k, { filter });
  }

  /** The query vector of parsed terms, in the index's space (encoded, combined, through the adapter). */
  async queryVector(terms: readonly QueryTerm[]): Promise<Float32Array> {
    this.assertFresh();
    const texts = [...new Set(terms.map((t) => t.text))];
    const encoded = await this.encodeText(texts);
    if (encoded.length !== texts.length) {
      throw new Error(`search-service: text encoder returned ${encoded.length} embeddings for ${texts.length} texts`);
    }
    const byText = new Map(texts.map((t, i) => [t, encoded[i] as Float32Array]));
    const combined = combineQuery(
      terms.map((t) => byText.get(t.text) as Float32Array),
      terms.map((t) => t.weight),
    );
    return checkDim(this.current.transformQuery(combined), this.index.dim);
  }

  /** Every indexed photo's score against each text (through the adapter, as queries are). */
  async scoreTexts(texts: readonly string[]): Promise<{ ids: Float64Array; columns: Float32Array[] }> {
    const { ids, text } = this.scoreColumns(await this.encodeText([...texts]), []);
    return { ids, columns: text };
  }

  /** Photos most like `photoId` by its own indexed vector, the photo itself excluded. */
  searchSimilar(photoId: number, k: number, filter?: SearchFilter): SearchHit[] {
    this.assertFresh();
    // The stored vector is already in the index's space, so no adapter is applied to it.
    const v = this.index.vector(photoId);
    if (!v) throw new Error(`search-service: photo ${photoId} is not in the search index (not embedded yet?)`);
    return this.index.search(v, k, { filter, exclude: [photoId] });
  }

  /**
   * Every indexed photo's cosine with each text vector (put through the adapter, as queries are)
   * and with each given photo's own vector: the columns sorting needs.
   */
  scoreColumns(textVectors: readonly Float32Array[], photoIds: readonly number[]): { ids: Float64Array; text: Float32Array[]; photos: Float32Array[] } {
    this.assertFresh();
    const queries = textVectors.map((v) => checkDim(this.current.transformQuery(v), this.index.dim));
    for (const id of photoIds) {
      const v = this.index.vector(id);
      if (!v) throw new Error(`search-service: photo ${id} is not in the search index (not embedded yet?)`);
      queries.push(v);
    }
    const { ids, columns } = this.index.scoreAll(queries);
    return { ids, text: columns.slice(0, textVectors.length), photos: columns.slice(textVectors.length) };
  }

  /** Stops the index's scan worker. */
  close(): void {
    this.index.close();
  }

  private assertFresh(): void {
    if (this.imageSpace !== this.indexedSpace) {
      throw new Error(
        `search-service: the index holds image vectors for adapter "${this.indexedSpace}" but adapter "${this.imageSpace}" is active; reload the images first`,
      );
    }
  }
}

function imageSpaceOf(adapter: EmbeddingAdapter): string {
  return adapter.transformImage ? adapter.id : identityAdapter.id;
}

function checkDim(v: Float32Array, dim: number): Float32Array {
  if (v.length !== dim) throw new Error(`search-service: adapter produced ${v.length} dims, the index has ${dim}`);
  return v;
}
