// Evaluates an exported model folder through the app's code path (tokenizer.ts, sharp, onnxruntime-node)
// on freshly rendered scenes and writes <model>/eval.json and <model>/EVAL.md:
//  - zero-shot colour × shape top-1 (48 classes, prompt ensembling) on the held-out combos only,
//  - text → image recall@1/@5 over 1,000 held-out scenes with their canonical captions,
//  - background zero-shot top-1 on the same scenes,
//  - the same kinds of figures on the shift set (shift-set/: another renderer, never trained on).
//   npx tsx models/recipe/evaluate.ts --model models/shoebox-mini

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { canonicalCaption, renderScene, type SceneSpec } from '../../electron/core/synthetic/index.js';
import { BACKGROUND_PHRASES, BACKGROUNDS, HELD_OUT_COMBOS } from '../../electron/core/synthetic/vocabulary.js';
import { genericPlan, heldoutPlan } from './build-dataset.js';
import { calibrateRelevance, CALIBRATION_SEED, writeRelevanceZ } from './calibrate-relevance.js';
import { accuracy, classEmbeddings, classify, textToImageRecall } from './metrics.js';
import { loadOnnxClip, type OnnxClip } from './onnx-model.js';
import { evaluateShiftSet, parseShiftSeeds, shiftSetMarkdown } from './shift-set/evaluate-shift.js';
import { backgroundIndex, backgroundPrompts, OBJECT_CLASSES, objectClassIndex, objectPrompts } from './zero-shot.js';

/** Renders each scene to JPEG (as a photo on disk would be) and embeds it through the app's path. */
export async function embedScenes(model: OnnxClip, specs: SceneSpec[]): Promise<Float32Array> {
  const jpegs = await Promise.all(specs.map((s) => renderScene(s, { format: 'jpeg' })));
  return model.embedImages(jpegs);
}

export interface HeldOutResult {
  top1: number;
  perCombo: Record<string, number>;
  n: number;
}

export async function heldOutZeroShot(model: OnnxClip, perCombo: number, seed: number, minSide: number, maxSide: number): Promise<HeldOutResult> {
  const specs = heldoutPlan(perCombo, seed, minSide, maxSide).specs;
  const truth = specs.map((s) => objectClassIndex(s.groups[0]!.colour, s.groups[0]!.shape));
  const classes = await classEmbeddings(model, objectPrompts(), OBJECT_CLASSES.length);
  const predicted = classify(await embedScenes(model, specs), classes, model.dim);
  const perComboAcc: Record<string, number> = {};
  for (const [c, s] of HELD_OUT_COMBOS) {
    const idx = objectClassIndex(c, s);
    const rows = truth.map((t, i) => [t, i] as const).filter(([t]) => t === idx).map(([, i]) => i);
    perComboAcc[`${c} ${s}`] = rows.filter((i) => predicted[i] === idx).length / rows.length;
  }
  return { top1: accuracy(predicted, truth), perCombo: perComboAcc, n: specs.length };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'models/shoebox-mini' },
      'per-combo': { type: 'string', default: '100' },
      generic: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '9001' },
      'min-side': { type: 'string', default: '96' },
      'max-side': { type: 'string', default: '256' },
      'shift-seeds': { type: 'string', default: '31001,31002' },
      'shift-per-class': { type: 'string', default: '8' },
    },
  });
  const modelDir = values.model as string;
  const seed = Number(values.seed);
  const minSide = Number(values['min-side']);
  const maxSide = Number(values['max-side']);
  const t0 = performance.now();
  const model = await loadOnnxClip(modelDir);

  const held = await heldOutZeroShot(model, Number(values['per-combo']), seed, minSide, maxSide);
  // Photo-sized renders of the same kind (the app downsizes them): robustness to the input size.
  const heldLarge = await heldOutZeroShot(model, 30, seed + 1, 640, 1600);

  const generic = genericPlan(Number(values.generic), seed + 2, minSide, maxSide).specs;
  const images = await embedScenes(model, generic);
  const texts = await model.embedTexts(generic.map(canonicalCaption));
  const recall = textToImageRecall(texts, images, model.dim, [1, 5]);
  const bgClasses = await classEmbeddings(model, backgroundPrompts(BACKGROUND_PHRASES), BACKGROUNDS.length);
  const bgAcc = accuracy(classify(images, bgClasses, model.dim), generic.map((s) => backgroundIndex(s.background)));
  const shiftSet = await evaluateShiftSet(model, parseShiftSeeds(values['shift-seeds'] as string), Number(values['shift-per-class']));
  const relevance = await calibrateRelevance(model);
  await model.release();
  // Search's good-match rule reads the model's own z from its record.
  await writeRelevanceZ(modelDir, relevance.z);

  const command = `npx tsx models/recipe/evaluate.ts ${process.argv.slice(2).join(' ')}`.trim();
  const result = {
    command,
    date: new Date().toISOString(),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    heldOutZeroShotTop1: held.top1,
    heldOutZeroShotPerCombo: held.perCombo,
    heldOutImages: held.n,
    heldOutZeroShotTop1PhotoSized: heldLarge.top1,
    heldOutImagesPhotoSized: heldLarge.n,
    textToImageRecallAt1: recall[1],
    textToImageRecallAt5: recall[5],
    retrievalScenes: generic.length,
    backgroundTop1: bgAcc,
    shiftSet,
    relevance,
  };
  await writeFile(path.join(modelDir, 'eval.json'), JSON.stringify(result, null, 2) + '\n');
  const size = model.preprocess.size;
  const side = Array.isArray(size) ? size[0] : size;
  const pct = (x: number | undefined): string => `${((x ?? 0) * 100).toFixed(1)} %`;
  const md = `# shoebox-mini evaluation

Produced by \`${command}\` on ${result.date.slice(0, 10)} (${result.seconds} s), through the app's path:
openClipModel (tokenizer.ts, onnxruntime-node) and the imaging module's preparePhoto (JPEG → shortest side\n${side} px bicubic, centre crop, normalised).
All scenes are freshly rendered with seeds the training set never used.

| metric | value |
| --- | --- |
| zero-shot colour × shape top-1, 48 classes, held-out combos only (${held.n} images, 96–256 px) | ${pct(held.top1)} |
| same, photo-sized renders (${heldLarge.n} images, 640–1600 px) | ${pct(heldLarge.top1)} |
| text → image recall@1, ${generic.length} scenes, canonical captions | ${pct(recall[1])} |
| text → image recall@5 | ${pct(recall[5])} |
| background zero-shot top-1 (5 classes) | ${pct(bgAcc)} |

Held-out combos (never seen in training), zero-shot top-1 each:

| combo | top-1 |
| --- | --- |
${Object.entries(held.perCombo).map(([k, v]) => `| ${k} | ${pct(v)} |`).join('\n')}

Prompts: ${objectPrompts().slice(0, 5).map((p) => `"${p}"`).join(', ')} (templates averaged per class, CLIP §3.1.4).

Search's good-match floor (docs/SEARCH.md): on ${relevance.scenes} training-look scenes (seed ${CALIBRATION_SEED}), with
${relevance.queries} queries "a {colour} {shape}", z = ${relevance.z} spreads above search's letter strings lets
${pct(relevance.right)} of the right (query, photo) pairs and ${pct(relevance.wrong)} of the wrong ones through (at the
default z = 2: ${pct(relevance.rightAt2)} and ${pct(relevance.wrongAt2)}). manifest.json's \`relevanceZ\` carries it
(models/recipe/calibrate-relevance.ts).

${shiftSetMarkdown(shiftSet)}`;
  await writeFile(path.join(modelDir, 'EVAL.md'), md);
  console.log(JSON.stringify(result, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
