// Builds the training and evaluation data for shoebox-mini: renders seeded synthetic scenes, passes
// each through JPEG and the app's own preprocessing (imaging/preparePhoto: shortest side → 64 px
// bicubic, centre crop) and writes raw arrays that train.py memory-loads.
//   npx tsx models/recipe/build-dataset.ts --out .cache/dataset --train 40000
// Output (little-endian): <split>.images.u8 [n,64,64,3] uint8 HWC, <split>.text.i32 [n,k,ctx] int32,
// <split>.json (n, k, labels), prompts.{object,background}.i32 [classes*templates, ctx], meta.json.

import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadClipTokenizer, type ClipTokenizer } from '../../electron/core/clip/tokenizer.js';
import { captionsFor, canonicalCaption, placeCaptions, renderScene, sampleScene, type SceneSpec } from '../../electron/core/synthetic/index.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { BACKGROUND_PHRASES, BACKGROUNDS, COLOURS, HELD_OUT_COMBOS, SHAPES } from '../../electron/core/synthetic/vocabulary.js';
import { clipPreprocessConfig, toModelPixels } from './pixels.js';
import { backgroundIndex, backgroundPrompts, OBJECT_CLASSES, objectClassIndex, objectPrompts, OBJECT_TEMPLATES, probePrompts, BACKGROUND_TEMPLATES } from './zero-shot.js';

export const IMAGE_SIZE = 64;
/** CLIP's normalisation constants (OpenAI), kept so preprocess_cfg.json matches published models. */
export const MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const STD = [0.26862954, 0.26130258, 0.27577711] as const;
const PREPROCESS = clipPreprocessConfig(IMAGE_SIZE, MEAN, STD);

interface SplitPlan {
  name: string;
  specs: SceneSpec[];
  captions: string[][];
  labels: Record<string, number[]>;
}

/** Runs fn over 0..n-1 with at most `limit` in flight (sharp decodes on libuv threads). */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

const COLOUR_WORD = new RegExp(`\\b(${COLOURS.join('|')}) `, 'g');

/**
 * The caption of the greyscale version of a scene: colour words removed ("an orange cross" →
 * "a cross"). train.py shows some images in greyscale with these captions, so shape is also
 * learned from outlines alone and stays readable for colours a shape was never seen in.
 */
export function withoutColours(caption: string): string {
  return caption.replace(COLOUR_WORD, '').replace(/\ban (?=[^aeiou])/g, 'a ');
}

async function writeIds(file: string, tok: ClipTokenizer, texts: string[]): Promise<void> {
  const ids = tok.encode(texts, 'int32').ids;
  await writeFile(file, Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength));
}

async function renderSplit(plan: SplitPlan, outDir: string, tok: ClipTokenizer, concurrency: number, textOnly = false): Promise<number> {
  const n = plan.specs.length;
  const px = IMAGE_SIZE * IMAGE_SIZE * 3;
  const images = Buffer.alloc(n * px);
  const t0 = performance.now();
  if (!textOnly) {
    await pool(n, concurrency, async (i) => {
      const jpeg = await renderScene(plan.specs[i] as SceneSpec, { format: 'jpeg' });
      (await toModelPixels(jpeg, PREPROCESS)).copy(images, i * px);
    });
    await writeFile(path.join(outDir, `${plan.name}.images.u8`), images);
  }
  const seconds = (performance.now() - t0) / 1000;
  const k = plan.captions[0]?.length ?? 0;
  if (k > 0) {
    await writeIds(path.join(outDir, `${plan.name}.text.i32`), tok, plan.captions.flat());
    await writeIds(path.join(outDir, `${plan.name}.text-grey.i32`), tok, plan.captions.flat().map(withoutColours));
  }
  await writeFile(
    path.join(outDir, `${plan.name}.json`),
    JSON.stringify({ n, k, labels: plan.labels, captions: plan.captions.slice(0, 20) }) + '\n',
  );
  console.log(`${plan.name}: ${n} images in ${seconds.toFixed(1)} s (${(n / seconds).toFixed(0)} images/s)`);
  return n / seconds;
}

/** `varied`: a share of the scenes drawn with a rendering style (synthetic/style.ts), the rest standard. */
export function trainPlan(n: number, k: number, seed: number, minSide: number, maxSide: number, varied = 0): SplitPlan {
  const rng = new Rng(seed);
  const specs: SceneSpec[] = [];
  const captions: string[][] = [];
  for (let i = 0; i < n; i++) {
    const spec = sampleScene(rng, { allowHeldOut: false, minSide, maxSide, varied: varied > 0 && rng.next() < varied });
    specs.push(spec);
    captions.push(captionsFor(spec, rng, k));
  }
  // The colour × shape class of each scene's first and second group (-1: none) and its background:
  // train.py's --soft-targets finds from them which other images of a batch show a caption's objects in its place.
  const groupClass = (g: number) => specs.map((s) => (s.groups[g] ? objectClassIndex(s.groups[g].colour, s.groups[g].shape) : -1));
  const labels = { group0Class: groupClass(0), group1Class: groupClass(1), background: specs.map((s) => backgroundIndex(s.background)) };
  return { name: 'train', specs, captions, labels };
}

/** Single-group scenes of the never-trained colour–shape pairs: the zero-shot test. */
export function heldoutPlan(perCombo: number, seed: number, minSide: number, maxSide: number): SplitPlan {
  const rng = new Rng(seed);
  const specs: SceneSpec[] = [];
  for (const combo of HELD_OUT_COMBOS) {
    for (let i = 0; i < perCombo; i++) {
      specs.push(sampleScene(rng, { allowHeldOut: true, onlyCombos: [combo], maxGroups: 1, minSide, maxSide }));
    }
  }
  const objectClass = specs.map((s) => objectClassIndex(s.groups[0]!.colour, s.groups[0]!.shape));
  return { name: 'heldout', specs, captions: specs.map(() => []), labels: { objectClass } };
}

/** Fresh scenes (another seed) with their canonical caption: retrieval and background tests. */
export function genericPlan(n: number, seed: number, minSide: number, maxSide: number): SplitPlan {
  const rng = new Rng(seed);
  const specs = Array.from({ length: n }, () => sampleScene(rng, { allowHeldOut: false, minSide, maxSide }));
  return {
    name: 'generic',
    specs,
    captions: specs.map((s) => [canonicalCaption(s)]),
    labels: { background: specs.map((s) => backgroundIndex(s.background)) },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: '.cache/dataset' },
      model: { type: 'string', default: 'models/shoebox-mini' },
      train: { type: 'string', default: '40000' },
      captions: { type: 'string', default: '5' },
      'heldout-per-combo': { type: 'string', default: '100' },
      generic: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'min-side': { type: 'string', default: '96' },
      'max-side': { type: 'string', default: '256' },
      concurrency: { type: 'string', default: String(Math.max(4, 2 * os.availableParallelism())) },
      'context-length': { type: 'string', default: '32' },
      'text-only': { type: 'boolean', default: false },
      // Share of training scenes drawn with a rendering style (0: the standard look only).
      varied: { type: 'string', default: '0' },
    },
  });
  const seed = Number(values.seed);
  const minSide = Number(values['min-side']);
  const maxSide = Number(values['max-side']);
  const concurrency = Number(values.concurrency);
  const varied = Number(values.varied);
  if (!(varied >= 0 && varied <= 1)) throw new Error(`build-dataset: --varied must be a share from 0 to 1, got "${values.varied}"`);
  const outDir = values.out as string;
  await mkdir(outDir, { recursive: true });
  const tok = await loadClipTokenizer(values.model as string, Number(values['context-length']));

  await writeIds(path.join(outDir, 'prompts.object.i32'), tok, objectPrompts());
  await writeIds(path.join(outDir, 'prompts.background.i32'), tok, backgroundPrompts(BACKGROUND_PHRASES));
  // Captions of each place alone, in BACKGROUNDS order, the same number each (train.py --place-captions).
  await writeIds(path.join(outDir, 'places.text.i32'), tok, BACKGROUNDS.flatMap((b) => placeCaptions(b)));

  const rates: Record<string, number> = {};
  // Evaluation splits first (small), so a training run can be checked early. --text-only rewrites
  // the training captions' ids only (same seed, same scenes), e.g. after a caption change.
  if (values['text-only']) {
    await renderSplit(trainPlan(Number(values.train), Number(values.captions), seed, minSide, maxSide, varied), outDir, tok, concurrency, true);
    return;
  }
  rates.heldout = await renderSplit(heldoutPlan(Number(values['heldout-per-combo']), seed + 1000, minSide, maxSide), outDir, tok, concurrency);
  rates.generic = await renderSplit(genericPlan(Number(values.generic), seed + 2000, minSide, maxSide), outDir, tok, concurrency);
  rates.train = await renderSplit(trainPlan(Number(values.train), Number(values.captions), seed, minSide, maxSide, varied), outDir, tok, concurrency, values['text-only']);

  const meta = {
    imageSize: IMAGE_SIZE,
    mean: MEAN,
    std: STD,
    contextLength: tok.contextLength,
    vocabSize: tok.eotId + 1,
    eotId: tok.eotId,
    sotId: tok.sotId,
    padId: tok.padId,
    objectClasses: OBJECT_CLASSES.length,
    /** Object classes are colour-major, this many shapes per colour (train.py --soft-targets). */
    objectShapes: SHAPES.length,
    objectTemplates: OBJECT_TEMPLATES.length,
    backgroundClasses: BACKGROUNDS.length,
    backgroundTemplates: BACKGROUND_TEMPLATES.length,
    probePrompts: probePrompts(),
    imagesPerSecond: rates,
    args: values,
  };
  await writeFile(path.join(outDir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
