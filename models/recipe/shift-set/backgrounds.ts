// The shift set's renditions of the five backgrounds the model knows (vocabulary.ts BACKGROUNDS),
// flat and geometric where the training generator's are textured: beach = flat sky, sea and sand
// bands or a diagonal shore; grass = a plain or mown-striped lawn, sometimes under a sky band;
// snow = plain white-blue ground with a flat grey sky or smooth drifts; night = a flat or graded
// dark sky, sometimes with square star specks or a black skyline; wall = a plain painted wall
// above a floor, or striped wallpaper or panelling with or without one. No circles anywhere, so
// nothing in a background reads as an object.

import type { Rng } from '../../../electron/core/synthetic/rng.js';
import type { Background } from '../../../electron/core/synthetic/vocabulary.js';

export type RGB = readonly [number, number, number];

export interface BackgroundDrawing {
  svg: string;
  /** The colour covering most of the frame, for the outline rule in render.ts. */
  base: RGB;
}

export function css([r, g, b]: RGB): string {
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return `#${[r, g, b].map((v) => c(v).toString(16).padStart(2, '0')).join('')}`;
}

function vary(rng: Rng, [r, g, b]: RGB, amount: number): RGB {
  return [r + rng.range(-amount, amount), g + rng.range(-amount, amount), b + rng.range(-amount, amount)];
}

const f = (v: number) => v.toFixed(1);

function rect(x: number, y: number, w: number, h: number, colour: RGB | string): string {
  return `<rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}" fill="${typeof colour === 'string' ? colour : css(colour)}"/>`;
}

function topDown(id: string, top: RGB, bottom: RGB): string {
  return `<linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${css(top)}"/><stop offset="1" stop-color="${css(bottom)}"/></linearGradient>`;
}

function beach(rng: Rng, w: number, h: number): BackgroundDrawing {
  const sky = vary(rng, [150, 200, 240], 12);
  const sea = vary(rng, [40, 130, 190], 12);
  const sand = vary(rng, [236, 214, 170], 10);
  if (rng.next() < 0.6) {
    const horizon = h * rng.range(0.2, 0.35);
    const shore = horizon + h * rng.range(0.06, 0.14);
    return { svg: rect(0, 0, w, h, sand) + rect(0, 0, w, shore, sea) + rect(0, 0, w, horizon, sky), base: sand };
  }
  // Seen from above: sand with the sea in one top corner behind a straight diagonal shore.
  const left = rng.next() < 0.5;
  const [a, b] = [h * rng.range(0.25, 0.5), w * rng.range(0.35, 0.6)];
  const d = left ? `M0 0H${f(b)}L0 ${f(a)}Z` : `M${f(w)} 0H${f(w - b)}L${f(w)} ${f(a)}Z`;
  return { svg: rect(0, 0, w, h, sand) + `<path d="${d}" fill="${css(sea)}"/>`, base: sand };
}

function grass(rng: Rng, w: number, h: number): BackgroundDrawing {
  const green = vary(rng, rng.pick<RGB>([[90, 160, 60], [70, 140, 50], [110, 170, 70]]), 10);
  let svg = rect(0, 0, w, h, green);
  if (rng.next() < 0.5) {
    // Mown stripes, a shade lighter, vertical or diagonal.
    const band = Math.max(w, h) * rng.range(0.08, 0.15);
    const lighter = vary(rng, [green[0] + 22, green[1] + 22, green[2] + 14], 3);
    let d = '';
    for (let x = -h; x < w + h; x += 2 * band) d += `M${f(x)} 0h${f(band)}v${f(h)}h${f(-band)}Z`;
    const skew = rng.next() < 0.5 ? ` transform="skewX(${f(rng.range(-30, 30))})"` : '';
    svg += `<path d="${d}" fill="${css(lighter)}"${skew}/>`;
  }
  if (rng.next() < 0.35) svg += rect(0, 0, w, h * rng.range(0.12, 0.25), vary(rng, [165, 205, 235], 10));
  return { svg, base: green };
}

function snow(rng: Rng, w: number, h: number): BackgroundDrawing {
  const ground = vary(rng, [240, 244, 250], 4);
  let svg = rect(0, 0, w, h, ground);
  if (rng.next() < 0.5) {
    svg += rect(0, 0, w, h * rng.range(0.15, 0.3), vary(rng, [175, 185, 200], 10));
  } else {
    // Two smooth drifts of pale blue across the frame (quadratic humps, edge to edge).
    for (let i = 0; i < 2; i++) {
      const y = h * rng.range(0.35, 0.8);
      svg += `<path d="M0 ${f(y)}Q${f(w * rng.range(0.3, 0.7))} ${f(y - h * rng.range(0.1, 0.2))} ${f(w)} ${f(y)}V${f(h)}H0Z" fill="${css(vary(rng, [222, 230, 244], 4))}"/>`;
    }
  }
  return { svg, base: ground };
}

function night(rng: Rng, w: number, h: number): BackgroundDrawing {
  const top = vary(rng, [10, 14, 40], 5);
  const bottom = vary(rng, [30, 40, 85], 8);
  const graded = rng.next() < 0.6;
  let svg = graded ? `<defs>${topDown('sky', top, bottom)}</defs><rect width="${w}" height="${h}" fill="url(#sky)"/>` : rect(0, 0, w, h, top);
  if (rng.next() < 0.6) {
    let d = '';
    const s = Math.max(1, Math.min(w, h) * 0.006);
    for (let i = rng.int(30, 90); i > 0; i--) d += `M${f(rng.range(0, w))} ${f(rng.range(0, h))}h${f(s)}v${f(s)}h${f(-s)}Z`;
    svg += `<path d="${d}" fill="#f0f0dc"/>`;
  }
  if (rng.next() < 0.4) {
    // A flat black skyline of blocks along the bottom edge.
    let d = `M0 ${f(h)}`;
    for (let x = 0; x < w; ) {
      x = Math.min(w, x + w * rng.range(0.08, 0.2));
      d += `V${f(h * rng.range(0.85, 0.95))}H${f(x)}`;
    }
    svg += `<path d="${d}V${f(h)}Z" fill="#050508"/>`;
  }
  return { svg, base: top };
}

function wall(rng: Rng, w: number, h: number): BackgroundDrawing {
  const paint = vary(rng, rng.pick<RGB>([[232, 226, 214], [214, 216, 218], [238, 232, 200], [205, 214, 222]]), 6);
  let svg = rect(0, 0, w, h, paint);
  const style = rng.int(0, 2);
  if (style === 1) {
    // Striped wallpaper: narrow stripes a shade darker.
    const step = w * rng.range(0.06, 0.12);
    let d = '';
    for (let x = step / 2; x < w; x += step) d += `M${f(x)} 0h${f(step * 0.3)}V${f(h)}h${f(-step * 0.3)}Z`;
    svg += `<path d="${d}" fill="${css([paint[0] * 0.9, paint[1] * 0.9, paint[2] * 0.9])}"/>`;
  } else if (style === 2) {
    // Horizontal panelling: thin dark lines.
    const step = h * rng.range(0.08, 0.14);
    let d = '';
    for (let y = step; y < h; y += step) d += `M0 ${f(y)}H${f(w)}v${f(Math.max(1, h * 0.006))}H0Z`;
    svg += `<path d="${d}" fill="${css([paint[0] * 0.75, paint[1] * 0.75, paint[2] * 0.75])}"/>`;
  }
  // A plain painted wall needs its floor to read as a wall (and not as a snow field) to a person too.
  if (style === 0 || rng.next() < 0.5) {
    const floor = h * rng.range(0.84, 0.92);
    svg += rect(0, floor, w, h - floor, vary(rng, [120, 90, 60], 12)) + rect(0, floor - h * 0.02, w, h * 0.02, '#fafafa');
  }
  return { svg, base: paint };
}

const DRAW: Record<Background, (rng: Rng, w: number, h: number) => BackgroundDrawing> = { beach, grass, snow, night, wall };

export function backgroundDrawing(background: Background, rng: Rng, width: number, height: number): BackgroundDrawing {
  return DRAW[background](rng, width, height);
}
