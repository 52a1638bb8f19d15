// Shoebox's own record of a model folder, `manifest.json`: who made it (id, display name, source,
// revision, licence) and every file with its size and sha256. Published folders carry none; the
// bundled model ships one, and Shoebox writes one when it installs or imports a folder, so an
// installed model can be checked byte for byte later. Written atomically (temp file + rename).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';

export const RECORD_FILE = 'manifest.json';

const RecordFileSchema = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256 (64 characters)'),
  size: z.number().int().nonnegative(),
});

import { MODEL_ID } from '../models/model-dirs.js';

export { MODEL_ID };

export const ModelRecordSchema = z.looseObject({
  id: z.string().regex(MODEL_ID, 'letters, digits, ".", "_" or "-"'),
  displayName: z.string().min(1),
  source: z.string().min(1),
  license: z.string().min(1),
  /** The commit (or tag) the files came from, for downloads. */
  revision: z.string().optional(),
  /** The weight variant to load ('' or absent: the plain export; 'quantized', 'fp16' …). */
  variant: z.string().optional(),
  /**
   * Prompts this model understands, one per class of what it was trained to tell apart: the
   * fine-tuning job's forgetting probe uses them instead of its generic list (a model trained on a
   * narrow world knows no dogs or sunsets, so a generic probe measures noise there).
   */
  probePrompts: z.array(z.string().min(1).max(300)).min(2).max(500).optional(),
  /**
   * How many spreads above meaningless prompts a search hit must score to be a good match with this
   * model (search/relevance.ts); absent: STRONG_Z. The bundled model's recipe measures it on scenes
   * with known contents (models/recipe/calibrate-relevance.ts). Outside 0.5..6 nearly everything or
   * nearly nothing would pass.
   */
  relevanceZ: z.number().min(0.5).max(6).optional(),
  /** Changes Shoebox made to its copy of a published file, with the published file's sha256. */
  adaptations: z.array(z.object({ path: z.string().min(1), change: z.string().min(1), originalSha256: z.string().regex(/^[0-9a-f]{64}$/) })).optional(),
  // May be empty (e.g. a benchmark-only export): verification then reports every required file as unlisted.
  files: z.array(RecordFileSchema),
});

export type ModelRecord = z.infer<typeof ModelRecordSchema>;
export type RecordedFile = z.infer<typeof RecordFileSchema>;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Every regular file below `dir` (relative, '/'-separated, sorted), the record itself left out. */
export async function listFolderFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((rel) => rel !== RECORD_FILE)
    .sort();
}

/** Sizes and sha256 of every file of a folder (streamed: models are hundreds of MB). */
export async function describeFiles(dir: string): Promise<RecordedFile[]> {
  const files: RecordedFile[] = [];
  for (const rel of await listFolderFiles(dir)) {
    const full = path.join(dir, rel);
    files.push({ path: rel, size: (await stat(full)).size, sha256: await sha256File(full) });
  }
  return files;
}

/** Writes `record` as the folder's manifest.json, replacing any earlier one in one step. */
export async function writeModelRecord(dir: string, record: ModelRecord): Promise<void> {
  const parsed = ModelRecordSchema.parse(record);
  const file = path.join(dir, RECORD_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(parsed, null, 2)}\n`);
  await rename(temp, file);
}
