// The photos selected in the library's grid (or in search results, similar photos) and what can be
// done with them: show one in the file manager, copy their paths, caption them, move them to a
// category. The rules of clicking and keys are lib/grid/selection-model.ts; this holds the current
// selection for the list shown (another list starts with nothing selected, and so does the same
// list reloaded: the selection is positions, which then point at other photos) and runs the
// actions, each saying what it did in `note` (the selection bar's live message).
import type { ShoeboxClient } from '../api/client.js';
import { GridSelection, itemsOf } from '../grid/selection-model.js';
import { fileName, formatCount, plural } from '../util/format.js';
import type { CaptionsState } from './captions.svelte.js';
import type { Category, SortingState, Target } from './sorting.svelte.js';
import type { GridItem, GridSource } from './sources.svelte.js';
import { errorMessage } from '../../../../electron/common/error-message.js';

/** The most photos one action reads or sends (a request body holds about 5,000 ids). */
const MOST = { copy: 100_000, move: 5_000, caption: 5_000 } as const;

export interface SelectionNote {
  text: string;
  error: boolean;
}

export class SelectionState {
  #model = $state.raw(GridSelection.none);
  note = $state.raw<SelectionNote | null>(null);
  /** An action is reading or sending photos. */
  busy = $state(false);
  #source: GridSource | null = null;
  #revision = 0;

  constructor(
    private readonly client: ShoeboxClient,
    private readonly sorting: SortingState,
    private readonly captions: CaptionsState,
  ) {}

  get model(): GridSelection {
    return this.#model;
  }

  /** Another selection: what was said about the last one no longer applies (a moved focus keeps it). */
  set model(next: GridSelection) {
    if (next.set !== this.#model.set) this.note = null;
    this.#model = next;
  }

  get size(): number {
    return this.#model.size;
  }

  /**
   * The grid shows `source`: a list other than the last one starts with nothing selected ('new'),
   * and so does the same list reloaded (indexing, a folder removed), whose positions now hold other
   * photos ('reloaded'; the keyboard's cell stays). Null when nothing changed.
   */
  follow(source: GridSource): 'new' | 'reloaded' | null {
    const revision = source.revision ?? 0;
    if (source === this.#source && revision === this.#revision) return null;
    const reloaded = source === this.#source;
    this.#source = source;
    this.#revision = revision;
    this.model = reloaded ? this.model.clear() : GridSelection.none;
    return reloaded ? 'reloaded' : 'new';
  }

  clear(): void {
    this.model = this.model.clear();
  }

  /** The categories "Move to category" offers (the Sorting view's). */
  get categories(): readonly Category[] {
    return this.sorting.categories;
  }

  loadCategories(): Promise<void> {
    return this.sorting.loadCategories();
  }

  /** Electron opens the file manager; browser mode copies the path instead. */
  get canShowInFolder(): boolean {
    return this.client.showInFolder !== undefined;
  }

  /** Only with a Clipboard (browser mode over plain http on another host has none). */
  get canCopy(): boolean {
    return typeof navigator !== 'undefined' && navigator.clipboard !== undefined;
  }

  /** The selected photos in the list's order, or null (with the reason in `note`) when there are too many for `action`. */
  async photos(action: keyof typeof MOST): Promise<GridItem[] | null> {
    const source = this.#source;
    if (!source || this.size === 0) return null;
    if (this.size > MOST[action]) {
      this.#say(`That works on up to ${formatCount(MOST[action])} photos at a time; ${formatCount(this.size)} are selected.`, true);
      return null;
    }
    const revision = source.revision;
    const photos = await itemsOf(this.model.set, (i) => source.get(i));
    // Reloaded while reading: some positions were read in the new list, where they are other photos.
    if (source.revision !== revision) throw new Error('The library changed while the selection was read (indexing is adding photos). Select the photos again.');
    return photos;
  }

  async copyPaths(): Promise<void> {
    await this.#run(async () => {
      const photos = await this.photos('copy');
      if (!photos) return;
      await this.#copy(photos.map((p) => p.path).join('\n'));
      this.#say(`Copied the ${photos.length === 1 ? 'path' : 'paths'} of ${plural(photos.length, 'photo')}.`);
    });
  }

  /** The active photo if it is selected, else the first selected one: in the file manager (Electron), its path copied (browser mode). */
  async showInFolder(): Promise<void> {
    await this.#run(async () => {
      const { active } = this.model;
      const index = this.model.has(active) ? active : this.model.set.ranges[0]?.[0];
      const photo = index === undefined ? undefined : await this.#source?.get(index);
      if (!photo) return;
      if (this.client.showInFolder) {
        await this.client.showInFolder(photo.id);
        this.#say(`Showed ${fileName(photo.relPath)} in the file manager.`);
        return;
      }
      await this.#copy(photo.path);
      this.#say(`A browser cannot open your file manager, so the path of ${fileName(photo.relPath)} is on the clipboard: paste it into the file manager’s address bar.`);
    });
  }

  /** Moves the selection to a category (or Unsorted); true when it moved. */
  async moveTo(target: Target): Promise<boolean> {
    let moved = false;
    await this.#run(async () => {
      const photos = await this.photos('move');
      if (!photos) return;
      moved = await this.sorting.move(target, photos.map((p) => p.id));
      if (moved) this.#say(this.sorting.announcement);
    });
    return moved;
  }

  /** Writes one caption to every selected photo; null when saved, else why not (for the form). */
  async caption(text: string): Promise<string | null> {
    let failed: string | null = null;
    await this.#run(async () => {
      const photos = await this.photos('caption');
      if (!photos) return;
      failed = await this.captions.set(photos.map((p) => p.id), text);
      if (failed) return;
      this.#say(text.trim() === '' ? `Removed the captions of ${plural(photos.length, 'photo')}.` : `Captioned ${plural(photos.length, 'photo')}.`);
    });
    if (failed) return failed;
    // Too many photos, none selected, or a failure #run put in the note.
    if (this.note?.error) return this.note.text;
    return this.note ? null : 'Select photos first.';
  }

  async #copy(text: string): Promise<void> {
    if (!this.canCopy) throw new Error('This page has no access to the clipboard (browser mode needs the address Shoebox printed, on this computer).');
    try {
      await navigator.clipboard.writeText(text);
    } catch (err) {
      throw new Error(`The clipboard refused the text (${errorMessage(err)}). Click in the window and try again.`);
    }
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.note = null;
    try {
      await action();
    } catch (err) {
      this.#say(errorMessage(err), true);
    } finally {
      this.busy = false;
    }
  }

  #say(text: string, error = false): void {
    this.note = { text, error };
  }
}
