// The viewer's zoom and pan arithmetic, free of the DOM so it can be tested on its own. A view
// is the photo's scale (CSS pixels per photo pixel) and the position of its top-left corner in
// the stage, in CSS pixels. Every function returns a view that keeps the photo where a person
// expects it: centred on an axis where it is smaller than the stage, and never leaving a gap on
// an axis where it is larger.

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface View {
  scale: number;
  x: number;
  y: number;
}

/** Fit: the whole photo shows. Fill: the photo covers the stage, cropped on one axis. */
export type FitMode = 'fit' | 'fill';

/** Zooming in stops at 8 photo pixels per screen pixel; zooming out at a quarter of the fitted size. */
export const MAX_ZOOM = 8;
const MIN_FRACTION_OF_FIT = 0.25;
/** One key press or wheel notch multiplies the scale by this much. */
export const ZOOM_STEP = 1.25;

/** The scale that fits (or fills) the stage with the photo; small photos are enlarged, as before. */
export function fitScale(photo: Size, stage: Size, mode: FitMode): number {
  if (photo.width <= 0 || photo.height <= 0 || stage.width <= 0 || stage.height <= 0) return 1;
  const across = stage.width / photo.width;
  const down = stage.height / photo.height;
  return mode === 'fit' ? Math.min(across, down) : Math.max(across, down);
}

function clampScale(scale: number, photo: Size, stage: Size, pixelScale: number): number {
  const low = Math.min(fitScale(photo, stage, 'fit') * MIN_FRACTION_OF_FIT, pixelScale);
  return Math.min(Math.max(scale, low), MAX_ZOOM * pixelScale);
}

function clampAxis(offset: number, shown: number, room: number): number {
  if (shown <= room) return (room - shown) / 2;
  return Math.min(0, Math.max(room - shown, offset));
}

/** The view moved back inside the rules: centred where the photo is small, no gap where it is large. */
export function clampView(view: View, photo: Size, stage: Size): View {
  return {
    scale: view.scale,
    x: clampAxis(view.x, photo.width * view.scale, stage.width),
    y: clampAxis(view.y, photo.height * view.scale, stage.height),
  };
}

/** The photo at `scale`, centred. */
export function centredView(photo: Size, stage: Size, scale: number): View {
  return { scale, x: (stage.width - photo.width * scale) / 2, y: (stage.height - photo.height * scale) / 2 };
}

/**
 * The view at a new scale that keeps the photo pixel under `at` (stage coordinates: the pointer,
 * or the stage's centre for keys) where it is. `pixelScale` is the scale of 100 % (1 / device
 * pixel ratio: one photo pixel per screen pixel), which bounds zooming in.
 */
export function zoomAt(view: View, photo: Size, stage: Size, scale: number, at: Point, pixelScale = 1): View {
  const next = clampScale(scale, photo, stage, pixelScale);
  const ratio = next / view.scale;
  return clampView({ scale: next, x: at.x - (at.x - view.x) * ratio, y: at.y - (at.y - view.y) * ratio }, photo, stage);
}

/** The view moved by (dx, dy) stage pixels (a drag, or an arrow key), within the rules. */
export function panBy(view: View, photo: Size, stage: Size, dx: number, dy: number): View {
  return clampView({ scale: view.scale, x: view.x + dx, y: view.y + dy }, photo, stage);
}

/** True when the photo is larger than the stage on some axis, so there is something to pan to. */
export function canPan(view: View, photo: Size, stage: Size): boolean {
  return photo.width * view.scale > stage.width + 0.5 || photo.height * view.scale > stage.height + 0.5;
}

/** Double-click: from 100 % back to fit, from anything else to 100 % around the clicked point. */
export function toggleActualSize(view: View, photo: Size, stage: Size, at: Point, pixelScale = 1): View {
  if (Math.abs(view.scale - pixelScale) < 1e-6) return centredView(photo, stage, fitScale(photo, stage, 'fit'));
  return zoomAt(view, photo, stage, pixelScale, at, pixelScale);
}

/**
 * The scale after a wheel movement: a mouse notch (deltaY ±100 pixels) is one ZOOM_STEP; a
 * pinch on a touchpad arrives as ctrl+wheel with small deltas and so zooms smoothly.
 * Lines and pages (deltaMode 1, 2) count as notches.
 */
export function wheelScale(scale: number, deltaY: number, deltaMode: number): number {
  const notches = deltaMode === 0 ? deltaY / 100 : Math.sign(deltaY);
  return scale * Math.pow(ZOOM_STEP, -notches);
}
