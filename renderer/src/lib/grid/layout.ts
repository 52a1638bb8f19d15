// Windowing arithmetic for the photo grid: how many columns fit, where each section (a day of the
// timeline: a header, then its photos' rows) sits, which rows are on screen, and where the keys
// move the selection. Pure functions over counts, so the grid can hold 100 000 photos in thousands
// of sections while only the visible rows exist in the DOM. A grid without sections is one
// section without a header.

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

/** What a section asks for: its photos and the height of its header (0 for none), px. */
export interface SectionSpec {
  count: number;
  header: number;
}

/** A section placed: its first photo's index, its top (where its header starts) and its rows. */
export interface PlacedSection extends SectionSpec {
  start: number;
  top: number;
  /** Index of its first row among all the grid's rows. */
  firstRow: number;
  rows: number;
}

export interface SectionLayout extends GridLayout {
  sections: PlacedSection[];
  /** Photos in all sections. */
  count: number;
}

export interface RowRange {
  /** First row to render (inclusive) and last (exclusive), counted over all sections. */
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

/**
 * Places the sections one below the other: each a header, then rows of its photos (a section
 * starts on a new row). Empty sections are left out. The last row's gap is not part of the height.
 */
export function sectionLayout(width: number, specs: readonly SectionSpec[], target = 180, gap = 4): SectionLayout {
  const base = gridLayout(width, 0, target, gap);
  const sections: PlacedSection[] = [];
  let top = 0;
  let start = 0;
  let firstRow = 0;
  for (const spec of specs) {
    if (spec.count <= 0) continue;
    const rows = Math.ceil(spec.count / base.columns);
    sections.push({ count: spec.count, header: spec.header, start, top, firstRow, rows });
    top += spec.header + rows * base.rowHeight;
    start += spec.count;
    firstRow += rows;
  }
  return { ...base, sections, count: start, rows: firstRow, height: Math.max(0, top - (firstRow > 0 ? gap : 0)) };
}

/** The last section whose `key` is at most `value` (sections are sorted by every key); -1 for none. */
function lastAtMost(sections: readonly PlacedSection[], key: 'top' | 'start' | 'firstRow', value: number): number {
  let lo = 0;
  let hi = sections.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sections[mid]![key] <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The section holding photo `index`. */
export function sectionOfIndex(l: SectionLayout, index: number): number {
  return Math.max(0, lastAtMost(l.sections, 'start', index));
}

/** The section holding row `row` (counted over all sections). */
export function sectionOfRow(l: SectionLayout, row: number): number {
  return Math.max(0, lastAtMost(l.sections, 'firstRow', row));
}

/** The section at height `y` of the content (its header or its rows). */
export function sectionAt(l: SectionLayout, y: number): number {
  return Math.max(0, lastAtMost(l.sections, 'top', y));
}

/** Top of row `row` (counted over all sections), px from the top of the content. */
export function rowTop(l: SectionLayout, row: number): number {
  const s = l.sections[sectionOfRow(l, row)];
  return s ? s.top + s.header + (row - s.firstRow) * l.rowHeight : 0;
}

/** The row holding photo `index`, counted over all sections. */
export function rowOfIndex(l: SectionLayout, index: number): number {
  const s = l.sections[sectionOfIndex(l, index)];
  return s ? s.firstRow + Math.floor((index - s.start) / l.columns) : 0;
}

/** The photos [first, end) of row `row`. */
export function cellsOfRow(l: SectionLayout, row: number): { first: number; end: number } {
  const s = l.sections[sectionOfRow(l, row)];
  if (!s) return { first: 0, end: 0 };
  const first = s.start + (row - s.firstRow) * l.columns;
  return { first, end: Math.min(s.start + s.count, first + l.columns) };
}

/** The rows that intersect the viewport, plus `overscan` rows above and below. */
export function visibleRows(l: SectionLayout, scrollTop: number, viewport: number, overscan = 2): RowRange {
  if (l.rows === 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const bottom = top + Math.max(0, viewport);
  // First row: the first whose bottom edge is below the top of the viewport.
  const a = l.sections[sectionAt(l, top)]!;
  const first = a.firstRow + Math.min(a.rows - 1, Math.max(0, Math.floor((top - a.top - a.header) / l.rowHeight)));
  // End: the rows that start above the bottom of the viewport.
  const b = l.sections[Math.max(0, lastAtMost(l.sections, 'top', bottom - 1e-9))]!;
  const end = b.firstRow + Math.min(b.rows, Math.max(0, Math.ceil((bottom - b.top - b.header) / l.rowHeight)));
  return { start: Math.max(0, first - overscan), end: Math.min(l.rows, Math.max(end, first + 1) + overscan) };
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export function isGridKey(key: string): key is GridKey {
  return ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(key);
}

/**
 * The selection after a navigation key; `pageRows` rows per PageUp/PageDown. Left and right go
 * through the photos in order; up and down go to the row above or below as drawn, across section
 * headers, keeping the column where that row has one (else its last photo). Clamped to the photos.
 */
export function moveSelection(index: number, key: GridKey, l: SectionLayout, pageRows: number): number {
  const count = l.count;
  if (count <= 0) return -1;
  if (index < 0) return 0;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  if (key === 'ArrowLeft' || key === 'ArrowRight') return Math.min(count - 1, Math.max(0, index + (key === 'ArrowLeft' ? -1 : 1)));
  const rows = { ArrowUp: -1, ArrowDown: 1, PageUp: -Math.max(1, pageRows), PageDown: Math.max(1, pageRows) }[key];
  const row = rowOfIndex(l, index);
  const target = row + rows;
  if (target < 0 || target >= l.rows) {
    // Up from the first row stays; a page past an edge goes to the first or last photo.
    if (key === 'ArrowUp' || key === 'ArrowDown') return index;
    return target < 0 ? 0 : count - 1;
  }
  const column = index - cellsOfRow(l, row).first;
  const { first, end } = cellsOfRow(l, target);
  return Math.min(end - 1, first + column);
}

/**
 * The scrollTop that brings row `row` fully into view with `padding` px to spare (rows start
 * `padding` px below the top of the scrolled content), or null when it is in view already.
 * `inset` px at the top of the viewport are covered (the sticky date header).
 */
export function scrollToRow(l: SectionLayout, row: number, scrollTop: number, viewport: number, padding = 0, inset = 0): number | null {
  const top = padding + rowTop(l, row);
  const bottom = top + l.cell;
  if (top - padding - inset < scrollTop) return Math.max(0, top - padding - inset);
  if (bottom + padding > scrollTop + viewport) return Math.max(0, bottom + padding - viewport);
  return null;
}
