// The library's sorting for the active model: the categories' prompt ensembles (encoded once per
// model and cached in the store), the scores of every indexed photo from the search index (so an
// active fine-tuned adapter applies here as it does to search), and the rule (rule.ts) applied
// with the person's corrections. The last result is kept until the categories, the corrections,
// the mode, the indexed photos or the model change.
import type { ActiveModel, ModelHost } from '../models/model-host.js';
import { cachedTextEmbeddings } from '../models/text-embedding-cache.js';
import type { SearchHost } from '../search/search-host.js';
import type { Store } from '../store/index.js';
import { backgroundTexts, ensembleTexts, meanDirection, type PromptSource } from './prompts.js';
import { applyRule, type RuleOutcome } from './rule.js';
import type { SortAssignment, SortedPhoto } from './types.js';

export const SETTING_MULTI_LABEL = 'sortMultiLabel';

/** Photos whose place the rule is least sure of go to the review queue. */
export const REVIEW_BELOW = 0.75;

/** One computed sorting, with what the API pages through, worked out once. */
export interface SortState {
  assignment: SortAssignment;
  outcome: RuleOutcome;
  /** Not corrected and confidence below REVIEW_BELOW, least sure first. */
  review: SortedPhoto[];
  /** Each photo's categories (ids, best first); absent: Unsorted. */
  placedIn: Map<number, number[]>;
}

type SortSource = PromptSource & { id: number | null; strictness: number | null };

export interface PreviewHit {
  photoId: number;
  confidence: number;
}

export class SortingHost {
  private changes = 0;
  private cached: { key: string; state: Promise<SortState> } | null = null;
  private similarities: { modelId: string; generation: number; ids: Float64Array | null; columns: Map<number, Float32Array> } = {
    modelId: '',
    generation: -1,
    ids: null,
    columns: new Map(),
  };

  constructor(
    private readonly store: Store,
    private readonly models: ModelHost,
    private readonly search: SearchHost,
  ) {}

  /** Call after changing categories, corrections or the mode: the next read sorts again. */
  changed(): void {
    this.changes++;
  }

  multiLabel(): boolean {
    return this.store.settings.get(SETTING_MULTI_LABEL, (v) => v === true) ?? false;
  }

  setMultiLabel(on: boolean): void {
    this.store.settings.set(SETTING_MULTI_LABEL, on);
    this.changed();
  }

  /** The current sorting, computed if anything changed since the last one. */
  async current(onProgress?: (step: string) => void): Promise<SortAssignment> {
    return (await this.state(onProgress)).assignment;
  }

  async state(onProgress?: (step: string) => void): Promise<SortState> {
    const model = await this.models.active();
    const key = `${model.id}|${this.search.generation}|${this.changes}`;
    if (this.cached?.key !== key) {
      const state = this.compute(onProgress);
      this.cached = { key, state };
      state.catch(() => {
        if (this.cached?.state === state) this.cached = null;
      });
    }
    return this.cached.state;
  }

  /**
   * The photos a category would take if it were added (or, with `replacing`, if that category
   * were edited to this), best first: the live preview while a name is being typed.
   */
  async preview(draft: PromptSource & { strictness: number | null; replacing?: number }, limit: number): Promise<{ count: number; photos: PreviewHit[] }> {
    const others = this.store.categories.list().filter((c) => c.id !== draft.replacing);
    const { ids, outcome } = await this.sortWith([...others, { ...draft, id: null }], false);
    const mine = others.length;
    const hits: PreviewHit[] = [];
    for (let r = 0; r < ids.length; r++) {
      if ((outcome.placed[r] as number[])[0] === mine) hits.push({ photoId: ids[r] as number, confidence: outcome.confidence[r] as number });
    }
    hits.sort(byConfidence);
    return { count: hits.length, photos: hits.slice(0, limit) };
  }

  private async compute(onProgress?: (step: string) => void): Promise<SortState> {
    const categories = this.store.categories.list();
    const multiLabel = this.multiLabel();
    onProgress?.('encoding');
    const { ids, outcome, modelId } = await this.sortWith(categories, multiLabel, onProgress);
    const perCategory: SortedPhoto[][] = categories.map(() => []);
    const unsorted: SortedPhoto[] = [];
    for (let r = 0; r < ids.length; r++) {
      const photo = { photoId: ids[r] as number, confidence: outcome.confidence[r] as number, corrected: outcome.corrected[r] === 1 };
      const placed = outcome.placed[r] as number[];
      if (placed.length === 0) unsorted.push(photo);
      for (const c of placed) (perCategory[c] as SortedPhoto[]).push(photo);
    }
    for (const list of perCategory) list.sort(byCorrectedThenConfidence);
    // Unsorted: the photos closest to being sorted first, i.e. the least sure ones.
    unsorted.sort((a, b) => Number(b.corrected) - Number(a.corrected) || a.confidence - b.confidence || a.photoId - b.photoId);
    const assignment: SortAssignment = {
      modelId,
      multiLabel,
      categories: categories.map((c, i) => ({ id: c.id, name: c.name, photos: perCategory[i] as SortedPhoto[] })),
      unsorted,
    };
    const placedIn = new Map<number, number[]>();
    for (const c of assignment.categories) for (const p of c.photos) placedIn.set(p.photoId, [...(placedIn.get(p.photoId) ?? []), c.id]);
    const unsure = new Map([...assignment.categories.flatMap((c) => c.photos), ...unsorted].filter((p) => !p.corrected && p.confidence < REVIEW_BELOW).map((p) => [p.photoId, p]));
    const review = [...unsure.values()].sort((a, b) => a.confidence - b.confidence || a.photoId - b.photoId);
    return { assignment, outcome, review, placedIn };
  }

  /** Sorts the indexed photos into `sources` (a source with id null is a draft no correction points to). */
  private async sortWith(sources: readonly SortSource[], multiLabel: boolean, onProgress?: (step: string) => void) {
    const model = await this.models.active();
    const vectors = await this.ensembles(model, [...sources, { name: '', prompts: [] }]);
    const background = vectors.pop() as Float32Array;
    onProgress?.('scoring');
    const { service } = await this.search.service();
    const corrections = this.store.corrections.list();
    const byId = new Map(sources.flatMap((s, i) => (s.id === null ? [] : [[s.id, i] as const])));
    // A correction toward a category this sorting does not have (a preview leaves one out) teaches nothing.
    const keys = corrections.filter((c) => c.categoryId === null || byId.has(c.categoryId)).filter((c) => service.index.has(c.photoId));
    const keyIds = keys.map((k) => k.photoId);
    const similarity = this.similarityColumns(model.id, keyIds);
    let columns = service.scoreColumns([...vectors, background], similarity.missing);
    if (!similarity.add(columns.ids, similarity.missing, columns.photos)) {
      columns = service.scoreColumns([...vectors, background], keyIds);
      similarity.add(columns.ids, keyIds, columns.photos);
    }
    const outcome = applyRule({
      ids: columns.ids,
      categoryScores: columns.text.slice(0, vectors.length),
      backgroundScores: columns.text[vectors.length] as Float32Array,
      strictness: sources.map((s) => s.strictness),
      corrections: keys.map((k) => ({
        photoId: k.photoId,
        category: k.categoryId === null ? -1 : (byId.get(k.categoryId) as number),
        similarity: similarity.column(k.photoId),
      })),
      multiLabel,
    });
    return { ids: columns.ids, outcome, modelId: model.id };
  }

  /**
   * The corrected photos' similarity columns, kept while the index holds the same rows: a new
   * correction scans the library once for its own photo, not once per correction.
   */
  private similarityColumns(modelId: string, photoIds: readonly number[]) {
    const generation = this.search.generation;
    if (this.similarities.modelId !== modelId || this.similarities.generation !== generation) {
      this.similarities = { modelId, generation, ids: null, columns: new Map() };
    }
    const cache = this.similarities;
    return {
      missing: photoIds.filter((id) => !cache.columns.has(id)),
      /** False when the rows moved since the cached columns were scanned: they are dropped, scan every key again. */
      add: (ids: Float64Array, scanned: readonly number[], columns: readonly Float32Array[]): boolean => {
        const sameRows = !cache.ids || (cache.ids.length === ids.length && cache.ids.every((id, r) => id === ids[r]));
        if (!sameRows) cache.columns.clear();
        cache.ids = ids;
        scanned.forEach((id, i) => cache.columns.set(id, columns[i] as Float32Array));
        return sameRows || scanned.length === cache.columns.size;
      },
      column: (photoId: number): Float32Array => {
        const column = cache.columns.get(photoId);
        if (!column) throw new Error(`sorting: no similarity column for photo ${photoId}`);
        return column;
      },
    };
  }

  /** Each source's ensemble vector (the background's for a source with an empty name). */
  private async ensembles(model: ActiveModel, sources: readonly PromptSource[]): Promise<Float32Array[]> {
    const textsOf = sources.map((s) => (s.name.trim() === '' ? backgroundTexts() : ensembleTexts(s)));
    const known = await cachedTextEmbeddings(this.store, model, textsOf.flat());
    return textsOf.map((texts, i) => meanDirection(texts.map((t) => known.get(t) as Float32Array), `The prompts of "${sources[i]?.name ?? ''}"`));
  }
}

function byConfidence(a: { photoId: number; confidence: number }, b: { photoId: number; confidence: number }): number {
  return b.confidence - a.confidence || a.photoId - b.photoId;
}

function byCorrectedThenConfidence(a: SortedPhoto, b: SortedPhoto): number {
  return Number(b.corrected) - Number(a.corrected) || byConfidence(a, b);
}
