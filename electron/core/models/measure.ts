// How fast an installed model runs on this machine: its image and text encoders timed on
// synthetic inputs in a worker of their own (the active model keeps serving), after a warm-up.
// The figures are stored per model, so the models list can show an int8 variant's speed beside
// the fp32 export's, measured here rather than quoted from elsewhere.
import { z } from 'zod';
import type { ModelHost } from './model-host.js';
import type { SettingsRepo } from '../store/settings.js';

export interface ModelSpeed {
  imagesPerSecond: number;
  textsPerSecond: number;
  /** The execution provider it ran on. */
  provider: string;
  /** The image encoder's batch: images per run (1 for fixed-batch exports). */
  batch: number | 'dynamic';
  measuredAt: number;
}

const SpeedSchema = z.object({
  imagesPerSecond: z.number().positive(),
  textsPerSecond: z.number().positive(),
  provider: z.string(),
  batch: z.union([z.number().int().positive(), z.literal('dynamic')]),
  measuredAt: z.number(),
});

const IMAGES = 16;
const TEXTS = 32;
const key = (id: string): string => `modelSpeed.${id}`;

export function storedSpeed(settings: SettingsRepo, id: string): ModelSpeed | null {
  try {
    return settings.get(key(id), (v) => SpeedSchema.parse(v)) ?? null;
  } catch {
    return null; // an unreadable old figure is simply not shown
  }
}

export function forgetSpeed(settings: SettingsRepo, id: string): void {
  settings.delete(key(id));
}

/** Times the model in `dir` and stores the figures under its id. */
export async function measureModel(models: ModelHost, settings: SettingsRepo, dir: string): Promise<ModelSpeed & { id: string }> {
  const model = await models.open(dir);
  try {
    const info = model.client.info();
    const pixels = 3 * info.imageSize * info.imageSize;
    // Deterministic mid-grey noise: real-looking values without a photo on disk.
    const image = (seed: number): Float32Array => Float32Array.from({ length: pixels }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);
    const texts = Array.from({ length: TEXTS }, (_, i) => `a photo of ${i + 1} red stars on a beach at sunset`);
    // Moved (not copied) to the worker, so each run needs fresh arrays; made before the clock starts.
    const images = (): Float32Array[] => Array.from({ length: IMAGES }, (_, i) => image(i + 1));
    // Warm-up with the same shapes (ONNX Runtime plans each batch shape on its first run).
    await model.client.encodeImages(images());
    await model.client.encodeTexts(texts);
    const batch = images();
    let started = performance.now();
    await model.client.encodeImages(batch);
    const imagesPerSecond = IMAGES / ((performance.now() - started) / 1000);
    started = performance.now();
    await model.client.encodeTexts(texts);
    const textsPerSecond = TEXTS / ((performance.now() - started) / 1000);
    const speed: ModelSpeed = { imagesPerSecond, textsPerSecond, provider: info.provider, batch: info.batch, measuredAt: Date.now() };
    settings.set(key(model.id), { ...speed });
    return { id: model.id, ...speed };
  } finally {
    await model.client.close();
  }
}
