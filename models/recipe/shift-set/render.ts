// Draws a shift-set scene as one SVG document (background + flat or graded polygons, outlines on
// some) and rasterises it with sharp (librsvg), then encodes it with the scene's own JPEG settings
// (quality 35–95, 4:2:0 or 4:4:4 chroma, baseline or progressive). No shadows, lighting, noise
// or blur: those belong to the training generator's photographic look, which this set avoids.

import sharp, { type Sharp } from 'sharp';
import { COLOUR_RGB } from '../../../electron/core/synthetic/vocabulary.js';
import { backgroundDrawing, css, type RGB } from './backgrounds.js';
import { Rng } from '../../../electron/core/synthetic/rng.js';
import type { ShiftScene } from './scene.js';

/** The object's fill colour: the colour word's RGB plus the scene's small jitter. */
export function fillColour(scene: ShiftScene): RGB {
  const [r, g, b] = COLOUR_RGB[scene.colour];
  const [jr, jg, jb] = scene.colourJitter;
  return [r + jr, g + jg, b + jb];
}

/** Below this RGB distance from the background's main colour an object always gets an outline. */
const MIN_CONTRAST = 80;

/** A graded fill runs from a lighter to a darker version of the colour (same hue, mild, so yellow stays yellow). */
export function gradientStops(fill: RGB): [RGB, RGB] {
  const [r, g, b] = fill;
  return [[r * 0.8 + 51, g * 0.8 + 51, b * 0.8 + 51], [r * 0.8, g * 0.8, b * 0.8]];
}

export interface ObjectPaint {
  fill: RGB;
  outline: { colour: RGB; width: number } | null;
  /** The background's main colour, which the outline rule compares the fill with. */
  background: RGB;
}

function paintOn(scene: ShiftScene, background: RGB): ObjectPaint {
  const fill = fillColour(scene);
  const luma = ([r, g, b]: RGB) => 0.299 * r + 0.587 * g + 0.114 * b;
  if (scene.outline !== null) {
    const tone = scene.outline.tone;
    const colour: RGB = tone === 'black' ? [15, 15, 15] : tone === 'white' ? [250, 250, 250] : [fill[0] * 0.55, fill[1] * 0.55, fill[2] * 0.55];
    return { fill, outline: { colour, width: scene.outline.width }, background };
  }
  const distance = Math.hypot(fill[0] - background[0], fill[1] - background[1], fill[2] - background[2]);
  const outline = distance >= MIN_CONTRAST ? null : { colour: (luma(background) > 128 ? [40, 40, 40] : [235, 235, 235]) as RGB, width: 0.06 };
  return { fill, outline, background };
}

/** How the scene's objects are painted: fill, outline (the scene's, or one forced by low contrast). */
export function objectPaint(scene: ShiftScene): ObjectPaint {
  return paintOn(scene, backgroundDrawing(scene.background, new Rng(scene.backgroundSeed), scene.width, scene.height).base);
}

export interface SvgOptions {
  /** Default true; false draws the background alone (the unit test diffs the two). */
  objects?: boolean;
}

export function shiftSceneSvg(scene: ShiftScene, opts: SvgOptions = {}): string {
  const { width: w, height: h } = scene;
  const bg = backgroundDrawing(scene.background, new Rng(scene.backgroundSeed), w, h);
  const parts = [bg.svg];
  if (opts.objects !== false) {
    const { fill, outline } = paintOn(scene, bg.base);
    const d = `M${scene.polygon.map(([x, y]) => `${x.toFixed(4)} ${y.toFixed(4)}`).join('L')}Z`;
    let paint = css(fill);
    if (scene.fill.kind === 'gradient') {
      const a = (scene.fill.angle * Math.PI) / 180;
      const [dx, dy] = [Math.cos(a) / 2, Math.sin(a) / 2];
      const [light, dark] = gradientStops(fill);
      parts.push(
        `<defs><linearGradient id="obj" x1="${(0.5 - dx).toFixed(3)}" y1="${(0.5 - dy).toFixed(3)}" x2="${(0.5 + dx).toFixed(3)}" y2="${(0.5 + dy).toFixed(3)}">` +
          `<stop offset="0" stop-color="${css(light)}"/><stop offset="1" stop-color="${css(dark)}"/></linearGradient></defs>`,
      );
      paint = 'url(#obj)';
    }
    const stroke = outline === null ? '' : ` stroke="${css(outline.colour)}" stroke-width="${outline.width.toFixed(4)}" stroke-linejoin="round"`;
    const short = Math.min(w, h);
    for (const o of scene.objects) {
      const transform = `translate(${(o.x * w).toFixed(2)} ${(o.y * h).toFixed(2)}) rotate(${o.rotation.toFixed(2)}) scale(${(o.radius * short).toFixed(3)})`;
      parts.push(`<path d="${d}" transform="${transform}" fill="${paint}"${stroke}/>`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${parts.join('')}</svg>`;
}

function rasterise(scene: ShiftScene, opts: SvgOptions): Sharp {
  return sharp(Buffer.from(shiftSceneSvg(scene, opts))).removeAlpha();
}

/** RGB pixels, row-major, 3 channels. */
export async function renderShiftRaw(scene: ShiftScene, opts: SvgOptions = {}): Promise<Buffer> {
  const { data, info } = await rasterise(scene, opts).raw().toBuffer({ resolveWithObject: true });
  if (info.width !== scene.width || info.height !== scene.height || info.channels !== 3) {
    throw new Error(`shift set: rasterised ${info.width}x${info.height}x${info.channels}, expected ${scene.width}x${scene.height}x3`);
  }
  return data;
}

export function renderShiftJpeg(scene: ShiftScene): Promise<Buffer> {
  const { quality, chromaSubsampling, progressive } = scene.jpeg;
  return rasterise(scene, {}).jpeg({ quality, chromaSubsampling, progressive }).toBuffer();
}
