// The photo grid's selection rules (click, Shift and Ctrl/Cmd clicks, Shift+arrows, Space, Ctrl+A,
// Escape) and the range set behind them, which keeps "all 100 000 photos" as one range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridSelection, IndexSet, itemsOf } from '../../renderer/src/lib/grid/selection-model.js';

const plain = { shift: false, toggle: false };
const shift = { shift: true, toggle: false };
const ctrl = { shift: false, toggle: true };
const ctrlShift = { shift: true, toggle: true };

const listed = (s: GridSelection): number[] => [...s.set.indexes()];

test('the index set merges, splits and counts ranges without listing them', () => {
  const s = IndexSet.empty.add(5, 8).add(0, 2).add(2, 3);
  assert.deepEqual(s.ranges, [
    [0, 3],
    [5, 8],
  ]);
  assert.deepEqual(s.add(3, 5).ranges, [[0, 8]], 'a range filling the gap joins both');
  assert.deepEqual(s.remove(1, 6).ranges, [
    [0, 1],
    [6, 8],
  ]);
  assert.equal(s.size, 6);
  assert.ok(s.has(0) && s.has(7) && !s.has(3) && !s.has(8) && !s.has(-1));
  assert.deepEqual(s.toggle(6).ranges, [
    [0, 3],
    [5, 6],
    [7, 8],
  ]);
  assert.deepEqual(s.toggle(4).toggle(3).ranges, [[0, 8]]);
  assert.deepEqual(IndexSet.range(4, 4), IndexSet.empty);
});

test('a plain click selects one photo, Shift-click the range from it, Ctrl/Cmd-click toggles', () => {
  let s = GridSelection.none.click(3, plain);
  assert.deepEqual(listed(s), [3]);
  assert.equal(s.active, 3);
  s = s.click(7, shift);
  assert.deepEqual(listed(s), [3, 4, 5, 6, 7]);
  assert.equal(s.anchor, 3, 'the anchor stays where the range started');
  s = s.click(1, shift);
  assert.deepEqual(listed(s), [1, 2, 3], 'another Shift-click replaces the range, from the same anchor');
  s = s.click(2, ctrl);
  assert.deepEqual(listed(s), [1, 3]);
  s = s.click(10, ctrl);
  assert.deepEqual(listed(s), [1, 3, 10]);
  s = s.click(12, ctrlShift);
  assert.deepEqual(listed(s), [1, 3, 10, 11, 12], 'Ctrl+Shift adds the range from the last toggled photo');
  s = s.click(4, plain);
  assert.deepEqual(listed(s), [4]);
});

test('plain arrows move the focus only; Shift+arrows extend from the anchor; Space toggles the active photo', () => {
  let s = GridSelection.none.move(0, plain).move(1, plain);
  assert.equal(s.size, 0, 'walking with the arrows selects nothing');
  assert.equal(s.active, 1);
  s = s.move(2, shift).move(3, shift);
  assert.deepEqual(listed(s), [1, 2, 3]);
  s = s.move(2, shift);
  assert.deepEqual(listed(s), [1, 2], 'stepping back shrinks the range');
  s = s.move(0, shift);
  assert.deepEqual(listed(s), [0, 1], 'past the anchor the range turns round');
  s = s.move(5, plain);
  s = s.toggle(s.active);
  assert.deepEqual(listed(s), [0, 1, 5], 'Space adds the focused photo to the selection');
  s = s.toggle(5);
  assert.deepEqual(listed(s), [0, 1]);
  // With no anchor yet, a range starts at the active cell (or the first photo).
  assert.deepEqual(listed(GridSelection.none.move(2, shift)), [0, 1, 2]);
});

test('Ctrl+A is one range however long the list; Escape clears and keeps the focus', () => {
  let s = GridSelection.none.click(40, plain).all(100_000);
  assert.equal(s.size, 100_000);
  assert.deepEqual(s.set.ranges, [[0, 100_000]]);
  s = s.click(500, ctrl);
  assert.equal(s.size, 99_999);
  assert.deepEqual(s.set.ranges, [
    [0, 500],
    [501, 100_000],
  ]);
  assert.ok(!s.has(500) && s.has(99_999));
  s = s.clear();
  assert.equal(s.size, 0);
  assert.equal(s.active, 500);
});

test('a shrunk list drops the indexes past its end', () => {
  const s = GridSelection.none.all(10).clip(4);
  assert.deepEqual(listed(s), [0, 1, 2, 3]);
  assert.equal(GridSelection.none.click(8, plain).clip(4).active, 3);
  assert.equal(GridSelection.none.all(10).clip(0).size, 0);
  // A range lying wholly past the new end, the keyboard's cell still inside the list.
  const past = GridSelection.none.click(150, plain).click(159, shift).focus(40);
  const clipped = past.clip(100);
  assert.equal(clipped.size, 0, 'photos 150–159 of a list now 100 long are no longer selected');
  assert.equal(clipped.active, 40);
  assert.equal(past.clip(160), past, 'nothing past the end: the same value, so the grid need not store a new one');
  assert.notEqual(past.clip(159), past);
});

test('the selected items are read in order, a chunk of pages at a time', async () => {
  const set = IndexSet.empty.add(0, 5).add(2_000, 2_003);
  let inFlight = 0;
  let most = 0;
  const get = async (i: number): Promise<string | undefined> => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    return i === 3 ? undefined : `photo ${i}`;
  };
  assert.deepEqual(await itemsOf(set, get, 4), ['photo 0', 'photo 1', 'photo 2', 'photo 4', 'photo 2000', 'photo 2001', 'photo 2002']);
  assert.ok(most <= 4, `${most} reads at once`);
});
