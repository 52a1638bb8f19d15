// Windowing arithmetic for the photo grid: how many columns fit, how tall the whole grid is, which
// rows are on screen, and where arrow keys move the selection. Pure functions, so the grid can
// hold 100 000 photos while only the visible rows exist in the DOM.

export interface GridLayout {
  columns: number;
  /** Side of one square cell, px. */
  cell: number;
  gap: number;
  /** Distance from one row's top to the next, px. */
  rowHeight: number;
  rows: number;
  height: number;
}

export interface RowRange {
  /** First row to render (inclusive) and last (exclusive). */
  start: number;
  end: number;
}

/** Fits square cells of about `target` px into `width`; at least one column. */
export function gridLayout(width: number, count: number, target = 180, gap = 4): GridLayout {
  const usable = Math.max(0, width);
  const columns = Math.max(1, Math.floor((usable + gap) / (target + gap)));
  const cell = Math.max(1, Math.floor((usable - gap * (columns - 1)) / columns));
  const rowHeight = cell + gap;
  const rows = Math.ceil(Math.max(0, count) / columns);
  return { columns, cell, gap, rowHeight, rows, height: Math.max(0, rows * rowHeight - gap) };
}

/** The rows that intersect the viewport, plus `overscan` rows above and below. */
export function visibleRows(layout: GridLayout, scrollTop: number, viewport: number, overscan = 2): RowRange {
  if (layout.rows === 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / layout.rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewport)) / layout.rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(layout.rows, last + overscan) };
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export function isGridKey(key: string): key is GridKey {
  return ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(key);
}

/** The selection after a navigation key; `pageRows` rows per PageUp/PageDown. Clamped to the photos. */
export function moveSelection(index: number, key: GridKey, columns: number, count: number, pageRows: number): number {
  if (count <= 0) return -1;
  const step: Record<GridKey, number> = {
    ArrowLeft: -1,
    ArrowRight: 1,
    ArrowUp: -columns,
    ArrowDown: columns,
    PageUp: -columns * Math.max(1, pageRows),
    PageDown: columns * Math.max(1, pageRows),
    Home: -Infinity,
    End: Infinity,
  };
  if (index < 0) return 0;
  const next = index + step[key];
  // Up/down past the edge stays in the same column rather than jumping to the first/last photo.
  if ((key === 'ArrowUp' || key === 'ArrowDown') && (next < 0 || next >= count)) {
    return key === 'ArrowDown' && Math.floor(index / columns) < Math.floor((count - 1) / columns) ? count - 1 : index;
  }
  return Math.min(count - 1, Math.max(0, next));
}

/**
 * The scrollTop that brings row `row` fully into view with `padding` px to spare (rows start
 * `padding` px below the top of the scrolled content), or null when it is in view already.
 */
export function scrollToRow(layout: GridLayout, row: number, scrollTop: number, viewport: number, padding = 0): number | null {
  const top = padding + row * layout.rowHeight;
  const bottom = top + layout.cell;
  if (top - padding < scrollTop) return Math.max(0, top - padding);
  if (bottom + padding > scrollTop + viewport) return Math.max(0, bottom + padding - viewport);
  return null;
}
