// SVG outlines of the shape words, each centred on the origin and fitting a circle of radius ~1,
// sized so the shapes look about equally big (a square inscribed in the circle would look small).

import type { Shape } from './vocabulary.js';

function polygon(points: Array<[number, number]>): string {
  return `M${points.map(([x, y]) => `${x.toFixed(4)} ${y.toFixed(4)}`).join('L')}Z`;
}

function starPoints(inner = 0.45): Array<[number, number]> {
  // Five points, inner radius 0.45 of the outer by default: chunkier than the geometric 0.38, so
  // the points survive downscaling to a few pixels.
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? 1.05 : 1.05 * inner;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return pts;
}

function crossPoints(t = 0.33): Array<[number, number]> {
  // t: half the arm thickness.
  const a = 0.95; // arm length
  return [
    [-t, -a], [t, -a], [t, -t], [a, -t], [a, t], [t, t],
    [t, a], [-t, a], [-t, t], [-a, t], [-a, -t], [-t, -t],
  ];
}

const TRIANGLE_R = 1.08;

export const SHAPE_PATHS: Record<Shape, string> = {
  circle: 'M-0.92 0A0.92 0.92 0 1 0 0.92 0A0.92 0.92 0 1 0 -0.92 0Z',
  square: polygon([[-0.8, -0.8], [0.8, -0.8], [0.8, 0.8], [-0.8, 0.8]]),
  // Centroid at the origin; shifted down a little so the bounding circle is used evenly.
  triangle: polygon([0, 1, 2].map((i) => {
    const a = -Math.PI / 2 + (i * 2 * Math.PI) / 3;
    return [TRIANGLE_R * Math.cos(a), TRIANGLE_R * Math.sin(a) + 0.05] as [number, number];
  })),
  star: polygon(starPoints()),
  heart:
    'M0 -0.5C-0.12 -0.92 -0.98 -1.02 -0.98 -0.32C-0.98 0.16 -0.42 0.52 0 0.96' +
    'C0.42 0.52 0.98 0.16 0.98 -0.32C0.98 -1.02 0.12 -0.92 0 -0.5Z',
  cross: polygon(crossPoints()),
};

/** A square of half-side h, its corners rounded with radius rc (0: sharp), as a path. */
function roundedSquare(h: number, rc: number): string {
  if (rc <= 0) return polygon([[-h, -h], [h, -h], [h, h], [-h, h]]);
  const f = (v: number) => v.toFixed(4);
  const i = h - rc;
  const arc = (x: number, y: number) => `A${f(rc)} ${f(rc)} 0 0 1 ${f(x)} ${f(y)}`;
  return (
    `M${f(-i)} ${f(-h)}L${f(i)} ${f(-h)}${arc(h, -i)}L${f(h)} ${f(i)}${arc(i, h)}` +
    `L${f(-i)} ${f(h)}${arc(-h, i)}L${f(-h)} ${f(-i)}${arc(-i, -h)}Z`
  );
}

/**
 * The shape with other proportions, for training variety (style.ts): `p` in 0..1, 0.5 gives
 * SHAPE_PATHS exactly (plus a scale of 1 1). Stars get thinner or fatter points (inner radius
 * 0.30–0.60), crosses thinner or fatter arms (half-thickness 0.17–0.45), squares rounder corners
 * (above 0.5) or a little oblong (below), triangles, hearts and circles are squashed by up to 15 % in one axis
 * (returned as an extra x/y scale, so the outline stays a clean curve).
 */
export function shapePath(shape: Shape, p: number): { d: string; sx: number; sy: number } {
  const d = p - 0.5; // -0.5..0.5
  // A stretch is taken out of the other axis, so no shape reaches further than its standard self.
  const squash = (sx: number, sy: number) => ({ sx: sx / Math.max(sx, sy), sy: sy / Math.max(sx, sy) });
  switch (shape) {
    case 'star':
      return { d: polygon(starPoints(0.45 + d * 0.3)), sx: 1, sy: 1 };
    case 'cross':
      return { d: polygon(crossPoints(0.33 + (d < 0 ? d * 0.32 : d * 0.24))), sx: 1, sy: 1 };
    case 'square':
      // Above 0.5 rounder corners, below a little oblong.
      return { d: roundedSquare(0.8, Math.max(0, d) * 2 * 0.3), sx: 1, sy: 1 + Math.min(0, d) * 0.3 };
    case 'triangle':
      return { d: SHAPE_PATHS.triangle, ...squash(1, 1 + d * 0.3) };
    case 'heart':
      return { d: SHAPE_PATHS.heart, ...squash(1 + d * 0.3, 1) };
    case 'circle':
      return { d: SHAPE_PATHS.circle, ...squash(1 + d * 0.16, 1 - d * 0.16) };
  }
}
