// Zero-shot and retrieval figures of a model folder on the shift set, through the app's path
// (openClipModel + preparePhoto, via onnx-model.ts), one draw per seed:
//  - colour × shape top-1 over the 48 classes, with zero-shot.ts's prompt templates averaged,
//    and the colour and the shape of that prediction scored on their own;
//  - shape top-1 with colour-free prompts ("a photo of a star.", 6 classes);
//  - background top-1 (5 classes, zero-shot.ts's background prompts);
//  - text → photo: for "a photo of a {colour} {shape}", whether its one picture among 48 (the
//    first of each class) ranks in the top 3 (issue 12 calls this precision@3; chance 3/48).
// evaluate.ts records it beside the in-distribution figures; alone it prints JSON:
//   npx tsx models/recipe/shift-set/evaluate-shift.ts --model models/shoebox-mini

import { parseArgs } from 'node:util';
import { BACKGROUND_PHRASES, BACKGROUNDS, COLOURS, SHAPES } from '../../../electron/core/synthetic/vocabulary.js';
import { accuracy, classEmbeddings, classify, textToImageRanks } from '../metrics.js';
import { loadOnnxClip, type OnnxClip } from '../onnx-model.js';
import { backgroundIndex, backgroundPrompts, OBJECT_CLASSES, OBJECT_TEMPLATES, objectClassIndex, objectPrompts } from '../zero-shot.js';
import { renderShiftJpeg } from './render.js';
import { shiftScenes } from './scene.js';

export interface ShiftDraw {
  seed: number;
  images: number;
  colourShapeTop1: number;
  colourTop1: number;
  shapeTop1: number;
  shapePromptTop1: number;
  backgroundTop1: number;
  textToPhotoTop3: number;
}

export interface Confusion {
  truth: string;
  predicted: string;
  /** Share of the truth word's images given the predicted word. */
  share: number;
}

export interface ShiftSetResult {
  perClass: number;
  draws: ShiftDraw[];
  /** Pooled over the draws: colour × shape top-1 by colour and by shape, background top-1 by background. */
  byColour: Record<string, number>;
  byShape: Record<string, number>;
  byBackground: Record<string, number>;
  colourConfusions: Confusion[];
  shapeConfusions: Confusion[];
  /** Most frequent wrong answers of the 5-way background prediction, pooled over the draws. */
  backgroundConfusions: Confusion[];
  /**
   * Text → photo top-3 with every picture of a class taking its turn as the class's one picture
   * (perClass sets of 48 per draw, pooled: 16 times the queries of the headline figure, so less
   * noisy), overall and by the number of objects in the picture sought.
   */
  textToPhotoEveryPicture: { top3: number; byCount: Record<string, number> };
}

interface Tally {
  right: Map<string, number>;
  total: Map<string, number>;
  wrong: Map<string, number>;
}

const tally = (): Tally => ({ right: new Map(), total: new Map(), wrong: new Map() });
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

function count(t: Tally, truth: string, predicted: string): void {
  bump(t.total, truth);
  if (truth === predicted) bump(t.right, truth);
  else bump(t.wrong, `${truth}\u0000${predicted}`);
}

function rates(t: Tally, keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, (t.right.get(k) ?? 0) / (t.total.get(k) ?? 1)]));
}

function topConfusions(t: Tally, n: number): Confusion[] {
  return [...t.wrong]
    .map(([k, c]) => {
      const [truth, predicted] = k.split('\u0000') as [string, string];
      return { truth, predicted, share: c / (t.total.get(truth) ?? 1) };
    })
    .sort((a, b) => b.share - a.share || a.truth.localeCompare(b.truth))
    .slice(0, n);
}

export async function evaluateShiftSet(model: OnnxClip, seeds: number[], perClass: number): Promise<ShiftSetResult> {
  if (!Number.isInteger(perClass) || perClass < 1) throw new Error(`shift set: pictures per class must be a whole number ≥ 1, got ${perClass}`);
  const objectClasses = await classEmbeddings(model, objectPrompts(), OBJECT_CLASSES.length);
  const shapeClasses = await classEmbeddings(model, SHAPES.flatMap((s) => OBJECT_TEMPLATES.map((t) => t.replace('{}', s))), SHAPES.length);
  const bgClasses = await classEmbeddings(model, backgroundPrompts(BACKGROUND_PHRASES), BACKGROUNDS.length);
  const queries = await model.embedTexts(OBJECT_CLASSES.map((c) => `a photo of a ${c.name}`));
  const [colours, shapes, backgrounds, t2pByCount] = [tally(), tally(), tally(), tally()];
  const draws: ShiftDraw[] = [];
  for (const seed of seeds) {
    const scenes = shiftScenes(seed, perClass);
    const images = await model.embedImages(await Promise.all(scenes.map(renderShiftJpeg)));
    const truth = scenes.map((s) => objectClassIndex(s.colour, s.shape));
    const predicted = classify(images, objectClasses, model.dim);
    const guess = predicted.map((p) => OBJECT_CLASSES[p]!);
    scenes.forEach((s, i) => {
      count(colours, s.colour, guess[i]!.colour);
      count(shapes, s.shape, guess[i]!.shape);
    });
    const bgPredicted = classify(images, bgClasses, model.dim);
    scenes.forEach((s, i) => count(backgrounds, s.background, BACKGROUNDS[bgPredicted[i]!]!));
    // The k-th picture of each class, in class order, so picture i answers query i; k = 0 is the headline figure.
    const kth = (k: number): Float32Array => {
      const set = new Float32Array(OBJECT_CLASSES.length * model.dim);
      OBJECT_CLASSES.forEach((_, c) => set.set(images.subarray((c * perClass + k) * model.dim, (c * perClass + k + 1) * model.dim), c * model.dim));
      return set;
    };
    const ranks = Array.from({ length: perClass }, (_, k) => textToImageRanks(queries, kth(k), model.dim));
    ranks.forEach((byClass, k) =>
      byClass.forEach((rank, c) => {
        const objects = String(scenes[c * perClass + k]!.count);
        count(t2pByCount, objects, rank < 3 ? objects : 'missed');
      }),
    );
    draws.push({
      seed,
      images: scenes.length,
      colourShapeTop1: accuracy(predicted, truth),
      colourTop1: scenes.filter((s, i) => guess[i]!.colour === s.colour).length / scenes.length,
      shapeTop1: scenes.filter((s, i) => guess[i]!.shape === s.shape).length / scenes.length,
      shapePromptTop1: accuracy(classify(images, shapeClasses, model.dim), scenes.map((s) => SHAPES.indexOf(s.shape))),
      backgroundTop1: accuracy(bgPredicted, scenes.map((s) => backgroundIndex(s.background))),
      textToPhotoTop3: ranks[0]!.filter((rank) => rank < 3).length / OBJECT_CLASSES.length,
    });
  }
  return {
    perClass,
    draws,
    byColour: rates(colours, COLOURS),
    byShape: rates(shapes, SHAPES),
    byBackground: rates(backgrounds, BACKGROUNDS),
    colourConfusions: topConfusions(colours, 4),
    shapeConfusions: topConfusions(shapes, 4),
    backgroundConfusions: topConfusions(backgrounds, 4),
    textToPhotoEveryPicture: {
      top3: [...t2pByCount.total.keys()].reduce((s, k) => s + (t2pByCount.right.get(k) ?? 0), 0) /
        [...t2pByCount.total.values()].reduce((s, n) => s + n, 0),
      byCount: rates(t2pByCount, ['1', '2', '3']),
    },
  };
}

/** The EVAL.md section: one row per figure, one column per draw. */
export function shiftSetMarkdown(r: ShiftSetResult): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const row = (label: string, pick: (d: ShiftDraw) => string) => `| ${label} | ${r.draws.map(pick).join(' | ')} |`;
  const words = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${pct(v)}`).join(', ');
  const confusions = (cs: Confusion[]) => cs.map((c) => `${c.truth} → ${c.predicted} ${pct(c.share)}`).join(', ');
  return `## Shift set (models/recipe/shift-set)

Another renderer of the same vocabulary, never used for training: flat or graded SVG polygons of
other proportions (rounded squares, thinner and fatter stars, a parametric heart, thin and fat
crosses), outlines on some, other sizes and positions, flat renditions of the five backgrounds,
other JPEG settings (quality 35–95, 4:2:0 or 4:4:4), 120–640 px, through the same app path.
One draw per seed, ${r.perClass} pictures of each of the 48 colour × shape classes (1–3 objects each).

| metric | ${r.draws.map((d) => `seed ${d.seed}`).join(' | ')} |
| --- | ${r.draws.map(() => '---').join(' | ')} |
${row('zero-shot colour × shape top-1 (48 classes)', (d) => `${pct(d.colourShapeTop1)} of ${d.images}`)}
${row('colour of that prediction right', (d) => pct(d.colourTop1))}
${row('shape of that prediction right', (d) => pct(d.shapeTop1))}
${row('shape top-1, colour-free prompts (6 classes)', (d) => pct(d.shapePromptTop1))}
${row('background zero-shot top-1 (5 classes)', (d) => pct(d.backgroundTop1))}
${row('text → photo: "a photo of a {colour} {shape}" finds its picture in the top 3 of 48 (chance 6.3 %)', (d) => pct(d.textToPhotoTop3))}

Colour × shape top-1 by colour (both draws): ${words(r.byColour)}.
By shape: ${words(r.byShape)}.
Background top-1 by background: ${words(r.byBackground)}; most frequent mistakes: ${confusions(r.backgroundConfusions)}.
Most frequent mistakes of the 48-way prediction, colour: ${confusions(r.colourConfusions)}; shape: ${confusions(r.shapeConfusions)}.
Text → photo top-3 with each of a class's ${r.perClass} pictures in turn as its picture (both draws, ${r.perClass * 2} sets of 48): ${pct(r.textToPhotoEveryPicture.top3)}; by the number of objects in the picture sought: ${Object.entries(r.textToPhotoEveryPicture.byCount).map(([n, v]) => `${n} ${pct(v)}`).join(', ')}.
`;
}

/** "31001,31002" → [31001, 31002]; a clear error for anything else. */
export function parseShiftSeeds(text: string): number[] {
  const seeds = text.split(',').map((s) => Number(s.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new Error(`shift set: seeds must be whole numbers ≥ 0 separated by commas, got "${text}"`);
  }
  return seeds;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'models/shoebox-mini' },
      seeds: { type: 'string', default: '31001,31002' },
      'per-class': { type: 'string', default: '8' },
    },
  });
  const model = await loadOnnxClip(values.model as string);
  const result = await evaluateShiftSet(model, parseShiftSeeds(values.seeds as string), Number(values['per-class']));
  await model.release();
  console.log(JSON.stringify(result, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
