// How the photo grids are shown: the library's sort order (date taken, date added, name) and the
// thumbnail size, which applies to every photo grid (library, search results, similar photos).
// Both are kept in localStorage, so the grid opens the way it was left.
import type { ApiInput } from '../api/client.js';
import { isForFieldOrDialog } from '../util/global-keys.js';
import { readStored, writeStored } from '../util/stored.js';

export type PhotoOrder = NonNullable<ApiInput<'photos.list'>['order']>;

export const ORDER_LABELS: Record<PhotoOrder, string> = { taken: 'Date taken', added: 'Date added', name: 'Name' };

/** Thumbnail sides, px: the slider's range and step, and the size a new window starts with. */
export const THUMB_SIZE = { min: 96, max: 320, step: 28, initial: 180 } as const;

const ORDER_KEY = 'shoebox.gridOrder';
const SIZE_KEY = 'shoebox.thumbSize';

const clampSize = (px: number): number => Math.min(THUMB_SIZE.max, Math.max(THUMB_SIZE.min, Math.round(px)));

function storedOrder(): PhotoOrder {
  const v = readStored(ORDER_KEY);
  return v === 'added' || v === 'name' ? v : 'taken';
}

function storedSize(): number {
  const v = Number(readStored(SIZE_KEY));
  return Number.isFinite(v) && v > 0 ? clampSize(v) : THUMB_SIZE.initial;
}

export class GridViewState {
  order = $state<PhotoOrder>(storedOrder());
  size = $state(storedSize());

  setOrder(order: PhotoOrder): void {
    this.order = order;
    writeStored(ORDER_KEY, order);
  }

  setSize(px: number): void {
    this.size = clampSize(px);
    writeStored(SIZE_KEY, String(this.size));
  }

  /** One step bigger (+1) or smaller (-1). */
  step(direction: 1 | -1): void {
    this.setSize(this.size + direction * THUMB_SIZE.step);
  }
}

/**
 * "+" (or "=") and "-" make the thumbnails bigger and smaller, unless a field has the keys or a
 * dialog or menu is open (the viewer zooms with them). Returns the function that stops listening.
 */
export function listenForThumbSizeKeys(view: GridViewState): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const direction = event.key === '+' || event.key === '=' ? 1 : event.key === '-' ? -1 : 0;
    if (direction === 0 || isForFieldOrDialog(event)) return;
    event.preventDefault();
    view.step(direction);
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
