// The photo grid's windowing arithmetic and its lazily paged list: what makes 100 000 photos
// scroll with only the visible rows in the DOM, and arrow keys land where a person expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridLayout, moveSelection, scrollToRow, visibleRows } from '../../renderer/src/lib/grid/layout.js';
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

test('only the rows in the viewport (plus overscan) are rendered, wherever the scroll is', () => {
  const l = gridLayout(1000, 100_000, 180, 4);
  const top = visibleRows(l, 0, 800, 2);
  assert.deepEqual(top, { start: 0, end: Math.ceil(800 / l.rowHeight) + 2 });
  const deep = visibleRows(l, 1_000_000, 800, 2);
  assert.ok(deep.end - deep.start <= Math.ceil(800 / l.rowHeight) + 5, `${deep.end - deep.start} rows rendered`);
  assert.equal(deep.start, Math.floor(1_000_000 / l.rowHeight) - 2);
  const bottom = visibleRows(l, l.height, 800, 2);
  assert.equal(bottom.end, l.rows, 'never past the last row');
  assert.deepEqual(visibleRows(gridLayout(1000, 0), 0, 800), { start: 0, end: 0 });
});

test('arrow keys move in the grid and stop at its edges', () => {
  const cols = 5;
  const count = 23; // last row holds 3 photos (indices 20–22)
  assert.equal(moveSelection(-1, 'ArrowRight', cols, count, 3), 0, 'first key selects the first photo');
  assert.equal(moveSelection(0, 'ArrowLeft', cols, count, 3), 0);
  assert.equal(moveSelection(4, 'ArrowRight', cols, count, 3), 5, 'right at a row end wraps to the next row');
  assert.equal(moveSelection(2, 'ArrowDown', cols, count, 3), 7);
  assert.equal(moveSelection(2, 'ArrowUp', cols, count, 3), 2, 'up from the first row stays');
  assert.equal(moveSelection(17, 'ArrowDown', cols, count, 3), 22, 'down into a short last row lands on its last photo');
  assert.equal(moveSelection(21, 'ArrowDown', cols, count, 3), 21, 'down from the last row stays');
  assert.equal(moveSelection(7, 'End', cols, count, 3), 22);
  assert.equal(moveSelection(7, 'Home', cols, count, 3), 0);
  assert.equal(moveSelection(1, 'PageDown', cols, count, 3), 16);
  assert.equal(moveSelection(3, 'PageUp', cols, count, 3), 0);
  assert.equal(moveSelection(0, 'ArrowRight', cols, 0, 3), -1, 'nothing to select in an empty grid');
});

test('scrollToRow brings a row fully into view and leaves visible rows alone', () => {
  const l = gridLayout(1000, 1000, 180, 4);
  assert.equal(scrollToRow(l, 0, 0, 600, 16), null);
  const down = scrollToRow(l, 10, 0, 600, 16);
  assert.ok(down !== null && 16 + 10 * l.rowHeight + l.cell + 16 === down + 600, 'row 10 ends at the bottom edge');
  assert.equal(scrollToRow(l, 2, 5000, 600, 16), 2 * l.rowHeight, 'scrolling up puts the row at the top');
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
