// The shift set's shapes, drawn with other proportions than the training generator's
// (electron/core/synthetic/shapes.ts): rounded and slightly oblong squares, isosceles triangles of
// varying height, thinner and fatter stars, a heart from the classic parametric curve, crosses
// with thin or fat arms. Every shape is a polygon inside the unit circle, so its area is exact
// (the unit test compares it with the pixels drawn) and rotation never pushes it out of its circle.

import type { Rng } from '../../../electron/core/synthetic/rng.js';
import type { Shape } from '../../../electron/core/synthetic/vocabulary.js';

export type Point = readonly [number, number];

/** Points of a rounded rectangle of half-sides hw, hh with corner radius rc, clockwise from the top edge. */
function roundedRect(hw: number, hh: number, rc: number): Point[] {
  const pts: Point[] = [];
  const corners: Array<[number, number, number]> = [
    [hw - rc, -hh + rc, -Math.PI / 2],
    [hw - rc, hh - rc, 0],
    [-hw + rc, hh - rc, Math.PI / 2],
    [-hw + rc, -hh + rc, Math.PI],
  ];
  for (const [cx, cy, start] of corners) {
    const steps = rc > 0 ? 8 : 0;
    for (let i = 0; i <= steps; i++) {
      const a = start + (i / Math.max(1, steps)) * (Math.PI / 2);
      pts.push([cx + rc * Math.cos(a), cy + rc * Math.sin(a)]);
    }
  }
  return pts;
}

function circle(rng: Rng): Point[] {
  const r = rng.range(0.9, 1);
  return Array.from({ length: 64 }, (_, i) => {
    const a = (i / 64) * Math.PI * 2;
    return [r * Math.cos(a), r * Math.sin(a)] as const;
  });
}

function square(rng: Rng): Point[] {
  // Half-diagonal at most 1: the corners stay inside the unit circle at any rotation.
  const aspect = rng.range(0.9, 1.1);
  const half = rng.range(0.6, 0.68);
  const [hw, hh] = aspect >= 1 ? [half, half / aspect] : [half * aspect, half];
  return roundedRect(hw, hh, rng.next() < 0.6 ? rng.range(0.08, 0.25) * Math.min(hw, hh) : 0);
}

function triangle(rng: Rng): Point[] {
  // Isosceles, apex up; centred on its centroid, then scaled so its farthest point is at 0.98.
  const halfBase = rng.range(0.8, 1);
  const height = rng.range(1.3, 1.8);
  const raw: Point[] = [[0, -(2 * height) / 3], [halfBase, height / 3], [-halfBase, height / 3]];
  const reach = Math.max(...raw.map(([x, y]) => Math.hypot(x, y)));
  return raw.map(([x, y]) => [(x * 0.98) / reach, (y * 0.98) / reach] as const);
}

function star(rng: Rng): Point[] {
  // Training uses an inner radius of 0.45; here thinner (0.34–0.40) or fatter (0.52–0.58).
  const inner = rng.next() < 0.5 ? rng.range(0.34, 0.4) : rng.range(0.52, 0.58);
  return Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? 1 : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    return [r * Math.cos(a), r * Math.sin(a)] as const;
  });
}

function heart(rng: Rng): Point[] {
  // x = 16 sin³t, y = 13 cos t − 5 cos 2t − 2 cos 3t − cos 4t (y up), fitted into the unit circle.
  const widen = rng.range(0.9, 1.1);
  const raw: Point[] = Array.from({ length: 72 }, (_, i) => {
    const t = (i / 72) * Math.PI * 2;
    const x = 16 * Math.sin(t) ** 3 * widen;
    const y = -(13 * Math.cos(t) - 5 * Math.cos(2 * t) - 2 * Math.cos(3 * t) - Math.cos(4 * t));
    return [x, y - 2.5] as const; // y spans −11.9..17: centre its bounding box
  });
  const reach = Math.max(...raw.map(([x, y]) => Math.hypot(x, y)));
  return raw.map(([x, y]) => [(x * 0.98) / reach, (y * 0.98) / reach] as const);
}

function cross(rng: Rng): Point[] {
  // Training's arms are 0.33 half-thick; here thin (0.18–0.25) or fat (0.38–0.44).
  const t = rng.next() < 0.5 ? rng.range(0.18, 0.25) : rng.range(0.38, 0.44);
  const a = Math.sqrt(0.97 - t * t); // the arm's outer corners on a circle of radius ~0.98
  return [
    [-t, -a], [t, -a], [t, -t], [a, -t], [a, t], [t, t],
    [t, a], [-t, a], [-t, t], [-a, t], [-a, -t], [-t, -t],
  ];
}

const OUTLINES: Record<Shape, (rng: Rng) => Point[]> = { circle, square, triangle, star, heart, cross };

/** A polygon for `shape` with proportions drawn from rng, inside the unit circle. */
export function shapePolygon(shape: Shape, rng: Rng): Point[] {
  return OUTLINES[shape](rng);
}

/** Shoelace area of a simple polygon. */
export function polygonArea(points: readonly Point[]): number {
  let s = 0;
  points.forEach(([x, y], i) => {
    const [nx, ny] = points[(i + 1) % points.length] as Point;
    s += x * ny - nx * y;
  });
  return Math.abs(s) / 2;
}

export function polygonPerimeter(points: readonly Point[]): number {
  return points.reduce((sum, [x, y], i) => {
    const [nx, ny] = points[(i + 1) % points.length] as Point;
    return sum + Math.hypot(nx - x, ny - y);
  }, 0);
}
