// The image preprocessing a CLIP model expects, read from its `visual/preprocess_cfg.json`
// (open_clip's PreprocessCfg, as shipped in Immich's model folders) and validated here, so a
// bad file fails once, at load, with a message naming it.

import { z } from 'zod';

export type Interpolation = 'bicubic' | 'bilinear' | 'nearest';
export type ResizeMode = 'shortest' | 'longest' | 'squash';

export interface PreprocessConfig {
  /** Square side, or [height, width] (open_clip's order). */
  size: number | [number, number];
  mean: [number, number, number];
  std: [number, number, number];
  interpolation: Interpolation;
  resize_mode: ResizeMode;
  /** Padding value 0..255 for 'longest' (open_clip pads in 8-bit space, before normalising). */
  fill_color?: number;
}

const side = z.number().int().min(1).max(4096);
// open_clip also accepts one number for all three channels.
const triple = (item: z.ZodNumber, what: string) =>
  z.union([z.tuple([item, item, item]), item.transform((v): [number, number, number] => [v, v, v])], {
    error: `expected ${what}: one number or three (R, G, B)`,
  });

// Defaults are open_clip's PreprocessCfg defaults (src/open_clip/transform.py), so an older
// config that omits a key means what it meant there. open_clip's 'random' interpolation is
// bicubic at inference time.
const schema = z.object({
  size: z.union([side, z.tuple([side, side])], { error: 'expected a side in pixels or [height, width], 1..4096' }),
  mode: z.literal('RGB').optional(),
  mean: triple(z.number().finite(), 'finite numbers'),
  std: triple(z.number().finite().positive(), 'positive numbers'),
  interpolation: z
    .enum(['bicubic', 'bilinear', 'nearest', 'random'])
    .default('bicubic')
    .transform((v): Interpolation => (v === 'random' ? 'bicubic' : v)),
  resize_mode: z.enum(['shortest', 'longest', 'squash']).default('shortest'),
  fill_color: z.number().int().min(0).max(255).default(0),
});

/** Validates a parsed preprocess_cfg.json; `source` (the file) is named in the error. */
export function parsePreprocessConfig(json: unknown, source: string): PreprocessConfig {
  const result = schema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid image preprocessing config ${source}: ${problems}`);
  }
  const { size, mean, std, interpolation, resize_mode, fill_color } = result.data;
  return { size, mean, std, interpolation, resize_mode, fill_color };
}
