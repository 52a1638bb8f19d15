// Sorting into the person's categories, as the interface knows it: the categories, the summary
// (count per category, Unsorted, the review queue), the photos of the place shown (a category,
// Unsorted or Review, surest first), the selection in them, moves and confirmations (sort.correct),
// the category being typed with its live preview, and the sort job. Components read these fields
// and call the methods; every failure goes to `report` (the toast) or to the field it is about.
import { SvelteSet } from 'svelte/reactivity';
import type { ApiInput, ApiOutput, ShoeboxClient } from '../api/client.js';
import { listenForKey } from '../util/global-keys.js';
import { Latest } from '../util/latest.js';
import { plural } from '../util/format.js';
import { isLive, type JobOf, type JobsState } from './jobs.svelte.js';
import type { GridSource } from './sources.svelte.js';
import { errorMessage } from '../../../../electron/common/error-message.js';

export type Category = ApiOutput<'categories.list'>[number];
export type SortSummary = ApiOutput<'sort.summary'>;
export type SortPhoto = ApiOutput<'sort.photos'>['photos'][number];
export type PreviewPhoto = ApiOutput<'sort.preview'>['photos'][number];
export type SortJob = JobOf<'sort'>;
export type ExportMode = NonNullable<ApiInput<'sort.export'>['mode']>;
export type ExportPreview = ApiOutput<'sort.exportPreview'>;
export type ExportRecord = ApiOutput<'sort.exports'>[number];
type Finished = ApiOutput<'jobs.wait'>;
export type ExportResult = Extract<Finished, { kind: 'sort-export'; state: 'done' }>['value'];
export type UndoResult = Extract<Finished, { kind: 'sort-undo'; state: 'done' }>['value'];
/** Where photos are: a category's id, the photos no category took, or the least sure ones. */
export type Place = number | 'unsorted' | 'review';
/** Where photos can be moved: a category's id, or Unsorted (null). */
export type Target = number | null;

/** What a drag of photos carries: their ids as JSON. */
export const PHOTO_DRAG_TYPE = 'application/x-shoebox-photos';

/** The first page shows at once; the rest of a place follows in pages this size. */
const FIRST_PAGE = 300;
const PAGE = 1000;
/** Quiet time after a keystroke before the live preview asks. */
const PREVIEW_DEBOUNCE_MS = 250;
const PREVIEW_PHOTOS = 12;

/**
 * The photos of one place, all of them in order (selection ranges and Ctrl+A need every id): the
 * first page shows at once, the rest arrive in the background. A new list replaces it when the
 * sorting changes, so a late page of an old list is simply dropped.
 */
export class PlaceList implements GridSource {
  items = $state.raw<readonly SortPhoto[]>([]);
  #total = $state(0);
  #ready = $state(false);
  #stopped = false;

  constructor(
    private readonly client: ShoeboxClient,
    readonly place: Place,
    private readonly onError: (err: unknown) => void,
  ) {}

  get count(): number {
    return this.#total;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Every photo has arrived. */
  get complete(): boolean {
    return this.#ready && this.items.length >= this.#total;
  }

  at(index: number): SortPhoto | undefined {
    return this.items[index];
  }

  ensure(): void {}

  async get(index: number): Promise<SortPhoto | undefined> {
    return this.items[index];
  }

  /** Loads the first page (the promise resolves then) and the rest of the place in the background. */
  async load(): Promise<void> {
    if (await this.#page(0, FIRST_PAGE)) void this.#rest();
  }

  async #rest(): Promise<void> {
    while (!this.#stopped && this.items.length < this.#total) {
      if (!(await this.#page(this.items.length, PAGE))) return;
    }
  }

  /** One page; false when there is no more to read (the end, an error, or stopped). */
  async #page(offset: number, limit: number): Promise<boolean> {
    try {
      const r = await this.client.call('sort.photos', { place: this.place, offset, limit });
      if (this.#stopped) return false;
      this.items = offset === 0 ? r.photos : [...this.items, ...r.photos];
      this.#total = r.total;
      this.#ready = true;
      return r.photos.length === limit && this.items.length < r.total;
    } catch (err) {
      if (!this.#stopped) this.onError(err);
      return false;
    }
  }

  stop(): void {
    this.#stopped = true;
  }
}

/**
 * The selected photos of the place shown (by id, so a reload keeps them where they still are),
 * the photo with the keyboard focus (`active`, an index) and the anchor a Shift range starts from.
 */
export class Selection {
  readonly ids = new SvelteSet<number>();
  active = $state(-1);
  anchor = $state(-1);

  constructor(private readonly list: () => PlaceList) {}

  get size(): number {
    return this.ids.size;
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  /** The selected ids in the place's order; with none selected, the photo that has the focus. */
  chosen(): number[] {
    const items = this.list().items;
    if (this.ids.size > 0) return items.filter((p) => this.ids.has(p.id)).map((p) => p.id);
    const focused = items[this.active];
    return focused ? [focused.id] : [];
  }

  clear(): void {
    this.ids.clear();
  }

  /** A plain click or arrow: this photo alone. */
  only(index: number): void {
    const photo = this.list().at(index);
    this.ids.clear();
    if (photo) this.ids.add(photo.id);
    this.active = index;
    this.anchor = index;
  }

  /** Ctrl/Cmd-click or Space: in or out of the selection. */
  toggle(index: number): void {
    const photo = this.list().at(index);
    if (photo) {
      if (this.ids.has(photo.id)) this.ids.delete(photo.id);
      else this.ids.add(photo.id);
    }
    this.active = index;
    this.anchor = index;
  }

  /** Shift-click or Shift+arrow: the range from the anchor to `index` (added to the selection with `keep`). */
  extendTo(index: number, keep = false): void {
    const items = this.list().items;
    if (this.anchor < 0) this.anchor = Math.max(0, this.active);
    if (!keep) this.ids.clear();
    const [from, to] = this.anchor <= index ? [this.anchor, index] : [index, this.anchor];
    for (let i = from; i <= to; i++) {
      const photo = items[i];
      if (photo) this.ids.add(photo.id);
    }
    this.active = index;
  }

  /** Ctrl/Cmd+A. */
  all(): void {
    for (const photo of this.list().items) this.ids.add(photo.id);
  }

  /** After the list was reloaded: forget what left it, keep the focus in range. */
  settle(): void {
    const present = new Set(this.list().items.map((p) => p.id));
    for (const id of [...this.ids]) if (!present.has(id)) this.ids.delete(id);
    const count = this.list().count;
    if (this.active >= count) this.active = count - 1;
    if (this.anchor >= count) this.anchor = this.active;
  }
}

/** The category being added or edited, and what it would take (the live preview). */
export class CategoryDraft {
  name = $state('');
  /** Extra prompts, one per line. */
  promptsText = $state('');
  /** 0..1, or null for the default. */
  strictness = $state<number | null>(null);
  preview = $state.raw<{ count: number; photos: readonly PreviewPhoto[]; for: string } | null>(null);
  previewing = $state(false);
  previewError = $state<string | null>(null);
  /** Why saving failed (a name taken …), shown under the field. */
  error = $state<string | null>(null);
  saving = $state(false);
  readonly #latest = new Latest();

  constructor(
    private readonly client: ShoeboxClient,
    /** The category being edited; null for a new one. */
    readonly editing: Category | null,
  ) {
    if (editing) {
      this.name = editing.name;
      this.promptsText = editing.prompts.join('\n');
      this.strictness = editing.strictness;
    }
  }

  get prompts(): string[] {
    return this.promptsText
      .split('\n')
      .map((p) => p.trim())
      .filter((p) => p !== '');
  }

  /** Asks for the preview after a pause in typing; an empty name clears it. */
  changed(): void {
    this.error = null;
    const name = this.name.trim();
    if (name === '') {
      this.#latest.cancel();
      this.preview = null;
      this.previewing = false;
      return;
    }
    this.previewing = true;
    const input = {
      name,
      prompts: this.prompts,
      strictness: this.strictness,
      limit: PREVIEW_PHOTOS,
      ...(this.editing ? { replacing: this.editing.id } : {}),
    };
    this.#latest.run((signal) => this.client.call('sort.preview', input, { signal }), PREVIEW_DEBOUNCE_MS).then(
      (r) => {
        if (!r) return;
        this.previewing = false;
        this.previewError = null;
        this.preview = { count: r.count, photos: r.photos, for: name };
      },
      (err: unknown) => {
        this.previewing = false;
        this.previewError = errorMessage(err);
      },
    );
  }

  dispose(): void {
    this.#latest.cancel();
  }
}

export class SortingState {
  categories = $state.raw<readonly Category[]>([]);
  summary = $state.raw<SortSummary | null>(null);
  place = $state<Place>('unsorted');
  list: PlaceList;
  readonly selection = new Selection(() => this.list);
  /** The category form (new or edit), or null when closed. */
  draft = $state.raw<CategoryDraft | null>(null);
  /** The last thing done, for the live region ("Moved 2 photos to circle."). */
  announcement = $state('');
  /** Why the sorting could not be read (no model, no photos …). */
  loadError = $state<string | null>(null);
  /** A move or confirmation is on its way. */
  moving = $state(false);
  opened = false;
  #generation = 0;

  readonly job: SortJob | null;
  readonly sorting: boolean;
  readonly exports: ExportState;

  constructor(
    private readonly client: ShoeboxClient,
    private readonly jobs: JobsState,
    private readonly report: (err: unknown) => void,
  ) {
    this.list = $state.raw(new PlaceList(client, 'unsorted', report));
    this.job = $derived(jobs.byKind('sort'));
    this.sorting = $derived(isLive(this.job));
    this.exports = new ExportState(client, jobs, () => {
      if (this.opened) void this.refresh();
    });
  }

  readonly multiLabel = $derived(this.summary?.multiLabel ?? false);

  /** A category's name by id. */
  nameOf(target: Target): string {
    if (target === null) return 'Unsorted';
    return this.categories.find((c) => c.id === target)?.name ?? `category ${target}`;
  }

  placeName(place: Place): string {
    return place === 'unsorted' ? 'Unsorted' : place === 'review' ? 'Review' : this.nameOf(place);
  }

  /** How many photos a place holds, from the summary. */
  countOf(place: Place): number | null {
    const s = this.summary;
    if (!s) return null;
    if (place === 'unsorted') return s.unsorted;
    if (place === 'review') return s.review;
    return s.categories.find((c) => c.id === place)?.count ?? 0;
  }

  /** The view opened: read the categories, then sort (as a job, so its progress shows). */
  async open(): Promise<void> {
    const first = !this.opened;
    this.opened = true;
    await this.loadCategories();
    if (this.categories.length === 0) {
      if (!this.draft) this.newCategory();
      await this.refresh();
      return;
    }
    if (first && this.place === 'unsorted') this.place = this.categories[0]?.id ?? 'unsorted';
    if (first) await this.resort();
    else await this.refresh();
  }

  /** Follows the sort job (and indexing, which changes the photos); returns the unsubscribe function. */
  listen(): () => void {
    const stops = [
      this.jobs.on('sort', (event) => {
        if (event.state === 'done' && this.opened) void this.refresh();
        else if (event.state === 'failed') this.loadError = event.error ?? 'The sorting failed.';
      }),
      this.jobs.on('index', (event) => {
        if (!isLive(event) && this.opened) void this.refresh();
      }),
      this.exports.listen(),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** Sorts again in the background (a job with progress); the view refreshes when it is done. */
  async resort(): Promise<void> {
    try {
      await this.client.call('sort.start', {});
    } catch (err) {
      this.report(err);
    }
  }

  cancelJob(jobId: number): Promise<void> {
    return this.jobs.cancel(jobId);
  }

  /** Forgets a finished sort job's outcome. */
  dismissJob(): void {
    if (this.job && !isLive(this.job)) this.jobs.dismiss('sort');
  }

  /** Reads the summary and the place shown again. */
  async refresh(): Promise<void> {
    try {
      this.summary = await this.client.call('sort.summary', {});
      this.loadError = null;
    } catch (err) {
      this.loadError = errorMessage(err);
      return;
    }
    if (typeof this.place === 'number' && !this.categories.some((c) => c.id === this.place)) this.place = this.categories[0]?.id ?? 'unsorted';
    await this.#reloadPlace();
  }

  /** Shows another place (a tab); the selection starts empty. */
  async show(place: Place): Promise<void> {
    if (place === this.place && this.list.place === place) return;
    this.place = place;
    this.selection.clear();
    this.selection.active = -1;
    this.selection.anchor = -1;
    await this.#reloadPlace();
  }

  /** Moves photos (the selection by default) to a category or to Unsorted; the person's word teaches the sorting. */
  async move(target: Target, photoIds: number[] = this.selection.chosen()): Promise<boolean> {
    if (photoIds.length === 0) {
      this.announcement = 'Select photos first (click, or the arrow keys).';
      return false;
    }
    this.moving = true;
    try {
      await this.client.call('sort.correct', { photoIds, category: target });
      const what = plural(photoIds.length, 'photo');
      this.announcement = target === this.place || (target === null && this.place === 'unsorted') ? `Confirmed ${what} in ${this.nameOf(target)}.` : `Moved ${what} to ${this.nameOf(target)}.`;
      this.selection.clear();
      await this.refresh();
      return true;
    } catch (err) {
      this.report(err);
      return false;
    } finally {
      this.moving = false;
    }
  }

  /** Enter: the selected photos belong where they are (a category, or Unsorted). */
  async confirm(): Promise<boolean> {
    if (this.place !== 'review') return this.move(this.place === 'unsorted' ? null : this.place);
    // The review queue mixes places: each photo is confirmed where it is now.
    const chosen = new Set(this.selection.chosen());
    const groups = new Map<number | null, number[]>();
    for (const photo of this.list.items) {
      if (!chosen.has(photo.id)) continue;
      const where = photo.placedIn[0] ?? null;
      groups.set(where, [...(groups.get(where) ?? []), photo.id]);
    }
    let ok = groups.size > 0;
    for (const [where, ids] of groups) ok = (await this.move(where, ids)) && ok;
    return ok;
  }

  /** Lets the sorting decide for the selected photos again. */
  async uncorrect(): Promise<void> {
    const photoIds = this.selection.chosen();
    if (photoIds.length === 0) return;
    try {
      const r = await this.client.call('sort.uncorrect', { photoIds });
      this.announcement = `The sorting decides again for ${plural(r.cleared, 'photo')}.`;
      this.selection.clear();
      await this.refresh();
    } catch (err) {
      this.report(err);
    }
  }

  async setMultiLabel(on: boolean): Promise<void> {
    try {
      await this.client.call('sort.mode', { multiLabel: on });
      this.announcement = on ? 'A photo may now be in several categories.' : 'Each photo is now in one category at most.';
      await this.refresh();
    } catch (err) {
      this.report(err);
    }
  }

  newCategory(): void {
    this.draft?.dispose();
    this.draft = new CategoryDraft(this.client, null);
  }

  editCategory(category: Category): void {
    this.draft?.dispose();
    this.draft = new CategoryDraft(this.client, category);
    this.draft.changed();
  }

  closeDraft(): void {
    this.draft?.dispose();
    this.draft = null;
  }

  /** Adds or updates the draft's category; the new one is shown. Keeps the form open for the next when adding. */
  async saveDraft(): Promise<boolean> {
    const draft = this.draft;
    if (!draft) return false;
    const name = draft.name.trim();
    if (name === '') {
      draft.error = 'Type a name first, e.g. “beach” or “receipts”.';
      return false;
    }
    draft.saving = true;
    try {
      const fields = { name, prompts: draft.prompts, strictness: draft.strictness };
      const saved = draft.editing ? await this.client.call('categories.update', { id: draft.editing.id, ...fields }) : await this.client.call('categories.add', fields);
      this.announcement = draft.editing ? `Saved ${saved.name}.` : `Added ${saved.name}.`;
      await this.loadCategories();
      this.place = saved.id;
      if (draft.editing) this.closeDraft();
      else this.newCategory();
      await this.resort();
      return true;
    } catch (err) {
      draft.error = errorMessage(err);
      return false;
    } finally {
      draft.saving = false;
    }
  }

  async removeCategory(category: Category): Promise<void> {
    try {
      await this.client.call('categories.remove', { id: category.id });
      this.announcement = `Removed ${category.name}; its photos are sorted again.`;
      if (this.draft?.editing?.id === category.id) this.closeDraft();
      await this.loadCategories();
      await this.refresh();
    } catch (err) {
      this.report(err);
    }
  }

  /** Moves a category one place earlier (-1) or later (+1); digit keys follow the order. */
  async shift(category: Category, by: -1 | 1): Promise<void> {
    const ids = this.categories.map((c) => c.id);
    const from = ids.indexOf(category.id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to] as number, ids[from] as number];
    try {
      this.categories = await this.client.call('categories.reorder', { ids });
      await this.refresh();
    } catch (err) {
      this.report(err);
    }
  }

  /** Reads the categories (also for the photo grid's "Move to category", before this view was opened). */
  async loadCategories(): Promise<void> {
    try {
      this.categories = await this.client.call('categories.list', {});
    } catch (err) {
      this.report(err);
    }
  }

  async #reloadPlace(): Promise<void> {
    const generation = ++this.#generation;
    const next = new PlaceList(this.client, this.place, this.report);
    // The old photos stay until the new ones are here, so the grid does not flash.
    await next.load();
    if (generation !== this.#generation) {
      next.stop();
      return;
    }
    this.list.stop();
    this.list = next;
    this.selection.settle();
  }
}

/**
 * Exporting the sorting to disk: the request (mode, destination), its preview (what goes where,
 * counts, bytes, free space) before anything is written, the export job and its undo (kinds
 * 'sort-export' and 'sort-undo', with their outcomes read through jobs.wait) and the history.
 */
export class ExportState {
  mode = $state<ExportMode>('copy');
  destination = $state('');
  preview = $state.raw<ExportPreview | null>(null);
  /** The request the preview is for; the Export button needs a preview of the request as it is now. */
  previewKey = $state<string | null>(null);
  previewing = $state(false);
  /** Why the preview or the start was refused, next to the form. */
  error = $state<string | null>(null);
  starting = $state(false);
  history = $state.raw<readonly ExportRecord[]>([]);
  result = $state.raw<ExportResult | null>(null);
  undoResult = $state.raw<UndoResult | null>(null);

  readonly exportJob: JobOf<'sort-export'> | null;
  readonly undoJob: JobOf<'sort-undo'> | null;
  readonly busy: boolean;

  constructor(
    private readonly client: ShoeboxClient,
    private readonly jobs: JobsState,
    /** Runs after an export or an undo ended (a move changes where photos are). */
    private readonly onChanged: () => void,
  ) {
    this.exportJob = $derived(jobs.byKind('sort-export'));
    this.undoJob = $derived(jobs.byKind('sort-undo'));
    this.busy = $derived(isLive(this.exportJob) || isLive(this.undoJob) || this.starting);
  }

  get request(): ApiInput<'sort.export'> {
    return this.mode === 'tags' ? { mode: 'tags' } : { mode: this.mode, destination: this.destination.trim() };
  }

  get key(): string {
    return JSON.stringify(this.request);
  }

  /** The preview shown is for the request as it is now. */
  get current(): boolean {
    return this.preview !== null && this.previewKey === this.key;
  }

  /** The newest export that is not undone, which Undo takes back. */
  get undoable(): ExportRecord | null {
    return this.history.find((e) => e.state !== 'undone') ?? null;
  }

  async loadPreview(): Promise<void> {
    if (this.mode !== 'tags' && this.destination.trim() === '') {
      this.error = 'Type the full path of the folder to export into.';
      return;
    }
    const key = this.key;
    this.previewing = true;
    this.error = null;
    try {
      const preview = await this.client.call('sort.exportPreview', this.request);
      this.preview = preview;
      this.previewKey = key;
    } catch (err) {
      this.preview = null;
      this.previewKey = null;
      this.error = errorMessage(err);
    } finally {
      this.previewing = false;
    }
  }

  async start(): Promise<void> {
    if (!this.current) return;
    this.starting = true;
    this.error = null;
    this.result = null;
    this.undoResult = null;
    try {
      await this.client.call('sort.export', this.request);
      this.preview = null;
      this.previewKey = null;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.starting = false;
    }
    await this.loadHistory();
  }

  async undo(): Promise<void> {
    this.starting = true;
    this.error = null;
    this.undoResult = null;
    try {
      await this.client.call('sort.undo', {});
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.starting = false;
    }
  }

  async loadHistory(): Promise<void> {
    try {
      this.history = await this.client.call('sort.exports', { limit: 10 });
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  cancel(jobId: number): Promise<void> {
    return this.jobs.cancel(jobId);
  }

  dismiss(kind: 'sort-export' | 'sort-undo'): void {
    this.jobs.dismiss(kind);
    if (kind === 'sort-export') this.result = null;
    else this.undoResult = null;
  }

  /** Follows the export and undo jobs: their outcomes, the history; returns the unsubscribe function. */
  listen(): () => void {
    const ended = async (jobId: number): Promise<void> => {
      try {
        const r = await this.client.call('jobs.wait', { jobId });
        if (r.kind === 'sort-export' && r.state === 'done') this.result = r.value;
        else if (r.kind === 'sort-undo' && r.state === 'done') this.undoResult = r.value;
      } catch {
        // A job of another session (the CLI) has no outcome here; its event still shows how it ended.
      }
      await this.loadHistory();
      this.onChanged();
    };
    const stops = [
      this.jobs.on('sort-export', (event) => {
        if (!isLive(event)) void ended(event.jobId);
      }),
      this.jobs.on('sort-undo', (event) => {
        if (!isLive(event)) void ended(event.jobId);
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }
}

/** "S" anywhere (unless a field has the keys or a dialog or menu is open: lib/util/global-keys.ts) opens the Sorting view; returns the function that stops listening. */
export function listenForSortingShortcut(open: () => void): () => void {
  return listenForKey(['s', 'S'], open);
}
