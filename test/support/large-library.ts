// A large library written straight into a Shoebox data folder, for the tests and benchmarks that
// need 100 000 photos (indexing that many images would take an hour here): indexed photo rows
// with capture dates, a few real WebP thumbnails shared round-robin, and optionally one random
// unit embedding per photo for a model, so that search runs over the full matrix.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { Shoebox } from '../../electron/core/shoebox.js';
import { addRoot } from '../../electron/core/library/roots.js';
import { thumbnailPath } from '../../electron/core/imaging/thumbnails.js';
import { encodeVector } from '../../electron/core/store/vector.js';
import { Rng } from '../../electron/core/synthetic/rng.js';

export interface LargeLibraryOptions {
  photos: number;
  /** Distinct thumbnail files (different colours); default 1. */
  thumbnails?: number;
  /** Writes a random unit vector per photo for this model (its id and embedding size). */
  embeddings?: { modelId: string; dim: number; seed?: number };
  /** Capture dates for the timeline (largeLibraryTimelineTakenAt) instead of one a minute. */
  timeline?: boolean;
}

export interface LargeLibrary {
  dataDir: string;
  /** The library folder (a root; it holds no photo files). */
  folder: string;
}

/** Capture time of photo i: one minute apart from 1 January 2020 (local time). */
export function largeLibraryTakenAt(i: number): number {
  return new Date(2020, 0, 1).getTime() + i * 60_000;
}

/** Years the timeline library spans: 2015 to 2024. */
export const TIMELINE_YEARS = { first: 2015, last: 2024 } as const;
/** In the timeline library, every this-many-th photo has no capture date. */
export const TIMELINE_UNDATED_EVERY = 100;

/**
 * Capture time of photo i of `count` in the timeline library: spread evenly from 1 January 2015
 * to 31 December 2024 (local time), so every month has photos; every 100th photo undated.
 */
export function largeLibraryTimelineTakenAt(i: number, count: number): number | null {
  if (i % TIMELINE_UNDATED_EVERY === TIMELINE_UNDATED_EVERY - 1) return null;
  const from = new Date(TIMELINE_YEARS.first, 0, 1).getTime();
  const to = new Date(TIMELINE_YEARS.last + 1, 0, 1).getTime() - 1;
  return from + Math.floor(((to - from) * i) / Math.max(1, count - 1));
}

function unitVector(rng: Rng, out: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = rng.normal();
    n += out[i]! * out[i]!;
  }
  const s = 1 / Math.sqrt(n);
  for (let i = 0; i < out.length; i++) out[i]! *= s;
  return out;
}

/** Writes the library under `work` (data/ and Archive/) and returns where. */
export async function writeLargeLibrary(work: string, options: LargeLibraryOptions): Promise<LargeLibrary> {
  const dataDir = path.join(work, 'data');
  const folder = path.join(work, 'Archive');
  await mkdir(folder, { recursive: true });
  const core = await Shoebox.open({ dataDir });
  try {
    const root = await addRoot(core.store, folder);
    const thumbs: { hash: string; file: string }[] = [];
    for (let t = 0; t < (options.thumbnails ?? 1); t++) {
      const hash = (0xab - t).toString(16).padStart(2, '0').repeat(32);
      const file = thumbnailPath(core.paths.thumbnails, hash);
      await mkdir(path.dirname(file), { recursive: true });
      const background = { r: (120 + 37 * t) % 256, g: (150 + 71 * t) % 256, b: (180 + 113 * t) % 256 };
      await sharp({ create: { width: 320, height: 240, channels: 3, background } }).webp().toFile(file);
      thumbs.push({ hash, file });
    }
    const insert = core.store.db.prepare(
      `INSERT INTO photos (root_id, path, rel_path, size, mtime_ms, content_hash, status, width, height, format, taken_at, thumb_path, indexed_at)
       VALUES (?, ?, ?, 1000, 0, ?, 'indexed', 320, 240, 'jpeg', ?, ?, 0)`,
    );
    const emb = options.embeddings;
    const insertEmbedding = core.store.db.prepare('INSERT INTO embeddings (photo_id, model_id, dim, vector) VALUES (?, ?, ?, ?)');
    const rng = new Rng(emb?.seed ?? 1);
    const vector = new Float32Array(emb?.dim ?? 0);
    core.store.db.transaction(() => {
      for (let i = 0; i < options.photos; i++) {
        const rel = `${2020 + (i % 5)}/IMG_${String(i).padStart(6, '0')}.jpg`;
        const thumb = thumbs[i % thumbs.length]!;
        const id = insert.run(root.id, path.join(folder, rel), rel, thumb.hash, options.timeline ? largeLibraryTimelineTakenAt(i, options.photos) : largeLibraryTakenAt(i), thumb.file).lastInsertRowid;
        if (emb) insertEmbedding.run(id, emb.modelId, emb.dim, encodeVector(unitVector(rng, vector)));
      }
    })();
  } finally {
    await core.close();
  }
  return { dataDir, folder };
}
