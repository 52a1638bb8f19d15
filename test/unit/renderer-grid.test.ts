// The photo grid's windowing arithmetic and its lazily paged list: what makes 100 000 photos
// scroll with only the visible rows in the DOM, and arrow keys land where a person expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellsOfRow, gridLayout, moveSelection, rowOfIndex, rowTop, scrollToRow, sectionAt, sectionLayout, visibleRows } from '../../renderer/src/lib/grid/layout.js';
import { buildTimeline, DAY_HEADER, MIN_SECTION, MONTH_HEADER } from '../../renderer/src/lib/grid/timeline.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { PagedList } from '../../renderer/src/lib/grid/paged-list.js';

test('grid layout fits square cells into the width and sizes the whole grid', () => {
  const l = gridLayout(1000, 100_000, 180, 4);
  assert.equal(l.columns, 5); // 5 × 180 + 4 × 4 = 916 ≤ 1000 < 6 × 180 + 5 × 4
  assert.equal(l.cell, Math.floor((1000 - 16) / 5));
  assert.equal(l.rows, 20_000);
  assert.equal(l.height, 20_000 * l.rowHeight - 4);
  assert.equal(gridLayout(50, 3).columns, 1, 'at least one column on a narrow window');
  assert.equal(gridLayout(1000, 0).height, 0);
});

/** A grid without date headers: one section without a header. */
const flat = (width: number, count: number, target = 180) => sectionLayout(width, [{ count, header: 0 }], target, 4);

test('only the rows in the viewport (plus overscan) are rendered, wherever the scroll is', () => {
  const l = flat(1000, 100_000);
  assert.deepEqual({ rows: l.rows, height: l.height }, { rows: gridLayout(1000, 100_000).rows, height: gridLayout(1000, 100_000).height });
  const top = visibleRows(l, 0, 800, 2);
  assert.deepEqual(top, { start: 0, end: Math.ceil(800 / l.rowHeight) + 2 });
  const deep = visibleRows(l, 1_000_000, 800, 2);
  assert.ok(deep.end - deep.start <= Math.ceil(800 / l.rowHeight) + 5, `${deep.end - deep.start} rows rendered`);
  assert.equal(deep.start, Math.floor(1_000_000 / l.rowHeight) - 2);
  const bottom = visibleRows(l, l.height, 800, 2);
  assert.equal(bottom.end, l.rows, 'never past the last row');
  assert.deepEqual(visibleRows(flat(1000, 0), 0, 800), { start: 0, end: 0 });
});

test('arrow keys move in the grid and stop at its edges', () => {
  const l = flat(1000, 23); // 5 columns; the last row holds 3 photos (indices 20–22)
  assert.equal(l.columns, 5);
  assert.equal(moveSelection(-1, 'ArrowRight', l, 3), 0, 'first key selects the first photo');
  assert.equal(moveSelection(0, 'ArrowLeft', l, 3), 0);
  assert.equal(moveSelection(4, 'ArrowRight', l, 3), 5, 'right at a row end wraps to the next row');
  assert.equal(moveSelection(2, 'ArrowDown', l, 3), 7);
  assert.equal(moveSelection(2, 'ArrowUp', l, 3), 2, 'up from the first row stays');
  assert.equal(moveSelection(17, 'ArrowDown', l, 3), 22, 'down into a short last row lands on its last photo');
  assert.equal(moveSelection(21, 'ArrowDown', l, 3), 21, 'down from the last row stays');
  assert.equal(moveSelection(7, 'End', l, 3), 22);
  assert.equal(moveSelection(7, 'Home', l, 3), 0);
  assert.equal(moveSelection(1, 'PageDown', l, 3), 16);
  assert.equal(moveSelection(3, 'PageUp', l, 3), 0);
  assert.equal(moveSelection(0, 'ArrowRight', flat(1000, 0), 3), -1, 'nothing to select in an empty grid');
});

test('scrollToRow brings a row fully into view and leaves visible rows alone', () => {
  const l = flat(1000, 1000);
  assert.equal(scrollToRow(l, 0, 0, 600, 16), null);
  const down = scrollToRow(l, 10, 0, 600, 16);
  assert.ok(down !== null && 16 + 10 * l.rowHeight + l.cell + 16 === down + 600, 'row 10 ends at the bottom edge');
  assert.equal(scrollToRow(l, 2, 5000, 600, 16), 2 * l.rowHeight, 'scrolling up puts the row at the top');
});

test('sections stack a header and their rows; each starts on a new row; empty ones are left out', () => {
  // 5 columns of 196 px, rows 200 px apart.
  const l = sectionLayout(1000, [{ count: 7, header: 40 }, { count: 3, header: 30 }, { count: 0, header: 30 }, { count: 12, header: 40 }], 180, 4);
  assert.deepEqual(
    l.sections.map((s) => [s.start, s.top, s.firstRow, s.rows]),
    [[0, 0, 0, 2], [7, 440, 2, 1], [10, 670, 3, 3]],
  );
  assert.equal(l.count, 22);
  assert.equal(l.rows, 6);
  assert.equal(l.height, 670 + 40 + 3 * 200 - 4);
  assert.equal(rowTop(l, 2), 470, 'below its section header');
  assert.deepEqual(cellsOfRow(l, 1), { first: 5, end: 7 }, 'a short last row of a section');
  assert.deepEqual(cellsOfRow(l, 2), { first: 7, end: 10 });
  assert.equal(rowOfIndex(l, 9), 2);
  assert.equal(sectionAt(l, 445), 1, 'inside the second header');
  assert.deepEqual(visibleRows(l, 450, 100, 0), { start: 2, end: 3 }, 'a header and one row in view');
  assert.deepEqual(visibleRows(l, 0, l.height, 0), { start: 0, end: 6 });
});

test('arrow keys move as the rows are drawn, across date headers', () => {
  const l = sectionLayout(1000, [{ count: 7, header: 40 }, { count: 3, header: 30 }, { count: 12, header: 40 }], 180, 4);
  assert.equal(moveSelection(6, 'ArrowDown', l, 2), 8, 'same column in the next section');
  assert.equal(moveSelection(4, 'ArrowDown', l, 2), 6, "a short row: its last photo");
  assert.equal(moveSelection(8, 'ArrowUp', l, 2), 6);
  assert.equal(moveSelection(9, 'ArrowDown', l, 2), 12);
  assert.equal(moveSelection(6, 'ArrowRight', l, 2), 7, 'right goes on to the next day');
  assert.equal(moveSelection(0, 'PageDown', l, 2), 7);
  assert.equal(moveSelection(20, 'PageDown', l, 2), 21, 'a page past the end: the last photo');
  assert.equal(moveSelection(2, 'PageUp', l, 2), 0);
  assert.equal(moveSelection(3, 'End', l, 2), 21);
  assert.equal(moveSelection(21, 'ArrowDown', l, 2), 21);
  // The pinned month covers the top: a row scrolled up to stops below it.
  assert.equal(scrollToRow(l, 3, 1000, 300, 16, 46), 16 + 710 - 16 - 46);
});

test('at 100 000 photos in thousands of days, the rows drawn are the ones in view and the keys reach every row', () => {
  const rng = new Rng(4);
  const specs = Array.from({ length: 3800 }, (_, i) => ({ count: 1 + rng.int(0, 51), header: i % 30 === 0 ? 80 : 34 }));
  const l = sectionLayout(1400, specs, 180, 4);
  for (let k = 0; k < 200; k++) {
    const top = rng.int(0, l.height);
    const { start, end } = visibleRows(l, top, 900, 0);
    assert.ok(end - start <= Math.ceil(900 / l.rowHeight) + 1, `${end - start} rows for one screen`);
    assert.ok(rowTop(l, start) + l.rowHeight > top, 'the first row drawn reaches into the view');
    if (start > 0) assert.ok(rowTop(l, start - 1) + l.rowHeight <= top, 'the row before it is above the view');
    if (end < l.rows) assert.ok(rowTop(l, end) >= top + 900, 'the row after the last drawn is below the view');
  }
  // Down from the first photo visits every row once, in order.
  let index = 0;
  let steps = 0;
  for (let next = moveSelection(index, 'ArrowDown', l, 3); next !== index; next = moveSelection(index, 'ArrowDown', l, 3)) {
    assert.equal(rowOfIndex(l, next), rowOfIndex(l, index) + 1);
    index = next;
    steps++;
  }
  assert.equal(steps, l.rows - 1);
});

test('the timeline: a day header per day, the month title where a month begins, the undated last with a title only', () => {
  const t = buildTimeline([
    { day: 20210314, count: MIN_SECTION },
    { day: 20210302, count: 2 },
    { day: 20210228, count: 1 },
    { day: 20201231, count: 4 },
    { day: null, count: 3 },
  ]);
  assert.equal(t.total, MIN_SECTION + 10);
  assert.deepEqual(t.sections.map((s) => [s.startsMonth, s.header]), [
    [true, MONTH_HEADER + DAY_HEADER],
    [false, DAY_HEADER],
    [true, MONTH_HEADER + DAY_HEADER],
    [true, MONTH_HEADER + DAY_HEADER],
    [true, MONTH_HEADER],
  ]);
  assert.deepEqual(t.marks.map((m) => [m.section, m.year]), [[0, 2021], [2, 2021], [3, 2020], [4, null]]);
  assert.equal(t.sections[4]!.month, 'No date');
  assert.match(t.sections[0]!.month, /2021/);
  assert.match(t.sections[0]!.dayLabel, /14/);
  assert.equal(t.sections[1]!.month, t.sections[0]!.month, 'every section knows its month, for the pinned header');
});

test('days with few photos share a section within their month, under the range of their days', () => {
  const t = buildTimeline([
    { day: 20210320, count: 3 },
    { day: 20210311, count: 4 },
    { day: 20210305, count: MIN_SECTION },
    { day: 20210301, count: 1 },
    { day: 20210228, count: 2 },
  ]);
  assert.deepEqual(t.sections.map((s) => [s.day, s.count]), [[20210320, 3 + 4 + MIN_SECTION], [20210301, 1], [20210228, 2]]);
  assert.match(t.sections[0]!.dayLabel, /5.*20/, 'from its oldest day to its newest');
  assert.equal(t.sections[2]!.startsMonth, true, 'a month change always starts a section');
});

test('the paged list loads only the pages asked for, once, and keeps old pages during a refresh', async () => {
  const total = 1000;
  let items = Array.from({ length: total }, (_, i) => `photo ${i}`);
  const requests: number[] = [];
  let changes = 0;
  const list = new PagedList<string>(
    async (offset, limit) => {
      requests.push(offset);
      return { total: items.length, items: items.slice(offset, offset + limit) };
    },
    () => changes++,
    100,
  );
  assert.equal(list.at(0), undefined);
  await Promise.all([list.ensure(150, 260), list.ensure(150, 260)]);
  assert.deepEqual(requests, [100, 200], 'pages 1 and 2, each requested once');
  assert.equal(list.total, total);
  assert.equal(list.at(150), 'photo 150');
  assert.equal(list.at(50), undefined, 'page 0 was not needed');
  assert.equal(await list.get(999), 'photo 999');
  assert.equal(changes, 3);

  items = items.map((s) => s.toUpperCase());
  list.refresh();
  assert.equal(list.at(150), 'photo 150', 'old page shown until its replacement arrives');
  await list.ensure(150, 160);
  assert.equal(list.at(150), 'PHOTO 150');
  assert.deepEqual(requests.slice(-1), [100]);
});

test('a failed page load is reported and retried on the next ensure', async () => {
  let fail = true;
  const errors: unknown[] = [];
  const list = new PagedList<number>(
    async (offset, limit) => {
      if (fail) throw new Error('offline');
      return { total: 10, items: Array.from({ length: Math.min(limit, 10 - offset) }, (_, i) => offset + i) };
    },
    () => undefined,
    5,
    (err) => errors.push(err),
  );
  await list.ensure(0, 5);
  assert.equal(errors.length, 1);
  assert.equal(list.at(0), undefined);
  fail = false;
  await list.ensure(0, 5);
  assert.equal(list.at(3), 3);
});
