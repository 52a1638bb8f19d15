// The search index's lifecycle for the active model: loaded from the store on the first search,
// kept current as the index job commits new vectors, dropped (and reloaded lazily) when photos
// leave the library or the model restarts, and closed with the core. The adapter a fine-tuned
// model brings is wired here, so every loaded index applies it.
import type { ModelHost } from '../models/model-host.js';
import type { Store } from '../store/index.js';
import { identityAdapter, type EmbeddingAdapter } from './adapter.js';
import { EmbeddingIndex } from './embedding-index.js';
import { SearchService } from './search-service.js';

export interface LoadedSearch {
  service: SearchService;
  index: EmbeddingIndex;
}

export class SearchHost {
  private search: Promise<LoadedSearch> | null = null;
  private adapter: EmbeddingAdapter = identityAdapter;
  private changes = 0;

  constructor(
    private readonly store: Store,
    private readonly models: ModelHost,
  ) {
    models.onRestart(() => this.invalidate());
  }

  /** Grows whenever the indexed photos or their vectors may have changed (sorting caches by it). */
  get generation(): number {
    return this.changes;
  }

  /** The search service over the active model's embeddings, loaded from the store once. */
  service(): Promise<LoadedSearch> {
    this.search ??= this.load();
    this.search.catch(() => (this.search = null));
    return this.search;
  }

  /** Drops the in-memory index; the next search reloads it from the store. */
  invalidate(): void {
    const current = this.search;
    this.search = null;
    this.changes++;
    void current?.then((s) => s.index.close()).catch(() => undefined);
  }

  /**
   * Puts vectors into the index if one is loaded or loading (one that loads later reads them
   * from the store): the index job calls this as it commits.
   */
  upsert(items: readonly { photoId: number; vector: Float32Array }[]): void {
    if (items.length === 0) return;
    this.changes++;
    void this.search
      ?.then((s) => {
        for (const { photoId, vector } of items) s.service.upsertImage(photoId, vector);
      })
      .catch(() => undefined);
  }

  /** Applies an adapter to every search from now on; a loaded index is rebuilt when its image side changes. */
  setAdapter(adapter: EmbeddingAdapter): void {
    this.adapter = adapter;
    this.changes++;
    void this.search
      ?.then((s) => {
        if (s.service.setAdapter(adapter)) this.invalidate();
      })
      .catch(() => undefined);
  }

  /** Stops the index's scan threads. */
  async close(): Promise<void> {
    const search = this.search ? await this.search.catch(() => null) : null;
    search?.index.close();
  }

  private async load(): Promise<LoadedSearch> {
    const model = await this.models.active();
    const info = model.client.info();
    const index = new EmbeddingIndex(info.embedDim);
    const service = new SearchService({ index, encodeText: (texts) => model.client.encodeTexts(texts), adapter: this.adapter });
    const { ids, matrix, dim } = this.store.embeddings.loadAll(model.id);
    if (ids.length > 0) {
      if (dim !== info.embedDim) throw new Error(`Stored embeddings have ${dim} dimensions but ${model.id} makes ${info.embedDim}: re-index the library.`);
      service.loadImages(ids, matrix);
    }
    return { service, index };
  }
}
