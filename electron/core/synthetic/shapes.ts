// SVG outlines of the shape words, each centred on the origin and fitting a circle of radius ~1,
// sized so the shapes look about equally big (a square inscribed in the circle would look small).

import type { Shape } from './vocabulary.js';

function polygon(points: Array<[number, number]>): string {
  return `M${points.map(([x, y]) => `${x.toFixed(4)} ${y.toFixed(4)}`).join('L')}Z`;
}

function starPoints(): Array<[number, number]> {
  // Five points, inner radius 0.45 of the outer: chunkier than the geometric 0.38, so the
  // points survive downscaling to a few pixels.
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? 1.05 : 1.05 * 0.45;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return pts;
}

function crossPoints(): Array<[number, number]> {
  const a = 0.95; // arm length
  const t = 0.33; // half the arm thickness
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
