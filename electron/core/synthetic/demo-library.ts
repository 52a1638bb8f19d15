// Writes a folder that looks like a person's photo library, made of synthetic scenes: nested
// year/album folders (some with spaces), mostly JPEG (.jpg, .JPG, .jpeg) with EXIF dates, some
// PNG and WebP, optionally some broken files, and manifest.json with each file's spec and
// canonical caption, which tests use as ground truth. The same seed gives the same bytes.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decompressionBombPng, NOT_AN_IMAGE_TEXT, truncate, type BadFileKind } from './bad-files.js';
import { canonicalCaption } from './captions.js';
import { renderSceneEncoded, type EncodedFormat } from './render.js';
import { Rng } from './rng.js';
import { sampleScene, type SceneSpec } from './scene.js';
import type { Background } from './vocabulary.js';

export interface DemoLibraryOptions {
  seed: number;
  count: number;
  withBadFiles?: boolean;
  /** Default false, as in sampleScene. */
  allowHeldOut?: boolean;
  /** Long side range in pixels; default 480..1600. */
  minSide?: number;
  maxSide?: number;
}

export interface DemoFile {
  /** Relative to the library folder, with '/' separators. */
  path: string;
  /** null for a broken file. */
  spec: SceneSpec | null;
  caption: string | null;
  format: EncodedFormat | null;
  /** EXIF DateTimeOriginal as written ("YYYY:MM:DD HH:MM:SS"), null when the file has none. */
  takenAt: string | null;
  problem: BadFileKind | null;
}

export interface DemoManifest {
  generator: 'shoebox-synthetic-demo';
  version: 1;
  seed: number;
  files: DemoFile[];
}

const ALBUMS: Record<Background, readonly string[]> = {
  beach: ['beach', 'summer holiday'],
  grass: ['garden', 'park'],
  snow: ['ski trip', 'winter'],
  night: ['night sky', 'camping'],
  wall: ['home', 'indoors'],
};

const YEARS = [2023, 2024, 2025, 2026] as const;
/** Photos rendered at once: sharp works on the libuv pool, so two keep both cores busy. */
const PARALLEL = 2;

interface Planned {
  file: DemoFile;
  spec: SceneSpec;
  format: EncodedFormat;
}

function pad(v: number, width = 2): string {
  return String(v).padStart(width, '0');
}

function plan(rng: Rng, index: number, opts: DemoLibraryOptions): Planned {
  const spec = sampleScene(rng.fork(), {
    allowHeldOut: opts.allowHeldOut ?? false,
    minSide: opts.minSide ?? 480,
    maxSide: opts.maxSide ?? 1600,
  });
  const year = rng.pick(YEARS);
  const album = rng.pick(ALBUMS[spec.background]);
  const where = rng.next();
  const folder = where < 0.1 ? `${year}` : where < 0.2 ? `${year}/${album}/day ${rng.int(1, 3)}` : `${year}/${album}`;
  const f = rng.next();
  const format: EncodedFormat = f < 0.8 ? 'jpeg' : f < 0.9 ? 'png' : 'webp';
  const e = rng.next();
  const ext = format === 'png' ? 'png' : format === 'webp' ? 'webp' : e < 0.8 ? 'jpg' : e < 0.9 ? 'JPG' : 'jpeg';
  const takenAt =
    format === 'png'
      ? null
      : `${year}:${pad(rng.int(1, 12))}:${pad(rng.int(1, 28))} ${pad(rng.int(7, 22))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;
  const file: DemoFile = {
    path: `${folder}/IMG_${pad(1000 + index, 4)}.${ext}`,
    spec,
    caption: canonicalCaption(spec),
    format,
    takenAt,
    problem: null,
  };
  return { file, spec, format };
}

function encode({ spec, format, file }: Planned): Promise<Buffer> {
  if (file.takenAt === null) return renderSceneEncoded(spec, { format });
  const exif = {
    IFD0: { DateTime: file.takenAt, Make: 'Shoebox', Model: 'Synthetic scene' },
    IFD2: { DateTimeOriginal: file.takenAt },
  };
  return renderSceneEncoded(spec, { format, exif });
}

export async function writeDemoLibrary(dir: string, opts: DemoLibraryOptions): Promise<{ files: DemoFile[] }> {
  if (!Number.isInteger(opts.count) || opts.count < 0) {
    throw new Error(`writeDemoLibrary: count must be a whole number >= 0, got ${opts.count}`);
  }
  const rng = new Rng(opts.seed);
  const planned = Array.from({ length: opts.count }, (_, i) => plan(rng, i, opts));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < planned.length) {
      const item = planned[next++] as Planned;
      const target = path.join(dir, item.file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await encode(item));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const files = planned.map((p) => p.file);
  if (opts.withBadFiles) files.push(...(await writeBadFiles(dir, rng)));
  const manifest: DemoManifest = { generator: 'shoebox-synthetic-demo', version: 1, seed: opts.seed, files };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  return { files };
}

async function writeBadFiles(dir: string, rng: Rng): Promise<DemoFile[]> {
  const folder = 'unsorted';
  await mkdir(path.join(dir, folder), { recursive: true });
  const cut = truncate(await renderSceneEncoded(sampleScene(rng.fork(), { minSide: 640, maxSide: 800 }), { format: 'jpeg' }));
  const bad: Array<[string, BadFileKind, Buffer | string]> = [
    ['empty.jpg', 'empty', Buffer.alloc(0)],
    ['IMG_0001 (cut off).jpg', 'truncated', cut],
    ['notes.jpg', 'not-an-image', NOT_AN_IMAGE_TEXT],
    ['huge.png', 'decompression-bomb', decompressionBombPng()],
  ];
  const files: DemoFile[] = [];
  for (const [name, problem, content] of bad) {
    await writeFile(path.join(dir, folder, name), content);
    const format = name.endsWith('.png') ? 'png' : 'jpeg';
    files.push({ path: `${folder}/${name}`, spec: null, caption: null, format, takenAt: null, problem });
  }
  return files;
}
