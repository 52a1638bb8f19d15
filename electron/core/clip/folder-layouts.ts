// The two published layouts of a CLIP model folder (docs/DESIGN.md "Model folders"), read as
// published: Immich / open_clip (`visual/`, `textual/`, open_clip's config.json and
// preprocess_cfg.json) and Hugging Face / Transformers.js (`onnx/vision_model*.onnx`,
// `onnx/text_model*.onnx`, transformers' config.json and preprocessor_config.json, the tokenizer at
// the root). Each layout turns its own configs into the sizes, preprocessing and files the
// runtime needs; what cannot be supported is an error naming the file and the reason.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parsePreprocessConfig, type PreprocessConfig } from '../imaging/preprocess-config.js';
import { readJsonFile } from './json-file.js';

export type LayoutName = 'immich' | 'hf';

/** How text is cleaned before tokenising: CLIP's whitespace collapse, or open_clip's 'canonicalize' (SigLIP). */
export type TextClean = 'whitespace' | 'canonicalize';

/** Sizes, preprocessing and files of one model folder, as its layout describes them (paths relative). */
export interface LayoutReading {
  layout: LayoutName;
  embedDim: number;
  imageSize: number;
  contextLength: number;
  preprocess: PreprocessConfig;
  textClean: TextClean;
  /** The files the runtime opens, relative to the folder. */
  files: { visualModel: string; textualModel: string; tokenizer: string; tokenizerConfig: string };
  /** Files whose presence is required beside those (configs), relative. */
  configs: string[];
  /** Weight variants the folder offers, '' being the plain (fp32) export; e.g. ['', 'quantized', 'fp16']. */
  variants: string[];
}

const positiveInt = z.number().int().positive();

/** One of the folder's config files; a missing one is named as the folder's. */
async function readConfig<T>(dir: string, rel: string, schema: z.ZodType<T>, what: string): Promise<T> {
  const value = await readJsonFile(path.join(dir, rel), schema, what, true);
  if (value === null) throw new Error(`Model folder ${dir} has no ${rel} (its ${what})`);
  return value;
}

// ---- Immich / open_clip ----------------------------------------------------------------------

/** open_clip's model config; only the fields the runtime needs are checked, the rest are kept. */
const OpenClipConfig = z.looseObject({
  embed_dim: positiveInt,
  vision_cfg: z.looseObject({
    // open_clip writes either 224 or [224, 224].
    image_size: z.union([positiveInt, z.tuple([positiveInt, positiveInt])]),
  }),
  text_cfg: z.looseObject({
    // Immich's runtime also falls back to 77 when a config leaves it out.
    context_length: positiveInt.default(77),
    tokenizer_kwargs: z.looseObject({ clean: z.string().optional() }).optional(),
  }),
});

async function readImmich(dir: string): Promise<LayoutReading> {
  const configFile = path.join(dir, 'config.json');
  const config = await readConfig(dir, 'config.json', OpenClipConfig, 'model config (embed_dim, vision_cfg.image_size, text_cfg.context_length)');
  const size = config.vision_cfg.image_size;
  if (Array.isArray(size) && size[0] !== size[1]) {
    throw new Error(`${configFile}: vision_cfg.image_size ${size[0]}×${size[1]} is not square; Shoebox supports square inputs only`);
  }
  const cfgFile = path.join(dir, 'visual', 'preprocess_cfg.json');
  const preprocess = parsePreprocessConfig(await readConfig(dir, 'visual/preprocess_cfg.json', z.unknown(), 'image preprocessing config'), cfgFile);
  const clean = config.text_cfg.tokenizer_kwargs?.clean;
  return {
    layout: 'immich',
    embedDim: config.embed_dim,
    imageSize: Array.isArray(size) ? size[0] : size,
    contextLength: config.text_cfg.context_length,
    preprocess,
    textClean: clean === 'canonicalize' ? 'canonicalize' : 'whitespace',
    files: {
      visualModel: 'visual/model.onnx',
      textualModel: 'textual/model.onnx',
      tokenizer: 'textual/tokenizer.json',
      tokenizerConfig: 'textual/tokenizer_config.json',
    },
    configs: ['config.json', 'visual/preprocess_cfg.json'],
    variants: [''],
  };
}

// ---- Hugging Face / Transformers.js ----------------------------------------------------------

/** transformers' CLIPConfig; its defaults (transformers' CLIPTextConfig / CLIPVisionConfig) apply to what is left out. */
const HfClipConfig = z.looseObject({
  projection_dim: positiveInt.default(512),
  text_config: z.looseObject({ max_position_embeddings: positiveInt.default(77) }).default({ max_position_embeddings: 77 }),
  vision_config: z.looseObject({ image_size: positiveInt.default(224) }).default({ image_size: 224 }),
});

const sizeSpec = z.union([positiveInt, z.looseObject({ shortest_edge: positiveInt.optional(), height: positiveInt.optional(), width: positiveInt.optional() })]);

/** transformers' CLIPImageProcessor settings (preprocessor_config.json). */
const HfPreprocessor = z.looseObject({
  do_resize: z.boolean().default(true),
  size: sizeSpec.optional(),
  resample: z.number().int().default(3),
  do_center_crop: z.boolean().default(true),
  crop_size: sizeSpec.optional(),
  do_rescale: z.boolean().default(true),
  rescale_factor: z.number().positive().default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: z.union([z.number(), z.array(z.number()).length(3)]).default([0.48145466, 0.4578275, 0.40821073]),
  image_std: z.union([z.number(), z.array(z.number()).length(3)]).default([0.26862954, 0.26130258, 0.27577711]),
});

/** PIL's resampling codes, as transformers writes them. */
const RESAMPLE = { 0: 'nearest', 2: 'bilinear', 3: 'bicubic' } as const;

function hfPreprocess(json: z.infer<typeof HfPreprocessor>, file: string, imageSize: number): PreprocessConfig {
  const fail = (reason: string): never => {
    throw new Error(`${file}: ${reason}; Shoebox supports CLIP's resize-then-centre-crop to a square, or a resize to a square`);
  };
  if (!json.do_resize) fail('do_resize is false');
  const interpolation = RESAMPLE[json.resample as keyof typeof RESAMPLE] ?? fail(`resample ${json.resample} is not 0 (nearest), 2 (bilinear) or 3 (bicubic)`);
  if (json.do_rescale && Math.abs(json.rescale_factor * 255 - 1) > 1e-6) fail(`rescale_factor ${json.rescale_factor} is not 1/255`);
  if (!json.do_rescale) fail('do_rescale is false (pixels would stay in 0..255)');
  const side = (spec: z.infer<typeof sizeSpec> | undefined): { shortest?: number; square?: number } => {
    if (spec === undefined) return {};
    if (typeof spec === 'number') return { shortest: spec };
    if (spec.shortest_edge !== undefined) return { shortest: spec.shortest_edge };
    if (spec.height !== undefined && spec.height === spec.width) return { square: spec.height };
    return fail(`size ${JSON.stringify(spec)} is not a square`);
  };
  const resize = side(json.size);
  let mode: PreprocessConfig['resize_mode'];
  if (json.do_center_crop) {
    const crop = side(json.crop_size);
    const cropSide = crop.square ?? crop.shortest ?? imageSize;
    const resizeSide = resize.shortest ?? resize.square ?? cropSide;
    if (resizeSide !== cropSide) fail(`it resizes to ${resizeSide} px and crops ${cropSide} px`);
    mode = 'shortest';
  } else {
    if (resize.square === undefined) fail('without do_center_crop the size must be {height, width} of a square');
    mode = 'squash';
  }
  const triple = (v: number | number[]): [number, number, number] => (typeof v === 'number' ? [v, v, v] : [v[0]!, v[1]!, v[2]!]);
  const cfg = {
    size: imageSize,
    mean: json.do_normalize ? triple(json.image_mean) : [0, 0, 0],
    std: json.do_normalize ? triple(json.image_std) : [1, 1, 1],
    interpolation,
    resize_mode: mode,
  };
  return parsePreprocessConfig(cfg, file);
}

/** The weight variants both towers have: onnx/vision_model{_variant}.onnx with its text_model twin. */
async function hfVariants(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path.join(dir, 'onnx'));
  } catch {
    return [];
  }
  const variants: string[] = [];
  for (const name of names) {
    const m = /^vision_model(?:_(\w+))?\.onnx$/.exec(name);
    if (!m) continue;
    const variant = m[1] ?? '';
    if (names.includes(`text_model${variant ? `_${variant}` : ''}.onnx`)) variants.push(variant);
  }
  return variants.sort();
}

async function readHf(dir: string): Promise<LayoutReading> {
  const config = await readConfig(dir, 'config.json', HfClipConfig, 'model config (projection_dim, text_config, vision_config)');
  const imageSize = config.vision_config.image_size;
  const cfgFile = path.join(dir, 'preprocessor_config.json');
  const preprocess = hfPreprocess(await readConfig(dir, 'preprocessor_config.json', HfPreprocessor, 'image preprocessor config'), cfgFile, imageSize);
  return {
    layout: 'hf',
    embedDim: config.projection_dim,
    imageSize,
    contextLength: config.text_config.max_position_embeddings,
    preprocess,
    textClean: 'whitespace',
    files: {
      visualModel: 'onnx/vision_model.onnx',
      textualModel: 'onnx/text_model.onnx',
      tokenizer: 'tokenizer.json',
      tokenizerConfig: 'tokenizer_config.json',
    },
    configs: ['config.json', 'preprocessor_config.json'],
    variants: await hfVariants(dir),
  };
}

/** Which layout a folder is in, from the files it has; null when neither. */
export function detectLayout(dir: string): LayoutName | null {
  if (existsSync(path.join(dir, 'visual')) || existsSync(path.join(dir, 'textual'))) return 'immich';
  if (existsSync(path.join(dir, 'onnx'))) return 'hf';
  return null;
}

export function readLayout(dir: string, layout: LayoutName): Promise<LayoutReading> {
  return layout === 'immich' ? readImmich(dir) : readHf(dir);
}

/** A variant's file name: onnx/vision_model.onnx → onnx/vision_model_quantized.onnx. */
export function variantFile(file: string, variant: string): string {
  return variant === '' ? file : file.replace(/\.onnx$/, `_${variant}.onnx`);
}
