// A shift-set scene: one group of 1–3 objects of one colour and shape on one background, with
// its labels (colour, shape, count, size, background) and everything the renderer needs, as
// plain JSON. Deterministic: the same seed always gives the same scenes. Sizes, positions,
// proportions, fills, outlines and JPEG settings are drawn from other ranges than training's
// (electron/core/synthetic/scene.ts), which this folder never imports.

import { Rng } from '../../../electron/core/synthetic/rng.js';
import {
  BACKGROUNDS,
  COLOURS,
  SHAPES,
  SIZES,
  type Background,
  type Colour,
  type Shape,
  type Size,
} from '../../../electron/core/synthetic/vocabulary.js';
import { shapePolygon, type Point } from './shapes.js';

export interface ShiftObject {
  /** Centre, as a fraction of the frame's width / height. */
  x: number;
  y: number;
  /** Radius of the shape's unit circle, as a fraction of the frame's short side. */
  radius: number;
  /** Degrees, clockwise. */
  rotation: number;
}

export type ShiftFill = { kind: 'flat' } | { kind: 'gradient'; angle: number };

export interface ShiftOutline {
  tone: 'darker' | 'black' | 'white';
  /** Stroke width as a fraction of the object's radius. */
  width: number;
}

export interface ShiftJpeg {
  quality: number;
  chromaSubsampling: '4:2:0' | '4:4:4';
  progressive: boolean;
}

export interface ShiftScene {
  colour: Colour;
  shape: Shape;
  count: 1 | 2 | 3;
  size: Size;
  background: Background;
  width: number;
  height: number;
  /** The group's outline in unit-circle coordinates (every object of a group has the same proportions). */
  polygon: Point[];
  objects: ShiftObject[];
  /** Added to the colour word's RGB: small, so the colour word stays true. */
  colourJitter: readonly [number, number, number];
  fill: ShiftFill;
  /** null: no outline unless the fill is too close to the background (render.ts). */
  outline: ShiftOutline | null;
  backgroundSeed: number;
  jpeg: ShiftJpeg;
}

const ASPECTS = [1, 4 / 3, 3 / 2, 16 / 9] as const;
const MARGIN = 0.02;

/** Radius range (fraction of the short side) by size and count; training's are 0.075–0.09 and 0.165–0.23. */
function radiusRange(size: Size, count: number): readonly [number, number] {
  if (size === 'small') return [0.075, 0.11];
  return count === 1 ? [0.24, 0.32] : count === 2 ? [0.19, 0.24] : [0.15, 0.18];
}

function rotationFor(rng: Rng, shape: Shape): number {
  const spread: Record<Shape, number> = { circle: 0, square: 35, triangle: 45, star: 180, heart: 25, cross: 22 };
  return rng.range(-spread[shape], spread[shape]);
}

/** Non-overlapping centres inside the frame's centred square (what the model's centre crop keeps). */
function place(rng: Rng, radii: number[], width: number, height: number): ShiftObject[] {
  let scale = 1;
  for (let attempt = 1; ; attempt++) {
    if (attempt % 50 === 0) scale *= 0.95;
    const centres: Array<[number, number, number]> = [];
    for (const r0 of radii) {
      const r = r0 * scale;
      const c: [number, number, number] = [rng.range(MARGIN + r, 1 - MARGIN - r), rng.range(MARGIN + r, 1 - MARGIN - r), r];
      if (centres.every(([x, y, rr]) => Math.hypot(c[0] - x, c[1] - y) >= 1.1 * (r + rr))) centres.push(c);
      else break;
    }
    if (centres.length === radii.length) {
      const short = Math.min(width, height);
      return centres.map(([cx, cy, r]) => ({
        x: ((width - short) / 2 + cx * short) / width,
        y: ((height - short) / 2 + cy * short) / height,
        radius: r,
        rotation: 0,
      }));
    }
  }
}

export function sampleShiftScene(rng: Rng, colour: Colour, shape: Shape): ShiftScene {
  const background = rng.pick(BACKGROUNDS);
  const count = rng.pick([1, 1, 2, 3] as const);
  const size = rng.pick(SIZES);
  const long = rng.int(120, 640);
  const short = Math.round(long / rng.pick(ASPECTS));
  const [width, height] = rng.next() < 0.6 ? [long, short] : [short, long];
  const [lo, hi] = radiusRange(size, count);
  const base = rng.range(lo, hi);
  const objects = place(rng, Array.from({ length: count }, () => base * rng.range(0.93, 1.07)), width, height)
    .map((o) => ({ ...o, rotation: rotationFor(rng, shape) }));
  const outlined = rng.next() < 0.4;
  return {
    colour,
    shape,
    count,
    size,
    background,
    width,
    height,
    polygon: shapePolygon(shape, rng),
    objects,
    colourJitter: [rng.int(-8, 8), rng.int(-8, 8), rng.int(-8, 8)],
    fill: rng.next() < 0.35 ? { kind: 'gradient', angle: rng.range(0, 360) } : { kind: 'flat' },
    outline: outlined ? { tone: rng.pick(['darker', 'black', 'white'] as const), width: rng.range(0.04, 0.1) } : null,
    backgroundSeed: rng.int(0, 0x7fffffff),
    jpeg: { quality: rng.int(35, 95), chromaSubsampling: rng.next() < 0.5 ? '4:2:0' : '4:4:4', progressive: rng.next() < 0.3 },
  };
}

/**
 * `perClass` scenes of every colour × shape class, class-major in the order of zero-shot.ts's
 * OBJECT_CLASSES (colour-major), each from its own forked stream of `seed`.
 */
export function shiftScenes(seed: number, perClass: number): ShiftScene[] {
  const rng = new Rng(seed);
  return COLOURS.flatMap((colour) =>
    SHAPES.flatMap((shape) => Array.from({ length: perClass }, () => sampleShiftScene(rng.fork(), colour, shape))),
  );
}
