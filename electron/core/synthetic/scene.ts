// A synthetic scene: what it shows (groups of coloured shapes on a background, the words a caption
// may use) and how it is laid out and photographed (positions, lighting, noise, blur, size). A spec
// is plain JSON, so the demo library's manifest can store it as ground truth. sampleScene draws one
// from a seeded Rng; the same Rng state always gives the same spec.

import type { Rng } from './rng.js';
import { sampleStyle, type SceneStyle } from './style.js';
import {
  BACKGROUNDS,
  COLOURS,
  SHAPES,
  SIZES,
  isHeldOut,
  type Background,
  type Colour,
  type Shape,
  type Size,
} from './vocabulary.js';

export interface ObjectGroup {
  colour: Colour;
  shape: Shape;
  size: Size;
  count: 1 | 2 | 3;
}

export interface PlacedObject {
  /** Index into SceneSpec.groups. */
  group: number;
  /** Centre as a fraction of the image width / height. */
  x: number;
  y: number;
  /** Radius of the circle the shape fits in, as a fraction of the image's short side. */
  radius: number;
  /** Degrees, clockwise. */
  rotation: number;
  /** Added to the colour word's RGB fill; small, so the colour word stays true. */
  colourJitter: readonly [number, number, number];
}

export interface Lighting {
  /** Added to every channel, in 0..255 units. */
  brightness: number;
  /** Gain around mid-grey. */
  contrast: number;
  /** Per-channel gain (a mild white-balance cast). */
  tint: readonly [number, number, number];
  /** A soft directional fall-off of the light: direction in degrees, strength as a fraction. */
  gradientAngle: number;
  gradientStrength: number;
  /** Darkening at the corners, as a fraction. */
  vignette: number;
}

export interface SceneLayout {
  width: number;
  height: number;
  objects: PlacedObject[];
  lighting: Lighting;
  /** Standard deviation of the pixel noise, in 0..255 units. */
  noise: number;
  /** Gaussian blur sigma as a fraction of the long side (0: sharp), so it scales with size. */
  blur: number;
  /** Quality used when the scene is encoded as JPEG. */
  jpegQuality: number;
  /** Seeds the background's details and the pixel noise. */
  detailSeed: number;
  /** Training variety (style.ts); absent: the standard look. */
  style?: SceneStyle;
}

export interface SceneSpec {
  background: Background;
  /** One or two groups, one to three objects in total, no two with the same colour and shape. */
  groups: ObjectGroup[];
  layout: SceneLayout;
}

export interface SampleOptions {
  /** Default false: never produce a HELD_OUT_COMBOS colour–shape pair. */
  allowHeldOut?: boolean;
  /** If set, every group uses one of these colour–shape pairs. */
  onlyCombos?: ReadonlyArray<readonly [Colour, Shape]>;
  /** Default 2. */
  maxGroups?: 1 | 2;
  /** Pixel range of the long side; default 320..1600. */
  minSide?: number;
  maxSide?: number;
  /** Width / height; default: drawn from common photo aspect ratios, landscape or portrait. */
  aspect?: number;
  /**
   * Default false. True draws a SceneStyle (other proportions, outlines, shading, plain
   * backgrounds) and wider ranges of object size, rotation and JPEG quality: training variety
   * for the bundled model. Leaving it out keeps every draw, and so every scene, as before.
   */
  varied?: boolean;
}

/**
 * Bounding radius (fraction of the short side) of each size word, far apart so the words are
 * clear. Large objects are a little smaller in three-object scenes, so that three fit.
 */
function radiusRange(size: Size, totalObjects: number, varied: boolean): readonly [number, number] {
  if (varied) {
    // Still far apart: with the ±5 % jitter per object, a small one is at most 0.69 of a large one's radius.
    if (size === 'small') return [0.065, 0.1];
    return totalObjects >= 3 ? [0.16, 0.2] : totalObjects === 2 ? [0.17, 0.24] : [0.17, 0.3];
  }
  if (size === 'small') return [0.075, 0.09];
  return totalObjects >= 3 ? [0.165, 0.195] : [0.18, 0.23];
}

const ASPECTS = [1, 5 / 4, 4 / 3, 3 / 2, 16 / 9, 2] as const;

/** Keeps objects off the very edge, as a fraction of the short side. */
const MARGIN = 0.03;
/** Minimum gap between two objects' bounding circles, as a fraction of the sum of their radii. */
const GAP = 0.08;

export function sampleScene(rng: Rng, opts: SampleOptions = {}): SceneSpec {
  const combos = allowedCombos(opts);
  const background = rng.pick(BACKGROUNDS);
  const groups = sampleGroups(rng, combos, opts.maxGroups ?? 2);
  const [width, height] = sampleFrame(rng, opts);
  const varied = opts.varied ?? false;
  const layout: SceneLayout = {
    width,
    height,
    objects: placeObjects(rng, groups, width, height, varied),
    lighting: sampleLighting(rng),
    noise: rng.next() < 0.15 ? 0 : rng.range(1, 7),
    blur: rng.next() < 0.5 ? 0 : rng.range(0.0002, 0.0016),
    jpegQuality: rng.int(55, 95),
    detailSeed: rng.int(0, 0x7fffffff),
  };
  if (varied) {
    layout.style = sampleStyle(rng, groups.length);
    layout.jpegQuality = rng.int(30, 95);
  }
  return { background, groups, layout };
}

function allowedCombos(opts: SampleOptions): ReadonlyArray<readonly [Colour, Shape]> {
  const all = opts.onlyCombos ?? COLOURS.flatMap((c) => SHAPES.map((s) => [c, s] as const));
  const combos = opts.allowHeldOut ? all : all.filter(([c, s]) => !isHeldOut(c, s));
  if (combos.length === 0) {
    throw new Error(
      'sampleScene: no colour–shape pair is left: onlyCombos holds only HELD_OUT_COMBOS; pass allowHeldOut: true to sample them',
    );
  }
  return combos;
}

function sampleGroups(
  rng: Rng,
  combos: ReadonlyArray<readonly [Colour, Shape]>,
  maxGroups: 1 | 2,
): ObjectGroup[] {
  const twoGroups = maxGroups === 2 && combos.length > 1 && rng.next() < 0.35;
  // Counts per group: one group holds 1–3 objects; two groups hold 1+1, 1+2 or 2+1.
  const counts: Array<1 | 2 | 3> = twoGroups ? rng.pick([[1, 1], [1, 1], [1, 2], [2, 1]] as const).slice() : [rng.pick([1, 2, 3] as const)];
  const groups: ObjectGroup[] = [];
  for (const count of counts) {
    let combo = rng.pick(combos);
    while (groups.some((g) => g.colour === combo[0] && g.shape === combo[1])) combo = rng.pick(combos);
    groups.push({ colour: combo[0], shape: combo[1], size: rng.pick(SIZES), count });
  }
  return groups;
}

function sampleFrame(rng: Rng, opts: SampleOptions): [number, number] {
  const minSide = opts.minSide ?? 320;
  const maxSide = opts.maxSide ?? 1600;
  if (!(minSide >= 16 && maxSide >= minSide)) {
    throw new Error(`sampleScene: need 16 <= minSide <= maxSide, got minSide=${minSide}, maxSide=${maxSide}`);
  }
  const long = rng.int(Math.round(minSide), Math.round(maxSide));
  if (opts.aspect !== undefined) {
    if (!(opts.aspect > 0)) throw new Error(`sampleScene: aspect must be positive, got ${opts.aspect}`);
    return opts.aspect >= 1 ? [long, Math.max(1, Math.round(long / opts.aspect))] : [Math.max(1, Math.round(long * opts.aspect)), long];
  }
  const short = Math.round(long / rng.pick(ASPECTS));
  return rng.next() < 0.7 ? [long, short] : [short, long];
}

/**
 * Places every object inside the centred square of the frame (the part a square centre crop,
 * as CLIP preprocessing does, keeps), so every object in a caption survives preprocessing.
 * Bounding circles never touch. Largest first, a number of random tries each; when a layout
 * keeps failing, all radii shrink a little (rare with the radius ranges above).
 */
function placeObjects(rng: Rng, groups: ObjectGroup[], width: number, height: number, varied: boolean): PlacedObject[] {
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  const radii: number[] = [];
  const owners: number[] = [];
  groups.forEach((g, gi) => {
    const [lo, hi] = radiusRange(g.size, total, varied);
    const base = rng.range(lo, hi);
    for (let k = 0; k < g.count; k++) {
      radii.push(base * rng.range(0.95, 1.05));
      owners.push(gi);
    }
  });
  const order = radii.map((_, i) => i).sort((i, j) => (radii[j] as number) - (radii[i] as number));
  // Work in units of the short side, inside the centred square [0,1]².
  let scale = 1;
  let centres = new Map<number, [number, number]>();
  for (let attempt = 1; centres.size < radii.length; attempt++) {
    if (attempt % 50 === 0) scale *= 0.97;
    centres = new Map();
    for (const i of order) {
      const r = (radii[i] as number) * scale;
      for (let t = 0; t < 40 && !centres.has(i); t++) {
        const c: [number, number] = [rng.range(MARGIN + r, 1 - MARGIN - r), rng.range(MARGIN + r, 1 - MARGIN - r)];
        const clear = [...centres].every(
          ([j, [x, y]]) => Math.hypot(c[0] - x, c[1] - y) >= (1 + GAP) * (r + (radii[j] as number) * scale),
        );
        if (clear) centres.set(i, c);
      }
      if (!centres.has(i)) break;
    }
  }
  const short = Math.min(width, height);
  const offX = (width - short) / 2;
  const offY = (height - short) / 2;
  return radii.map((radius, i) => {
    const [cx, cy] = centres.get(i) as [number, number];
    const shape = (groups[owners[i] as number] as ObjectGroup).shape;
    return {
      group: owners[i] as number,
      x: (offX + cx * short) / width,
      y: (offY + cy * short) / height,
      radius: radius * scale,
      rotation: sampleRotation(rng, shape, varied),
      colourJitter: [rng.int(-10, 10), rng.int(-10, 10), rng.int(-10, 10)] as const,
    };
  });
}

/**
 * Rotation ranges (± degrees) that keep each shape's name obvious: a cross stays a plus sign, a
 * heart stays upright. Stars cover every orientation at ±36 (five-fold symmetry); with a style,
 * squares do too (±45) and crosses lean a little more.
 */
const ROTATION_SPREAD: Record<Shape, number> = { circle: 0, square: 25, triangle: 40, star: 36, heart: 20, cross: 15 };
const STYLED_ROTATION_SPREAD: Record<Shape, number> = { ...ROTATION_SPREAD, square: 45, cross: 20 };

function sampleRotation(rng: Rng, shape: Shape, varied: boolean): number {
  const spread = (varied ? STYLED_ROTATION_SPREAD : ROTATION_SPREAD)[shape];
  return spread === 0 ? 0 : rng.range(-spread, spread);
}

function sampleLighting(rng: Rng): Lighting {
  // Small per-channel gains only: a stronger cast could turn orange into red or white into yellow.
  const cast = rng.range(-0.05, 0.05);
  return {
    brightness: rng.range(-22, 18),
    contrast: rng.range(0.82, 1.15),
    tint: [1 + cast + rng.range(-0.015, 0.015), 1 + rng.range(-0.015, 0.015), 1 - cast + rng.range(-0.015, 0.015)],
    gradientAngle: rng.range(0, 360),
    gradientStrength: rng.range(0, 0.18),
    vignette: rng.range(0, 0.22),
  };
}
