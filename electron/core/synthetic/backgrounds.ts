// SVG for the five backgrounds. Each must be recognisable at a glance, even at ~100 px: beach =
// sky, sea and a horizon over sand; grass = textured green blades; snow = white with soft
// blue shading; night = dark sky with small star dots and a crescent moon; wall = beige or grey
// with brick or tile lines. Details come from a seeded Rng in fractions of the frame, so one
// scene looks the same at every output size. Many small marks share one <path> per colour:
// librsvg draws one long path much faster than many elements.

import type { Rng } from './rng.js';
import type { Background } from './vocabulary.js';

export type RGB = readonly [number, number, number];

export function rgb([r, g, b]: RGB): string {
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return `rgb(${c(r)},${c(g)},${c(b)})`;
}

export function jitter(rng: Rng, [r, g, b]: RGB, amount: number): RGB {
  const d = rng.range(-amount, amount); // shared: brighter or darker, same hue
  return [r + d + rng.range(-3, 3), g + d + rng.range(-3, 3), b + d + rng.range(-3, 3)];
}

export function shade([r, g, b]: RGB, f: number): RGB {
  return [r * f, g * f, b * f];
}

export const n = (v: number) => v.toFixed(1);

export function verticalGradient(id: string, stops: Array<[number, RGB]>): string {
  const s = stops.map(([o, c]) => `<stop offset="${o}" stop-color="${rgb(c)}"/>`).join('');
  return `<linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1">${s}</linearGradient>`;
}

/** A radial gradient from a colour at `opacity` in the centre to transparent at the edge. */
function fade(id: string, colour: RGB, opacity: number): string {
  return (
    `<radialGradient id="${id}"><stop offset="0" stop-color="${rgb(colour)}" stop-opacity="${opacity}"/>` +
    `<stop offset="1" stop-color="${rgb(colour)}" stop-opacity="0"/></radialGradient>`
  );
}

/** A wavy line across the frame at height y (pixels), as path commands from left to right. */
export function wavyLine(rng: Rng, w: number, y: number, amp: number): string {
  const segments = 6;
  const phase = rng.range(0, Math.PI * 2);
  const freq = rng.range(1.5, 3);
  let d = `M0 ${n(y)}`;
  for (let i = 1; i <= segments; i++) {
    const x = (w * i) / segments;
    const yy = y + amp * Math.sin(phase + (freq * Math.PI * 2 * i) / segments);
    const cx = x - w / segments / 2;
    const cy = y + amp * Math.sin(phase + (freq * Math.PI * 2 * (i - 0.5)) / segments) * 1.3;
    d += `Q${n(cx)} ${n(cy)} ${n(x)} ${n(yy)}`;
  }
  return d;
}

function beach(rng: Rng, w: number, h: number, detail: boolean): string {
  const horizon = h * rng.range(0.26, 0.4);
  const shore = horizon + h * rng.range(0.1, 0.18);
  const s = Math.min(w, h);
  const skyTop = jitter(rng, [95, 160, 225], 12);
  const sea = jitter(rng, [30, 100, 155], 10);
  const sand = jitter(rng, [228, 204, 158], 8);
  const wave = wavyLine(rng, w, shore, h * 0.012);
  const wet = wavyLine(rng, w, shore + h * rng.range(0.025, 0.04), h * 0.01);
  let specks = '';
  for (let i = 0; i < 220; i++) {
    const x = rng.range(0, w);
    const y = rng.range(shore, h);
    const r = s * rng.range(0.0015, 0.004);
    specks += `M${n(x - r)} ${n(y)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0`;
  }
  return (
    `<defs>${verticalGradient('sky', [[0, skyTop], [1, [195, 222, 242]]])}` +
    `${verticalGradient('sea', [[0, shade(sea, 0.85)], [1, [60, 150, 175]]])}` +
    `${verticalGradient('sand', [[0, shade(sand, 0.92)], [1, sand]])}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#sky)"/>` +
    `<rect y="${n(horizon)}" width="${w}" height="${n(h - horizon)}" fill="url(#sea)"/>` +
    `<path d="${wave}L${w} ${h}L0 ${h}Z" fill="url(#sand)"/>` +
    `<path d="${wet}L${w} ${h}L0 ${h}Z" fill="${rgb(sand)}" opacity="0.55"/>` +
    `<path d="${wave}" fill="none" stroke="rgb(250,250,245)" stroke-width="${n(h * 0.012)}" opacity="0.85"/>` +
    (detail ? `<path d="${specks}" fill="${rgb(shade(sand, 0.72))}" opacity="0.6"/>` : '')
  );
}

function grass(rng: Rng, w: number, h: number, detail: boolean): string {
  const s = Math.min(w, h);
  const base = jitter(rng, [70, 135, 45], 10);
  // Soft lighter and darker patches (radial gradients fading to nothing).
  let patches = '';
  for (let i = 0; i < 4; i++) {
    patches +=
      `<ellipse cx="${n(rng.range(0, w))}" cy="${n(rng.range(0, h))}" rx="${n(s * rng.range(0.2, 0.5))}" ry="${n(s * rng.range(0.1, 0.25))}"` +
      ` fill="url(#${rng.next() < 0.5 ? 'gl' : 'gd'})"/>`;
  }
  const shades: RGB[] = [[45, 105, 30], [80, 150, 50], [105, 170, 60], [60, 125, 40]];
  // Blades are thin filled triangles: librsvg fills much faster than it strokes curves.
  const paths = shades.map(() => '');
  const half = Math.max(0.4, s * 0.003);
  for (let i = 0; i < 1200; i++) {
    const x = rng.range(-0.02, 1.02) * w;
    const y = rng.range(0, 1.04) * h;
    const len = s * rng.range(0.025, 0.05) * (0.6 + (0.7 * y) / h); // nearer (lower) blades are longer
    const k = rng.int(0, shades.length - 1);
    const lean = len * rng.range(-0.4, 0.4);
    paths[k] += `M${n(x - half)} ${n(y)}l${n(half + lean)} ${n(-len)}l${n(half - lean)} ${n(len)}Z`;
  }
  const strokes = paths.map((d, k) => `<path d="${d}" fill="${rgb(shades[k] as RGB)}"/>`).join('');
  return (
    `<defs>${verticalGradient('g', [[0, shade(base, 1.15)], [1, shade(base, 0.8)]])}` +
    `${fade('gl', [140, 190, 70], 0.35)}${fade('gd', [30, 80, 25], 0.35)}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#g)"/>${patches}${detail ? strokes : ''}`
  );
}

function snow(rng: Rng, w: number, h: number, detail: boolean): string {
  const s = Math.min(w, h);
  const withSky = rng.next() < 0.5;
  const skyLine = withSky ? h * rng.range(0.18, 0.32) : 0;
  let out =
    `<defs>${verticalGradient('sn', [[0, [236, 241, 248]], [1, [222, 231, 244]]])}` +
    fade('dr', [170, 190, 222], 0.5) +
    `${verticalGradient('sk', [[0, jitter(rng, [178, 194, 215], 8)], [1, [222, 229, 238]]])}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#sn)"/>`;
  if (withSky) {
    out += `<rect width="${w}" height="${n(skyLine + h * 0.03)}" fill="url(#sk)"/>`;
    out += `<path d="${wavyLine(rng, w, skyLine, h * 0.025)}L${w} ${h}L0 ${h}Z" fill="url(#sn)"/>`;
  }
  // Soft blue shading of drifts.
  for (let i = 0; i < 7; i++) {
    out +=
      `<ellipse cx="${n(rng.range(0, w))}" cy="${n(rng.range(skyLine, h))}" rx="${n(s * rng.range(0.25, 0.6))}"` +
      ` ry="${n(s * rng.range(0.06, 0.14))}" fill="url(#dr)"/>`;
  }
  // Crisp drift edges: a few long curved strokes of pale blue.
  for (let i = 0; i < 3; i++) {
    out += `<path d="${wavyLine(rng, w, rng.range(skyLine + h * 0.1, h), h * 0.03)}" fill="none" stroke="rgb(195,210,232)" stroke-width="${n(s * 0.006)}" opacity="0.7"/>`;
  }
  let flakes = '';
  for (let i = 0; i < 90; i++) {
    const x = rng.range(0, w);
    const y = rng.range(0, h);
    const r = s * rng.range(0.0015, 0.003);
    flakes += `M${n(x - r)} ${n(y)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0`;
  }
  return detail ? `${out}<path d="${flakes}" fill="rgb(185,200,225)" opacity="0.6"/>` : out;
}

function night(rng: Rng, w: number, h: number, detail: boolean): string {
  const s = Math.min(w, h);
  const top = jitter(rng, [6, 9, 26], 4);
  const bottom = jitter(rng, [22, 32, 70], 8);
  let stars = '';
  const count = rng.int(120, 220);
  for (let i = 0; i < count; i++) {
    const x = rng.range(0, w);
    const y = rng.range(0, h);
    const r = Math.max(0.5, s * rng.range(0.0012, 0.0035));
    stars += `M${n(x - r)} ${n(y)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0`;
  }
  let out =
    `<defs>${verticalGradient('ns', [[0, top], [1, bottom]])}</defs>` +
    `<rect width="${w}" height="${h}" fill="url(#ns)"/>` +
    (detail ? `<path d="${stars}" fill="rgb(235,238,255)" opacity="0.85"/>` : '');
  if (rng.next() < 0.6 && detail) {
    // A crescent, much smaller than any object, so it is not mistaken for a circle.
    const r = s * rng.range(0.02, 0.03);
    const cx = rng.range(0.05, 0.95) * w;
    const cy = rng.range(0.05, 0.3) * h;
    out +=
      `<path d="M0 ${n(-r)}A${n(r)} ${n(r)} 0 1 1 0 ${n(r)}A${n(r * 1.3)} ${n(r * 1.3)} 0 0 0 0 ${n(-r)}Z"` +
      ` transform="translate(${n(cx)} ${n(cy)}) rotate(${n(rng.range(-40, 40))})" fill="rgb(240,236,205)"/>`;
  }
  return out;
}

function wall(rng: Rng, w: number, h: number, detail: boolean): string {
  const s = Math.min(w, h);
  const base = jitter(rng, rng.pick<RGB>([[224, 208, 180], [200, 200, 196], [236, 228, 210], [212, 200, 188]]), 8);
  const floorTop = rng.next() < 0.5 ? h * rng.range(0.8, 0.9) : h;
  let lines = '';
  let tints = '';
  let lineWidth: number;
  let lineColour: RGB;
  if (rng.next() < 0.5) {
    // Bricks: staggered rows, a few bricks a shade lighter or darker.
    const rowH = s * rng.range(0.05, 0.075);
    const brickW = rowH * rng.range(2.2, 3);
    lineWidth = Math.max(0.7, rowH * 0.09);
    lineColour = shade(base, 0.78);
    for (let row = 0, y = 0; y < floorTop; row++, y += rowH) {
      lines += `M0 ${n(y)}H${w}`;
      for (let x = row % 2 === 0 ? 0 : -brickW / 2; x < w; x += brickW) {
        lines += `M${n(x)} ${n(y)}v${n(rowH)}`;
        if (rng.next() < 0.3) {
          const f = rng.range(0.9, 1.08);
          tints += `<rect x="${n(x)}" y="${n(y)}" width="${n(brickW)}" height="${n(rowH)}" fill="${rgb(shade(base, f))}"/>`;
        }
      }
    }
  } else {
    // Square tiles with grout lines.
    const tile = s * rng.range(0.08, 0.14);
    lineWidth = Math.max(0.7, tile * 0.05);
    lineColour = shade(base, rng.next() < 0.5 ? 0.8 : 1.1);
    for (let x = rng.range(0, tile); x < w; x += tile) lines += `M${n(x)} 0V${n(floorTop)}`;
    for (let y = rng.range(0, tile); y < floorTop; y += tile) lines += `M0 ${n(y)}H${w}`;
  }
  let floor = '';
  if (floorTop < h) {
    const wood = jitter(rng, [140, 104, 70], 12);
    floor =
      `<rect y="${n(floorTop)}" width="${w}" height="${n(h - floorTop)}" fill="${rgb(wood)}"/>` +
      `<rect y="${n(floorTop - s * 0.02)}" width="${w}" height="${n(s * 0.025)}" fill="rgb(238,236,230)"/>`;
  }
  return (
    `<defs><radialGradient id="lamp" cx="${rng.range(0.2, 0.8).toFixed(2)}" cy="0"  r="0.9">` +
    `<stop offset="0" stop-color="white" stop-opacity="0.22"/><stop offset="1" stop-color="white" stop-opacity="0"/></radialGradient></defs>` +
    `<rect width="${w}" height="${h}" fill="${rgb(base)}"/>${tints}` +
    (detail ? `<path d="${lines}" fill="none" stroke="${rgb(lineColour)}" stroke-width="${n(lineWidth)}"/>` : '') +
    `${floor}<rect width="${w}" height="${h}" fill="url(#lamp)"/>`
  );
}

const DRAW: Record<Background, (rng: Rng, w: number, h: number, detail: boolean) => string> = { beach, grass, snow, night, wall };

/** `detail` false leaves out the texture marks (training variety, style.ts); the layout is the same. */
export function backgroundSvg(background: Background, rng: Rng, width: number, height: number, detail = true): string {
  return DRAW[background](rng, width, height, detail);
}
