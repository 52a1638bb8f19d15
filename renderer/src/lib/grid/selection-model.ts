// The photo grid's multi-selection as plain values, so the rules are testable without a browser:
// which indexes are selected (a set of ranges: Ctrl+A on 100 000 photos is one range, "all but
// one" two, never 100 000 ids), the active cell (the keyboard's) and the anchor a Shift range
// starts from. Every operation returns a new value; lib/state/selection.svelte.ts holds the current one.

/** Indexes [from, to): half-open, from < to. */
export type IndexRange = readonly [from: number, to: number];

/** A set of indexes as sorted, disjoint, non-touching ranges. */
export class IndexSet {
  static readonly empty = new IndexSet([]);

  private constructor(readonly ranges: readonly IndexRange[]) {}

  static range(from: number, to: number): IndexSet {
    return to > from ? new IndexSet([[from, to]]) : IndexSet.empty;
  }

  get size(): number {
    let n = 0;
    for (const [from, to] of this.ranges) n += to - from;
    return n;
  }

  has(index: number): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [from, to] = this.ranges[mid]!;
      if (index < from) hi = mid - 1;
      else if (index >= to) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** This set with [from, to) added. */
  add(from: number, to: number): IndexSet {
    if (to <= from) return this;
    const out: IndexRange[] = [];
    let start = from;
    let end = to;
    let placed = false;
    for (const [a, b] of this.ranges) {
      if (b < start) out.push([a, b]);
      else if (a > end) {
        if (!placed) out.push([start, end]);
        placed = true;
        out.push([a, b]);
      } else {
        // Overlapping or touching: merge into the new range.
        start = Math.min(start, a);
        end = Math.max(end, b);
      }
    }
    if (!placed) out.push([start, end]);
    return new IndexSet(out);
  }

  /** This set with [from, to) taken out. */
  remove(from: number, to: number): IndexSet {
    if (to <= from) return this;
    const out: IndexRange[] = [];
    for (const [a, b] of this.ranges) {
      if (b <= from || a >= to) out.push([a, b]);
      else {
        if (a < from) out.push([a, from]);
        if (b > to) out.push([to, b]);
      }
    }
    return new IndexSet(out);
  }

  toggle(index: number): IndexSet {
    return this.has(index) ? this.remove(index, index + 1) : this.add(index, index + 1);
  }

  /** The indexes in order (a generator: the set itself never lists them). */
  *indexes(): Generator<number> {
    for (const [from, to] of this.ranges) for (let i = from; i < to; i++) yield i;
  }
}

/** Which modifier keys were held with a click or an arrow key. */
export interface Modifiers {
  shift: boolean;
  /** Ctrl, or Cmd on a Mac. */
  toggle: boolean;
}

export class GridSelection {
  static readonly none = new GridSelection(IndexSet.empty, -1, -1);

  private constructor(
    readonly set: IndexSet,
    /** The keyboard's cell, -1 for none. */
    readonly active: number,
    /** Where a Shift range starts, -1 for none (then the active cell is). */
    readonly anchor: number,
  ) {}

  get size(): number {
    return this.set.size;
  }

  has(index: number): boolean {
    return this.set.has(index);
  }

  /** A plain click: this photo alone. */
  only(index: number): GridSelection {
    return new GridSelection(IndexSet.range(index, index + 1), index, index);
  }

  /** Ctrl/Cmd-click or Space: this photo in or out; the next range starts here. */
  toggle(index: number): GridSelection {
    return new GridSelection(this.set.toggle(index), index, index);
  }

  /** Shift-click or Shift+arrow: the range from the anchor to `index`, replacing the selection (or added to it with `keep`). */
  extendTo(index: number, keep: boolean): GridSelection {
    const anchor = this.anchor >= 0 ? this.anchor : Math.max(0, this.active);
    const base = keep ? this.set : IndexSet.empty;
    return new GridSelection(base.add(Math.min(anchor, index), Math.max(anchor, index) + 1), index, anchor);
  }

  /** A plain arrow key: the focus moves and the next range starts there; the selection stays. */
  focus(index: number): GridSelection {
    return new GridSelection(this.set, index, index);
  }

  click(index: number, mods: Modifiers): GridSelection {
    if (mods.shift) return this.extendTo(index, mods.toggle);
    return mods.toggle ? this.toggle(index) : this.only(index);
  }

  /** An arrow key (or Home, PageDown …) that lands on `index`. */
  move(index: number, mods: Modifiers): GridSelection {
    return mods.shift ? this.extendTo(index, mods.toggle) : this.focus(index);
  }

  /** Ctrl/Cmd+A: every photo of a list of `count`. */
  all(count: number): GridSelection {
    return new GridSelection(IndexSet.range(0, count), this.active, this.anchor);
  }

  /** Escape: nothing selected; the focus stays. */
  clear(): GridSelection {
    return new GridSelection(IndexSet.empty, this.active, this.anchor);
  }

  /** The list shrank (indexing removed photos): indexes past its end are gone. This same value when none were. */
  clip(count: number): GridSelection {
    const end = this.set.ranges.at(-1)?.[1] ?? 0;
    if (end <= count && this.active < count && this.anchor < count) return this;
    const last = count - 1;
    return new GridSelection(this.set.remove(count, Number.MAX_SAFE_INTEGER), Math.min(this.active, last), Math.min(this.anchor, last));
  }
}

/**
 * The items at the indexes of `set`, in order, read through `get` (which may load pages) `chunk`
 * at a time, so a large selection does not start every page's request at once.
 */
export async function itemsOf<T>(set: IndexSet, get: (index: number) => Promise<T | undefined>, chunk = 1000): Promise<T[]> {
  const out: T[] = [];
  let batch: number[] = [];
  const flush = async (): Promise<void> => {
    for (const item of await Promise.all(batch.map(get))) if (item !== undefined) out.push(item);
    batch = [];
  };
  for (const index of set.indexes()) {
    batch.push(index);
    if (batch.length >= chunk) await flush();
  }
  await flush();
  return out;
}
