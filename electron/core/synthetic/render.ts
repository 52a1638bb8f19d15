// Renders a SceneSpec to pixels: an SVG string (background + objects) rasterised by sharp
// (librsvg) with the spec's blur, then lighting and noise in JS (photo-effects.ts), then encoded.
// Deterministic: the same spec gives byte-identical output with the same sharp/libvips build.
//
// renderScene(spec, { format: 'raw' }) resolves to RawImage, any other format to an encoded
// Buffer (typed by overloads); renderSceneRaw / renderSceneEncoded are the same, split by type.

import sharp from 'sharp';
import { backgroundSvg, rgb, shade, type RGB } from './backgrounds.js';
import { otherViewSvg } from './backgrounds-other.js';
import { applyPhotoEffects } from './photo-effects.js';
import { Rng } from './rng.js';
import type { SceneSpec } from './scene.js';
import { SHAPE_PATHS, shapePath } from './shapes.js';
import { COLOUR_RGB } from './vocabulary.js';

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

export interface RenderOptions {
  /**
   * Output size; default the spec's layout size. Given one side, the other keeps the spec's
   * aspect ratio. Given both with another aspect ratio, positions stay fractions of the frame
   * and sizes fractions of its short side, and objects are nudged back inside the frame.
   */
  width?: number;
  height?: number;
}

export type EncodedFormat = 'jpeg' | 'png' | 'webp';

export interface EncodeOptions extends RenderOptions {
  format?: EncodedFormat;
  /** EXIF tags by directory (IFD0 = image, IFD2 = Exif sub-IFD, as libvips names them). */
  exif?: Partial<Record<'IFD0' | 'IFD1' | 'IFD2' | 'IFD3', Record<string, string>>>;
}

function outputSize(spec: SceneSpec, opts: RenderOptions): [number, number] {
  const { width: w0, height: h0 } = spec.layout;
  let w = opts.width;
  let h = opts.height;
  if (w === undefined && h === undefined) [w, h] = [w0, h0];
  else if (w === undefined) w = Math.max(1, Math.round(((h as number) * w0) / h0));
  else if (h === undefined) h = Math.max(1, Math.round((w * h0) / w0));
  const [W, H] = [w as number, h as number];
  if (!Number.isInteger(W) || !Number.isInteger(H) || W < 8 || H < 8 || W > 8192 || H > 8192) {
    throw new Error(`renderScene: width and height must be whole numbers of pixels in 8..8192, got ${W}x${H}`);
  }
  return [W, H];
}

/** Fill, outline and shadow of one object (the standard look without a style). */
function objectSvg(spec: SceneSpec, obj: SceneSpec['layout']['objects'][number], width: number, height: number, id: number): string {
  const group = spec.groups[obj.group];
  if (group === undefined) throw new Error(`renderScene: object refers to missing group ${obj.group}`);
  const style = spec.layout.style;
  const short = Math.min(width, height);
  const r = obj.radius * short;
  const x = Math.min(Math.max(obj.x * width, r), width - r);
  const y = Math.min(Math.max(obj.y * height, r), height - r);
  const [cr, cg, cb] = COLOUR_RGB[group.colour];
  const [jr, jg, jb] = obj.colourJitter;
  const fill: RGB = [cr + jr, cg + jg, cb + jb];
  const { d, sx, sy } = style ? shapePath(group.shape, style.proportions[obj.group] ?? 0.5) : { d: SHAPE_PATHS[group.shape], sx: 1, sy: 1 };
  const place = (dx: number, dy: number) =>
    `translate(${(x + dx).toFixed(2)} ${(y + dy).toFixed(2)}) rotate(${obj.rotation.toFixed(2)}) ${sx === 1 && sy === 1 ? `scale(${r.toFixed(3)})` : `scale(${(r * sx).toFixed(3)} ${(r * sy).toFixed(3)})`}`;
  // Stroke width in the shape's unit coordinates; at least ~0.8 px so it survives small sizes.
  const stroke = Math.max(0.8, r * (style?.outlineWidth ?? 0.035)) / r;
  // By default a soft shadow and a mid-grey outline on every object, whatever its colour, so
  // white objects stay visible on snow and black ones at night; a style may drop or change them.
  const outline = style?.outline ?? 'grey';
  const strokeColour = outline === 'grey' ? 'rgb(128,128,128)' : outline === 'dark' ? rgb(shade(fill, 0.45)) : 'rgb(250,250,250)';
  const strokeAttrs = outline === 'none' ? '' : ` stroke="${strokeColour}" stroke-width="${stroke.toFixed(4)}" stroke-linejoin="round"`;
  let paint = rgb(fill);
  let defs = '';
  if (style && style.shading > 0) {
    // Linear shading in the object's own box, from lighter to darker around the colour word's fill.
    const a = (style.shadingAngle * Math.PI) / 180;
    const [x1, y1, x2, y2] = [0.5 - Math.cos(a) / 2, 0.5 - Math.sin(a) / 2, 0.5 + Math.cos(a) / 2, 0.5 + Math.sin(a) / 2].map((v) => v.toFixed(3));
    const k = style.shading;
    const light = rgb([fill[0] + (255 - fill[0]) * k, fill[1] + (255 - fill[1]) * k, fill[2] + (255 - fill[2]) * k]);
    defs = `<defs><linearGradient id="o${id}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"><stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${rgb(shade(fill, 1 - k))}"/></linearGradient></defs>`;
    paint = `url(#o${id})`;
  }
  const shadow = (style?.shadow ?? true) ? `<path d="${d}" transform="${place(r * 0.06, r * 0.08)}" fill="black" opacity="0.28"/>` : '';
  return `${defs}${shadow}<path d="${d}" transform="${place(0, 0)}" fill="${paint}"${strokeAttrs}/>`;
}

/** The scene as an SVG document of exactly width × height pixels. */
function sceneSvg(spec: SceneSpec, width: number, height: number): string {
  const style = spec.layout.style;
  const draw = style?.otherView ? otherViewSvg : backgroundSvg;
  const parts: string[] = [draw(spec.background, new Rng(spec.layout.detailSeed), width, height, style?.backgroundDetail ?? true)];
  spec.layout.objects.forEach((obj, i) => parts.push(objectSvg(spec, obj, width, height, i)));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

export async function renderSceneRaw(spec: SceneSpec, opts: RenderOptions = {}): Promise<RawImage> {
  const [width, height] = outputSize(spec, opts);
  let pipeline = sharp(Buffer.from(sceneSvg(spec, width, height)));
  const sigma = spec.layout.blur * Math.max(width, height);
  if (sigma >= 0.3) pipeline = pipeline.blur(sigma); // sharp's minimum sigma
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) {
    throw new Error(`renderScene: rasterised ${info.width}x${info.height}, expected ${width}x${height}`);
  }
  return { data: applyPhotoEffects(data, width, height, info.channels, spec.layout), width, height, channels: 3 };
}

export async function renderSceneEncoded(spec: SceneSpec, opts: EncodeOptions = {}): Promise<Buffer> {
  const raw = await renderSceneRaw(spec, opts);
  let img = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } });
  if (opts.exif !== undefined) img = img.withExif(opts.exif);
  const quality = spec.layout.jpegQuality;
  switch (opts.format ?? 'jpeg') {
    case 'jpeg':
      return img.jpeg({ quality }).toBuffer();
    case 'png':
      return img.png({ compressionLevel: 6 }).toBuffer();
    case 'webp':
      return img.webp({ quality }).toBuffer();
  }
}

export function renderScene(spec: SceneSpec, opts: RenderOptions & { format: 'raw' }): Promise<RawImage>;
export function renderScene(spec: SceneSpec, opts?: EncodeOptions): Promise<Buffer>;
export function renderScene(
  spec: SceneSpec,
  opts: Omit<EncodeOptions, 'format'> & { format?: EncodedFormat | 'raw' } = {},
): Promise<Buffer | RawImage> {
  const { format, ...rest } = opts;
  return format === 'raw' ? renderSceneRaw(spec, rest) : renderSceneEncoded(spec, { ...rest, format: format ?? 'jpeg' });
}
