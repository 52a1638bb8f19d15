// The search index's lifecycle for the active model: loaded from the store on the first search,
// kept current as the index job commits new vectors, dropped (and reloaded lazily) when photos
// leave the library or the model restarts, and closed with the core. Each load asks which adapter
// the model has (fine-tuning's active version, see useAdapters), so every loaded index applies it.
import type { ModelHost } from '../models/model-host.js';
import type { Store } from '../store/index.js';
import { identityAdapter, type EmbeddingAdapter } from './adapter.js';
import { EmbeddingIndex } from './embedding-index.js';
import { modelKnows, withTaught, type KnowsWord } from './known-words.js';
import { loadModelFolder } from '../clip/model-folder.js';
import { nullPrompts, STRONG_Z } from './relevance.js';
import { RelevanceBaseline } from './relevance-baseline.js';
import { SearchService, type TextEncodeFn } from './search-service.js';
import { errorMessage } from '../../common/error-message.js';

export interface LoadedSearch {
  service: SearchService;
  index: EmbeddingIndex;
  /** The model whose embeddings the index holds. */
  modelId: string;
  /** The model folder the index's embeddings came from (its tokenizer tells known words, see known-words.ts). */
  modelDir: string;
  /** The model's text encoder without any adapter (the relevance baseline's prompts). */
  encodeText: TextEncodeFn;
}

/** What the relevance floor needs beside the floors held in the loaded index: which words the model knows. */
export interface RelevanceParts {
  knows: KnowsWord;
}

/** The relevance floor's parts for one loaded index: its floors kept current, and the known words per adapter. */
interface Judge {
  search: Promise<LoadedSearch>;
  /** Resolves once every row's floor is measured. */
  baseline: Promise<RelevanceBaseline>;
  modelKnows: Promise<KnowsWord>;
  /** The known words under one adapter (its taught words read from the captions once per adapter). */
  words: { adapterId: string; parts: Promise<RelevanceParts> } | null;
}

export class SearchHost {
  private search: Promise<LoadedSearch> | null = null;
  private adapterOf: (modelId: string) => EmbeddingAdapter = () => identityAdapter;
  private changes = 0;
  private judge: Judge | null = null;

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
   * Readies the relevance floor for the loaded index: every photo's floor is measured once per
   * loaded index (32 scans: ~0.2 s at 100k photos) and for rows written later as they are
   * upserted; the tokenizer loads once per index; the captions' words are read once per adapter.
   */
  async relevance(): Promise<RelevanceParts> {
    const search = this.service();
    let judge = this.judge;
    if (!judge || judge.search !== search) {
      // The model folder, read once per index: its tokenizer tells known words, its record the z
      // (the figure its recipe measured, else STRONG_Z) by which a good match beats the prompts.
      const folder = search.then((s) => loadModelFolder(s.modelDir));
      const baseline = search.then(async (s) => {
        const z = (await folder).manifest?.relevanceZ ?? STRONG_Z;
        const measured = new RelevanceBaseline(s.index, await s.encodeText(nullPrompts()), z);
        measured.measureAll();
        return measured;
      });
      judge = { search, baseline, modelKnows: folder.then(modelKnows), words: null };
      this.judge = judge;
      const failed = judge;
      Promise.all([baseline, judge.modelKnows]).catch(() => {
        if (this.judge === failed) this.judge = null;
      });
    }
    const { service } = await search;
    const adapterId = service.adapterId;
    if (judge.words?.adapterId !== adapterId) {
      // A fine-tuned version learnt the words of the captions: they count as known while it is active.
      const taught = adapterId === identityAdapter.id ? [] : this.store.captions.textsByPhoto().values();
      judge.words = { adapterId, parts: judge.modelKnows.then((knows) => ({ knows: withTaught(knows, taught) })) };
    }
    await judge.baseline;
    return judge.words.parts;
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
    const search = this.search;
    void search
      ?.then(async (s) => {
        for (const { photoId, vector } of items) s.service.upsertImage(photoId, vector);
        // A written row has no floor until measured: from the cached prompts, once they are measured.
        const judge = this.judge;
        if (judge?.search === search) (await judge.baseline).measure(items.map((i) => i.photoId));
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
      process.emitWarning(`The fine-tuned adapter for ${modelId} could not be applied: ${errorMessage(err)}`);
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
    return { service, index, modelId: model.id, modelDir: model.dir, encodeText: (texts) => model.client.encodeTexts(texts) };
  }
}
