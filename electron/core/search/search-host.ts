// The search index's lifecycle for the active model: loaded from the store on the first search,
// kept current as the index job commits new vectors, dropped (and reloaded lazily) when photos
// leave the library or the model restarts, and closed with the core. Each load asks which adapter
// the model has (fine-tuning's active version, see useAdapters), so every loaded index applies it.
import { loadModelFolder } from '../clip/model-folder.js';
import { loadClipTokenizer } from '../clip/tokenizer.js';
import type { ModelHost } from '../models/model-host.js';
import type { Store } from '../store/index.js';
import { identityAdapter, type EmbeddingAdapter } from './adapter.js';
import { EmbeddingIndex } from './embedding-index.js';
import { nullPrompts, relevanceFloors } from './relevance.js';
import { SearchService } from './search-service.js';

export interface LoadedSearch {
  service: SearchService;
  index: EmbeddingIndex;
  /** The model whose embeddings the index holds. */
  modelId: string;
  /** The model folder the index's embeddings came from (its tokenizer tells known words, see relevance.ts). */
  modelDir: string;
}

/** What the relevance floor needs beside the floors held in the loaded index: the model's tokens per word. */
export interface RelevanceParts {
  piecesOf: (word: string) => number;
}

export class SearchHost {
  private search: Promise<LoadedSearch> | null = null;
  private adapterOf: (modelId: string) => EmbeddingAdapter = () => identityAdapter;
  private changes = 0;
  private relevanceParts: { search: Promise<LoadedSearch>; generation: number; parts: Promise<RelevanceParts> } | null = null;

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

  /**
   * Readies the relevance floor for the loaded index: each photo's floor is measured into the
   * index (setFloors) again once photos or vectors change (32 scans: ~0.2 s at 100k photos), the
   * tokenizer loads once per index. Rows written after a measurement have no floor until the next.
   */
  relevance(): Promise<RelevanceParts> {
    const search = this.service();
    const cached = this.relevanceParts;
    if (cached && cached.search === search && cached.generation === this.changes) return cached.parts;
    const piecesOf = cached && cached.search === search ? cached.parts.then((p) => p.piecesOf) : search.then((s) => tokenCounter(s.modelDir));
    const floors = search.then(async (s) => {
      const { ids, columns } = await s.service.scoreTexts(nullPrompts());
      s.index.setFloors(ids, relevanceFloors(columns));
    });
    const parts = Promise.all([piecesOf, floors]).then(([count]) => ({ piecesOf: count }));
    this.relevanceParts = { search, generation: this.changes, parts };
    parts.catch(() => {
      if (this.relevanceParts?.parts === parts) this.relevanceParts = null;
    });
    return parts;
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

  /** Where a model's adapter comes from (fine-tuning's active version); asked whenever the index loads. */
  useAdapters(adapterOf: (modelId: string) => EmbeddingAdapter): void {
    this.adapterOf = adapterOf;
    this.refreshAdapter();
  }

  /** The loaded model's adapter may have changed (a version used or rolled back): applied at once; a changed image side rebuilds the index. */
  refreshAdapter(): void {
    this.changes++;
    void this.search
      ?.then((s) => {
        if (s.service.setAdapter(this.adapterFor(s.modelId))) this.invalidate();
      })
      .catch(() => undefined);
  }

  /** The model's adapter; one that cannot be loaded leaves search unadapted rather than broken. */
  private adapterFor(modelId: string): EmbeddingAdapter {
    try {
      return this.adapterOf(modelId);
    } catch (err) {
      process.emitWarning(`The fine-tuned adapter for ${modelId} could not be applied: ${err instanceof Error ? err.message : String(err)}`);
      return identityAdapter;
    }
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
    const service = new SearchService({ index, encodeText: (texts) => model.client.encodeTexts(texts), adapter: this.adapterFor(model.id) });
    const { ids, matrix, dim } = this.store.embeddings.loadAll(model.id);
    if (ids.length > 0) {
      if (dim !== info.embedDim) throw new Error(`Stored embeddings have ${dim} dimensions but ${model.id} makes ${info.embedDim}: re-index the library.`);
      service.loadImages(ids, matrix);
    }
    return { service, index, modelId: model.id, modelDir: model.dir };
  }
}

/** Counts the model's tokens for one word (start and end tokens left out). */
async function tokenCounter(modelDir: string): Promise<(word: string) => number> {
  const folder = await loadModelFolder(modelDir);
  const tokenizer = await loadClipTokenizer(folder.files, folder.contextLength, { clean: folder.textClean });
  const specials = (tokenizer.sotId === undefined ? 0 : 1) + 1;
  return (word) => Math.max(1, tokenizer.tokenize(word).length - specials);
}
