// The folder browser of browser mode, where there is no system folder picker: one folder's
// sub-folders as the core lists them (folders.browse), starting at the home folder. Only the
// newest answer is shown, so a slow listing cannot replace the folder opened after it.
import type { ApiOutput, ShoeboxClient } from '../api/client.js';
import { isAbort } from '../api/client.js';
import { Latest } from '../util/latest.js';
import { errorMessage } from '../../../../electron/common/error-message.js';

export type FolderListing = ApiOutput<'folders.browse'>;

export class FolderBrowserState {
  listing = $state<FolderListing | null>(null);
  /** Why the folder asked for could not be listed; the listing shown stays the previous one. */
  error = $state<string | null>(null);
  loading = $state(false);
  showHidden = $state(false);
  readonly #latest = new Latest();

  constructor(private readonly client: ShoeboxClient) {}

  /** Lists `path` (the home folder when left out; `~/…` and full paths). */
  async open(path?: string): Promise<void> {
    this.loading = true;
    try {
      const input = { showHidden: this.showHidden, ...(path === undefined ? {} : { path }) };
      const listing = await this.#latest.run((signal) => this.client.call('folders.browse', input, { signal }));
      if (listing === null) return; // a newer call answers
      this.listing = listing;
      this.error = null;
    } catch (err) {
      if (isAbort(err)) return;
      this.error = errorMessage(err);
    }
    this.loading = false;
  }

  /** Shows or hides hidden folders, in the folder shown now. */
  async setShowHidden(show: boolean): Promise<void> {
    this.showHidden = show;
    await this.open(this.listing?.path);
  }

  close(): void {
    this.#latest.cancel();
  }
}
