// A CLIP model folder on disk (docs/DESIGN.md "Model folders", Immich's layout plus our manifest.json):
// reads and validates config.json and manifest.json, resolves the files the runtime needs, and
// verifies every file the manifest lists against its size and sha256.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** open_clip's model config; only the fields the runtime needs are checked, the rest are kept. */
const ConfigSchema = z.looseObject({
  embed_dim: positiveInt,
  vision_cfg: z.looseObject({
    // open_clip writes either 224 or [224, 224].
    image_size: z.union([positiveInt, z.tuple([positiveInt, positiveInt])]),
  }),
  text_cfg: z.looseObject({
    // Immich's runtime also falls back to 77 when a config leaves it out.
    context_length: positiveInt.default(77),
  }),
});

const ManifestFileSchema = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256 (64 characters)'),
  size: z.number().int().nonnegative(),
});

const ManifestSchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"'),
  displayName: z.string().min(1),
  source: z.string().min(1),
  license: z.string().min(1),
  // May be empty (e.g. a benchmark-only export): verifyManifest then reports every required file as unlisted.
  files: z.array(ManifestFileSchema),
});

export type ModelManifest = z.infer<typeof ManifestSchema>;

export interface ModelFolder {
  /** Absolute, symlink-free path of the folder. */
  dir: string;
  manifest: ModelManifest;
  embedDim: number;
  imageSize: number;
  contextLength: number;
  files: {
    config: string;
    manifest: string;
    visualModel: string;
    preprocessConfig: string;
    textualModel: string;
    tokenizer: string;
  };
}

/** Files every model folder must have (tokenizer_config.json is optional, as in Immich's exports). */
const REQUIRED_FILES = [
  'config.json',
  'visual/model.onnx',
  'visual/preprocess_cfg.json',
  'textual/model.onnx',
  'textual/tokenizer.json',
] as const;

/**
 * The absolute path of `relative` inside `dir`, refusing absolute paths, "..", and anything that
 * leaves the folder; `dir` must already be real (symlink-free).
 */
export function resolveInside(dir: string, relative: string): string {
  const normal = relative.replace(/\\/g, '/');
  if (path.posix.isAbsolute(normal) || path.win32.isAbsolute(relative) || normal.split('/').includes('..')) {
    throw new Error(`Path "${relative}" must be relative to the model folder ${dir}, without ".."`);
  }
  const full = path.resolve(dir, normal);
  const rel = path.relative(dir, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`Path "${relative}" is outside the model folder ${dir}`);
  }
  return full;
}

/** Like resolveInside, and also follows symlinks and checks the real target stays inside. */
async function resolveExistingInside(dir: string, relative: string): Promise<string> {
  const full = resolveInside(dir, relative);
  const real = await realpath(full);
  const rel = path.relative(dir, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`${full} links to ${real}, outside the model folder ${dir}`);
  }
  return real;
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
}

async function readJsonFile<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file} is missing: every model folder needs its ${what}` : `Cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${file} is not a valid ${what}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

export async function loadModelFolder(dir: string): Promise<ModelFolder> {
  let real: string;
  try {
    real = await realpath(path.resolve(dir));
    if (!(await stat(real)).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    throw new Error(`Model folder ${dir} cannot be opened: ${(err as Error).message}`);
  }
  const configFile = path.join(real, 'config.json');
  const manifestFile = path.join(real, 'manifest.json');
  const config = await readJsonFile(configFile, ConfigSchema, 'model config (embed_dim, vision_cfg.image_size, text_cfg.context_length)');
  const manifest = await readJsonFile(manifestFile, ManifestSchema, 'manifest (id, displayName, source, license, files)');

  const size = config.vision_cfg.image_size;
  if (Array.isArray(size) && size[0] !== size[1]) {
    throw new Error(`${configFile}: vision_cfg.image_size ${size[0]}×${size[1]} is not square; Shoebox supports square inputs only`);
  }
  for (const f of manifest.files) {
    try {
      resolveInside(real, f.path);
    } catch (err) {
      throw new Error(`${manifestFile}: ${(err as Error).message}`);
    }
  }

  const found: string[] = [];
  for (const rel of REQUIRED_FILES) {
    try {
      found.push(await resolveExistingInside(real, rel));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `Model folder ${real} has no ${rel}` : (err as Error).message);
    }
  }
  const [, visualModel, preprocessConfig, textualModel, tokenizer] = found as [string, string, string, string, string];
  return {
    dir: real,
    manifest,
    embedDim: config.embed_dim,
    imageSize: Array.isArray(size) ? size[0] : size,
    contextLength: config.text_cfg.context_length,
    files: { config: configFile, manifest: manifestFile, visualModel, preprocessConfig, textualModel, tokenizer },
  };
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Checks each manifest entry's size and sha256 (streamed, so large models never sit in memory), and
 * that every required file is listed: an unlisted model file would go unchecked.
 */
export async function verifyManifest(folder: ModelFolder): Promise<{ ok: boolean; problems: string[] }> {
  const problems: string[] = [];
  const listed = new Set(folder.manifest.files.map((f) => path.posix.normalize(f.path.replace(/\\/g, '/'))));
  for (const rel of REQUIRED_FILES) {
    if (!listed.has(rel)) problems.push(`${rel}: not listed in ${folder.files.manifest}, so it cannot be verified`);
  }
  for (const entry of folder.manifest.files) {
    const label = path.join(folder.dir, entry.path);
    try {
      const file = await resolveExistingInside(folder.dir, entry.path);
      const info = await stat(file);
      if (!info.isFile()) {
        problems.push(`${label}: not a regular file`);
        continue;
      }
      if (info.size !== entry.size) {
        problems.push(`${label}: size is ${info.size} bytes, the manifest says ${entry.size}`);
        continue;
      }
      const digest = await sha256File(file);
      if (digest !== entry.sha256) problems.push(`${label}: sha256 is ${digest}, the manifest says ${entry.sha256}`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(code === 'ENOENT' ? `${label}: missing` : `${label}: ${(err as Error).message}`);
    }
  }
  return { ok: problems.length === 0, problems };
}
