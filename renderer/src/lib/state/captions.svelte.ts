// Captions as the interface edits them: one per photo, read for the photo in the viewer and
// written for one photo (the viewer's caption field) or for a selection (the Sorting view's
// "Caption…"). Fine-tuning trains on them (finetune.svelte.ts). A failed save comes back to the
// field it was typed in, so the words typed are not lost; a failed read goes to `report`.
import type { ApiOutput, ShoeboxClient } from '../api/client.js';
import { plural } from '../util/format.js';
import { errorMessage } from '../../../../electron/common/error-message.js';

export type Caption = NonNullable<ApiOutput<'captions.get'>>;

/** What a caption's source means to the person, when it was not typed in Shoebox. */
const SOURCES: Record<string, string> = {
  txt: 'from the text file beside the photo',
  xmp: 'from the photo’s XMP sidecar',
  exif: 'from the photo’s own description',
};

export function sourceNote(source: string | null | undefined): string | null {
  return source ? (SOURCES[source] ?? null) : null;
}

function messageOf(err: unknown): string {
  return errorMessage(err);
}

export class CaptionsState {
  /** Counts the saves in this page, so what depends on captions (the fine-tuning panel) can read again. */
  saves = $state(0);

  constructor(
    private readonly client: ShoeboxClient,
    private readonly report: (err: unknown) => void,
  ) {}

  /** The photo's caption, or null when it has none (or it could not be read: reported). */
  async get(photoId: number, signal?: AbortSignal): Promise<Caption | null> {
    try {
      return await this.client.call('captions.get', { photoId }, signal ? { signal } : undefined);
    } catch (err) {
      this.report(err);
      return null;
    }
  }

  /** Writes `text` as the caption of every photo in `photoIds` ('' removes it); null when saved, else why not. */
  async set(photoIds: readonly number[], text: string): Promise<string | null> {
    if (photoIds.length === 0) return 'Select photos first.';
    try {
      await this.client.call('captions.set', { photoIds: [...photoIds], text: text.trim() });
      this.saves++;
      return null;
    } catch (err) {
      return `The caption could not be saved for ${plural(photoIds.length, 'photo')}: ${messageOf(err)}`;
    }
  }
}
