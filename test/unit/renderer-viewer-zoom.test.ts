// The viewer's zoom and pan arithmetic (renderer/src/lib/viewer/zoom.ts): fit and fill, zooming
// around the pointer, panning within the photo, and the double-click toggle to 100 %.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_ZOOM,
  ZOOM_STEP,
  canPan,
  centredView,
  clampView,
  fitScale,
  panBy,
  toggleActualSize,
  wheelScale,
  zoomAt,
  type View,
} from '../../renderer/src/lib/viewer/zoom.js';

const stage = { width: 1600, height: 1000 };
const wide = { width: 4000, height: 2000 };

/** The photo pixel shown at a stage point. */
function photoPixelAt(view: View, x: number, y: number): [number, number] {
  return [(x - view.x) / view.scale, (y - view.y) / view.scale];
}

test('fit shows the whole photo, fill covers the stage; small photos are enlarged', () => {
  assert.equal(fitScale(wide, stage, 'fit'), 0.4); // 1600 / 4000 across, 1000 / 2000 = 0.5 down
  assert.equal(fitScale(wide, stage, 'fill'), 0.5);
  assert.equal(fitScale({ width: 400, height: 250 }, stage, 'fit'), 4);
  assert.equal(fitScale({ width: 0, height: 0 }, stage, 'fit'), 1, 'an unknown size does not divide by zero');
});

test('a fitted photo is centred on the short axis', () => {
  const v = centredView(wide, stage, 0.4);
  assert.deepEqual(v, { scale: 0.4, x: 0, y: (1000 - 800) / 2 });
});

test('zooming keeps the photo pixel under the pointer in place', () => {
  const fitted = centredView(wide, stage, 0.4);
  const before = photoPixelAt(fitted, 1200, 300);
  const zoomed = zoomAt(fitted, wide, stage, 1, { x: 1200, y: 300 });
  assert.equal(zoomed.scale, 1);
  const after = photoPixelAt(zoomed, 1200, 300);
  assert.ok(Math.abs(after[0] - before[0]) < 1e-9 && Math.abs(after[1] - before[1]) < 1e-9, `${before} → ${after}`);
});

test('zooming near an edge never opens a gap beside the photo', () => {
  const fitted = centredView(wide, stage, 0.4);
  // The top-left corner of the stage is above the photo (it is letterboxed); at 100 % the photo covers the stage.
  const v = zoomAt(fitted, wide, stage, 1, { x: 0, y: 0 });
  assert.ok(v.x <= 0 && v.y <= 0, 'no gap left or above');
  assert.ok(v.x + wide.width >= stage.width && v.y + wide.height >= stage.height, 'no gap right or below');
});

test('zoom is bounded: 8 × 100 % in, a quarter of fit out; 100 % is the device pixel', () => {
  const fitted = centredView(wide, stage, 0.4);
  const centre = { x: 800, y: 500 };
  assert.equal(zoomAt(fitted, wide, stage, 1000, centre).scale, MAX_ZOOM);
  assert.equal(zoomAt(fitted, wide, stage, 0.0001, centre).scale, 0.1);
  // On a 2× screen 100 % is half a CSS pixel per photo pixel, and the limit follows.
  assert.equal(zoomAt(fitted, wide, stage, 1000, centre, 0.5).scale, MAX_ZOOM * 0.5);
});

test('panning stops at the photo edges; a photo smaller than the stage stays centred', () => {
  const actual = centredView(wide, stage, 1);
  assert.deepEqual(actual, { scale: 1, x: -1200, y: -500 });
  assert.deepEqual(panBy(actual, wide, stage, 100, -50), { scale: 1, x: -1100, y: -550 });
  assert.deepEqual(panBy(actual, wide, stage, 5000, 5000), { scale: 1, x: 0, y: 0 });
  assert.deepEqual(panBy(actual, wide, stage, -5000, -5000), { scale: 1, x: -2400, y: -1000 });
  const fitted = centredView(wide, stage, 0.4);
  assert.deepEqual(panBy(fitted, wide, stage, 300, 300), fitted, 'nothing to pan at fit');
  assert.equal(canPan(fitted, wide, stage), false);
  assert.equal(canPan(actual, wide, stage), true);
});

test('clampView centres a stray view of a small photo', () => {
  assert.deepEqual(clampView({ scale: 1, x: -70, y: 900 }, { width: 400, height: 200 }, stage), { scale: 1, x: 600, y: 400 });
});

test('double-click goes to 100 % at the clicked point, and back to fit', () => {
  const fitted = centredView(wide, stage, fitScale(wide, stage, 'fit'));
  const actual = toggleActualSize(fitted, wide, stage, { x: 400, y: 500 });
  assert.equal(actual.scale, 1);
  const back = toggleActualSize(actual, wide, stage, { x: 400, y: 500 });
  assert.deepEqual(back, fitted);
  // A photo already shown at 100 % by fit goes to fit (it is there) rather than nowhere new.
  const exact = { width: 1600, height: 1000 };
  assert.deepEqual(toggleActualSize(centredView(exact, stage, 1), exact, stage, { x: 0, y: 0 }), centredView(exact, stage, 1));
});

test('a wheel notch is one zoom step; a pinch zooms by a little; lines count as notches', () => {
  assert.ok(Math.abs(wheelScale(1, -100, 0) - ZOOM_STEP) < 1e-12);
  assert.ok(Math.abs(wheelScale(1, 100, 0) - 1 / ZOOM_STEP) < 1e-12);
  const pinch = wheelScale(1, -4, 0);
  assert.ok(pinch > 1 && pinch < 1.01, `pinch ${pinch}`);
  assert.ok(Math.abs(wheelScale(2, -3, 1) - 2 * ZOOM_STEP) < 1e-12);
});
