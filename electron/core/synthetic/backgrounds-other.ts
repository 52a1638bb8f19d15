// The five places seen another way, for training variety only (style.ts `otherView`, issue 12).
// backgrounds.ts draws each place in one composition (a beach always has sky, sea and sand in bands;
// grass always fills the frame with blades), so a model trained on it alone can learn the
// composition instead of the place: on the shift set, flat lawns and sand seen from above were
// mostly taken for a wall (models/README.md, "Robustness runs"). Here: beach = sand from above with
// the sea along one edge; grass = a lawn from above, or below a treeline and sky; snow = a snowfield
// under an overcast sky with distant dark trees; night = a dark sky over the black outline of hills;
// wall = a two-tone painted wall with a dado rail. `detail` adds the same kinds of texture marks as
// backgrounds.ts. Nothing here is round, so it never reads as an object.

import { jitter, n, rgb, shade, verticalGradient, wavyLine, type RGB } from './backgrounds.js';
import type { Rng } from './rng.js';
import type { Background } from './vocabulary.js';

/** Thin vertical strokes (grass blades, joints) as one path, drawn where `top <= y <= bottom`. */
function blades(rng: Rng, w: number, top: number, bottom: number, count: number, len: number): string {
  let d = '';
  for (let i = 0; i < count; i++) {
    const x = rng.range(0, w);
    const y = rng.range(top, bottom);
    const l = len * rng.range(0.6, 1.2);
    d += `M${n(x - 0.6)} ${n(y)}l${n(0.6 + rng.range(-0.3, 0.3) * l)} ${n(-l)}l0.6 ${n(l)}Z`;
  }
  return d;
}

function beach(rng: Rng, w: number, h: number, detail: boolean): string {
  const sand = jitter(rng, [226, 202, 156], 10);
  const sea = jitter(rng, [40, 120, 165], 12);
  // The sea along the top or one side edge, a wavy shoreline with surf, seen from above.
  const depth = rng.range(0.15, 0.35);
  const edge = rng.int(0, 2); // 0 top, 1 left, 2 right
  const shore = wavyLine(rng, edge === 0 ? w : h, (edge === 0 ? h : w) * depth, Math.min(w, h) * 0.02);
  const turn = edge === 0 ? '' : edge === 1 ? ` transform="matrix(0 1 1 0 0 0)"` : ` transform="matrix(0 1 -1 0 ${w} 0)"`;
  const [len, across] = edge === 0 ? [w, h] : [h, w];
  let out =
    `<defs>${verticalGradient('bs', [[0, shade(sand, 0.95)], [1, sand]])}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#bs)"/>` +
    `<g${turn}><path d="${shore}L${n(len)} 0L0 0Z" fill="${rgb(sea)}"/>` +
    `<path d="${shore}" fill="none" stroke="rgb(248,248,240)" stroke-width="${n(across * 0.015)}" opacity="0.9"/></g>`;
  if (detail) {
    let marks = '';
    for (let i = 0; i < 160; i++) marks += `M${n(rng.range(0, w))} ${n(rng.range(0, h))}h1.2v1.2h-1.2Z`;
    out += `<path d="${marks}" fill="${rgb(shade(sand, 0.75))}" opacity="0.5"/>`;
  }
  return out;
}

function grass(rng: Rng, w: number, h: number, detail: boolean): string {
  const lawn = jitter(rng, [85, 150, 55], 12);
  if (rng.next() < 0.5) return lawnFromAbove(rng, w, h, detail, lawn);
  const skyLine = h * rng.range(0.12, 0.3);
  const trees = skyLine + h * rng.range(0.04, 0.08);
  let out =
    `<defs>${verticalGradient('gs', [[0, jitter(rng, [120, 175, 225], 10)], [1, [205, 225, 240]]])}` +
    `${verticalGradient('gl', [[0, shade(lawn, 0.85)], [1, shade(lawn, 1.1)]])}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#gs)"/>` +
    `<path d="${wavyLine(rng, w, skyLine, h * 0.03)}L${w} ${h}L0 ${h}Z" fill="${rgb(jitter(rng, [35, 70, 35], 8))}"/>` +
    `<rect y="${n(trees)}" width="${w}" height="${n(h - trees)}" fill="url(#gl)"/>`;
  if (detail) out += `<path d="${blades(rng, w, trees, h * 1.02, 700, Math.min(w, h) * 0.035)}" fill="${rgb(shade(lawn, 0.75))}"/>`;
  return out;
}

/** A lawn filling the frame, seen from above: a shallow gradient and a few broad bands a shade
 *  lighter or darker (mowing, sun and shade), with no sky and no texture but the optional blades. */
function lawnFromAbove(rng: Rng, w: number, h: number, detail: boolean, lawn: RGB): string {
  const angle = rng.range(-60, 60);
  let bands = '';
  for (let i = rng.int(2, 4); i > 0; i--) {
    const y = rng.range(-0.2, 1.0) * h;
    const f = rng.next() < 0.5 ? rng.range(0.85, 0.93) : rng.range(1.07, 1.15);
    bands += `<rect x="${n(-w)}" y="${n(y)}" width="${n(3 * w)}" height="${n(h * rng.range(0.08, 0.25))}" fill="${rgb(shade(lawn, f))}"/>`;
  }
  let out =
    `<defs>${verticalGradient('la', [[0, shade(lawn, rng.range(0.9, 1.1))], [1, shade(lawn, rng.range(0.9, 1.1))]])}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#la)"/><g transform="rotate(${n(angle)} ${n(w / 2)} ${n(h / 2)})">${bands}</g>`;
  if (detail) out += `<path d="${blades(rng, w, 0, h * 1.02, 900, Math.min(w, h) * 0.03)}" fill="${rgb(shade(lawn, 0.78))}"/>`;
  return out;
}

function snow(rng: Rng, w: number, h: number, detail: boolean): string {
  const cloud = jitter(rng, [178, 180, 186], 10);
  const skyLine = h * rng.range(0.2, 0.4);
  let out =
    `<defs>${verticalGradient('ov', [[0, shade(cloud, 0.92)], [1, cloud]])}` +
    `${verticalGradient('sf', [[0, [226, 230, 238]], [1, [246, 248, 252]]])}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#ov)"/>` +
    `<path d="${wavyLine(rng, w, skyLine, h * 0.015)}L${w} ${h}L0 ${h}Z" fill="url(#sf)"/>`;
  // Distant conifers: small dark triangles along the snow line.
  let trees = '';
  for (let x = rng.range(0, w * 0.1); x < w; x += w * rng.range(0.04, 0.15)) {
    const th = h * rng.range(0.04, 0.09);
    trees += `M${n(x)} ${n(skyLine - th)}l${n(th * 0.35)} ${n(th)}h${n(-th * 0.7)}Z`;
  }
  out += `<path d="${trees}" fill="${rgb(jitter(rng, [45, 60, 55], 8))}"/>`;
  if (detail) out += `<path d="${wavyLine(rng, w, rng.range(skyLine + h * 0.2, h * 0.9), h * 0.02)}" fill="none" stroke="rgb(200,212,232)" stroke-width="${n(h * 0.006)}"/>`;
  return out;
}

function night(rng: Rng, w: number, h: number, detail: boolean): string {
  const sky = jitter(rng, [14, 20, 48], 6);
  const hills = h * rng.range(0.65, 0.85);
  let out =
    `<defs>${verticalGradient('nh', [[0, shade(sky, 0.6)], [1, shade(sky, 1.5)]])}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#nh)"/>` +
    `<path d="${wavyLine(rng, w, hills, h * 0.06)}L${w} ${h}L0 ${h}Z" fill="rgb(6,7,12)"/>`;
  if (detail) {
    let stars = '';
    for (let i = rng.int(40, 120); i > 0; i--) stars += `M${n(rng.range(0, w))} ${n(rng.range(0, hills * 0.9))}h1v1h-1Z`;
    out += `<path d="${stars}" fill="rgb(230,232,250)"/>`;
  }
  return out;
}

function wall(rng: Rng, w: number, h: number, detail: boolean): string {
  const paint = jitter(rng, rng.pick<RGB>([[218, 222, 214], [230, 214, 190], [200, 210, 220], [236, 230, 220]]), 8);
  const lower = shade(paint, rng.range(0.75, 0.88));
  const rail = h * rng.range(0.5, 0.7);
  const floor = h * rng.range(0.86, 0.94);
  let out =
    `<rect width="${w}" height="${h}" fill="${rgb(paint)}"/>` +
    `<rect y="${n(rail)}" width="${w}" height="${n(floor - rail)}" fill="${rgb(lower)}"/>` +
    `<rect y="${n(rail - h * 0.012)}" width="${w}" height="${n(h * 0.018)}" fill="rgb(245,244,240)"/>` +
    `<rect y="${n(floor)}" width="${w}" height="${n(h - floor)}" fill="${rgb(jitter(rng, [120, 88, 58], 10))}"/>`;
  if (detail) {
    // Vertical boards below the rail.
    let d = '';
    for (let x = rng.range(0, w * 0.08); x < w; x += w * rng.range(0.05, 0.09)) d += `M${n(x)} ${n(rail)}V${n(floor)}`;
    out += `<path d="${d}" fill="none" stroke="${rgb(shade(lower, 0.8))}" stroke-width="${n(Math.max(0.7, w * 0.003))}"/>`;
  }
  return out;
}

const OTHER_VIEW: Record<Background, (rng: Rng, w: number, h: number, detail: boolean) => string> = { beach, grass, snow, night, wall };

export function otherViewSvg(background: Background, rng: Rng, width: number, height: number, detail: boolean): string {
  return OTHER_VIEW[background](rng, width, height, detail);
}
