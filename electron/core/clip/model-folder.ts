// A CLIP model folder on disk, in either published layout (clip/folder-layouts.ts), exactly as
// published: no file of ours is needed. Shoebox's own record (manifest.json, clip/model-record.ts)
// is read when present (the bundled model, installed and imported models) for the id, the display
// name and the checksums; without it the folder's name is its id. Resolves the files the runtime
// opens (every path checked to stay inside the folder, symlinks included) and verifies a folder
// against its record.
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PreprocessConfig } from '../imaging/preprocess-config.js';
import { detectLayout, readLayout, variantFile, type LayoutName, type TextClean } from './folder-layouts.js';
import { readJsonFile } from './json-file.js';
import { ModelRecordSchema, RECORD_FILE, sha256File, type ModelRecord } from './model-record.js';

export interface ModelFolder {
  /** Absolute, symlink-free path of the folder. */
  dir: string;
  layout: LayoutName;
  /** Shoebox's record, when the folder has one. */
  manifest: ModelRecord | null;
  /** The record's id, else the folder's name (made safe for a file name). */
  id: string;
  displayName: string;
  embedDim: number;
  imageSize: number;
  contextLength: number;
  preprocess: PreprocessConfig;
  textClean: TextClean;
  /** The weight variant loaded ('' = the plain export) and those the folder offers. */
  variant: string;
  variants: string[];
  files: {
    manifest: string;
    visualModel: string;
    textualModel: string;
    tokenizer: string;
    /** May not exist (optional in Immich's exports). */
    tokenizerConfig: string;
  };
  /** The files loading needs, relative to dir: what a record must list for a folder to verify. */
  required: string[];
}

export interface LoadModelOptions {
  /** A weight variant ('quantized', 'fp16' …); default: the record's, else the plain export. */
  variant?: string;
}

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

/** A folder name as a model id: what MODEL_ID allows, the rest replaced by "-". */
export function idFromFolderName(dir: string): string {
  const id = path.basename(dir).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return id === '' ? 'model' : id;
}

export async function loadModelFolder(dir: string, options: LoadModelOptions = {}): Promise<ModelFolder> {
  let real: string;
  try {
    real = await realpath(path.resolve(dir));
    if (!(await stat(real)).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    throw new Error(`Model folder ${dir} cannot be opened: ${(err as Error).message}`);
  }
  const layout = detectLayout(real);
  if (!layout) {
    throw new Error(
      `Model folder ${real} is in neither published layout: expected visual/ and textual/ (Immich, open_clip) ` +
        'or onnx/vision_model.onnx and onnx/text_model.onnx (Hugging Face, Transformers.js)',
    );
  }
  const manifestFile = path.join(real, RECORD_FILE);
  const manifest = await readJsonFile(manifestFile, ModelRecordSchema, 'manifest (id, displayName, source, license, files)', true);
  for (const f of manifest?.files ?? []) {
    try {
      resolveInside(real, f.path);
    } catch (err) {
      throw new Error(`${manifestFile}: ${(err as Error).message}`);
    }
  }
  const reading = await readLayout(real, layout);
  const variant = options.variant ?? manifest?.variant ?? '';
  const visual = variantFile(reading.files.visualModel, variant);
  const textual = variantFile(reading.files.textualModel, variant);
  if (!reading.variants.includes(variant)) {
    const missing = [visual, textual].filter((rel) => !existsSync(path.join(real, rel)));
    const offered = reading.variants.map((v) => (v === '' ? 'the plain export' : `"${v}"`)).join(', ');
    throw new Error(`Model folder ${real} has no ${missing.join(' and ')}${offered ? `; it offers: ${offered}` : ''}`);
  }
  const required = [...reading.configs, visual, textual, reading.files.tokenizer];
  const resolved = new Map<string, string>();
  for (const rel of required) {
    try {
      resolved.set(rel, await resolveExistingInside(real, rel));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `Model folder ${real} has no ${rel}` : (err as Error).message);
    }
  }
  return {
    dir: real,
    layout,
    manifest,
    id: manifest?.id ?? idFromFolderName(real),
    displayName: manifest?.displayName ?? path.basename(real),
    embedDim: reading.embedDim,
    imageSize: reading.imageSize,
    contextLength: reading.contextLength,
    preprocess: reading.preprocess,
    textClean: reading.textClean,
    variant,
    variants: reading.variants,
    files: {
      manifest: manifestFile,
      visualModel: resolved.get(visual) as string,
      textualModel: resolved.get(textual) as string,
      tokenizer: resolved.get(reading.files.tokenizer) as string,
      tokenizerConfig: resolveInside(real, reading.files.tokenizerConfig),
    },
    required,
  };
}

/**
 * Checks each record entry's size and sha256 (streamed, so large models never sit in memory), and
 * that every required file is listed: an unlisted model file would go unchecked.
 */
export async function verifyManifest(folder: ModelFolder): Promise<{ ok: boolean; problems: string[] }> {
  if (!folder.manifest) return { ok: false, problems: [`${folder.files.manifest}: missing, so nothing can be verified (import the folder to record its checksums)`] };
  const problems: string[] = [];
  const listed = new Set(folder.manifest.files.map((f) => path.posix.normalize(f.path.replace(/\\/g, '/'))));
  for (const rel of folder.required) {
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
