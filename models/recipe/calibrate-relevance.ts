// How far above meaningless text this model's real matches score: the z its record carries
// (manifest.json `relevanceZ`), which search's good-match rule then uses for it
// (electron/core/search/relevance.ts, docs/SEARCH.md). The rule's default, 2, suited the first
// bundled models; models trained with soft targets put the letter strings nearer their real matches,
// and 2 then failed a quarter of the right photos (models/README.md, "Soft targets").
//
// Measured on a library of scenes with known contents, drawn as training draws them from a seed no
// other evaluation uses. Every colour-shape pair a scene shows is a query, "a {colour} {shape}", as a
// person types it; a (query, photo) pair is right when the photo shows the pair. For each z the
// library's floor is worked out as search does (the median photo's mean + z spreads over search's
// own 32 letter strings), and the z chosen is the one with the largest gap between the share of
// right pairs and the share of wrong pairs that reach the floor (Youden's J), the lowest on a tie.
//
//   npx tsx models/recipe/calibrate-relevance.ts --model DIR [--write]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ModelRecordSchema, RECORD_FILE, writeModelRecord } from '../../electron/core/clip/model-record.js';
import { medianFloor, nullPrompts, relevanceFloors } from '../../electron/core/search/relevance.js';
import { renderScene, sampleScene } from '../../electron/core/synthetic/index.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { dot, unitVector } from '../../electron/core/vector-math.js';
import { loadOnnxClip, type OnnxClip } from './onnx-model.js';

export const CALIBRATION_SEED = 61001;
const SCENES = 300;
/** The z values tried: the range a model record accepts, in tenths. */
const Z_GRID = Array.from({ length: 56 }, (_, k) => Math.round((0.5 + k / 10) * 10) / 10);

export interface RelevanceCalibration {
  z: number;
  /** Shares of right and wrong (query, photo) pairs that reach the floor at that z. */
  right: number;
  wrong: number;
  /** The same at the rule's default, z = 2. */
  rightAt2: number;
  wrongAt2: number;
  scenes: number;
  queries: number;
}

export async function calibrateRelevance(model: OnnxClip, seed = CALIBRATION_SEED, scenes = SCENES): Promise<RelevanceCalibration> {
  const d = model.dim;
  const units = (rows: Float32Array, n: number): Float32Array[] =>
    Array.from({ length: n }, (_, i) => unitVector(rows.subarray(i * d, (i + 1) * d), `calibration embedding ${i}`));
  const score = (a: Float32Array, b: Float32Array): number => dot(a, 0, b, 0, d);
  const rng = new Rng(seed);
  const specs = Array.from({ length: scenes }, () => sampleScene(rng, { allowHeldOut: false, minSide: 96, maxSide: 256 }));
  const images = units(await model.embedImages(await Promise.all(specs.map((s) => renderScene(s, { format: 'jpeg' })))), scenes);
  const nulls = units(await model.embedTexts(nullPrompts()), nullPrompts().length);
  const shows = specs.map((s) => new Set(s.groups.map((g) => `${g.colour} ${g.shape}`)));
  const pairs = [...new Set(shows.flatMap((s) => [...s]))].sort();
  const queries = units(await model.embedTexts(pairs.map((p) => `a ${p}`)), pairs.length);

  // The letter strings' scores, one column per string as search measures them.
  const columns = nulls.map((n) => Float32Array.from(images, (img) => score(n, img)));
  const right: number[] = [];
  const wrong: number[] = [];
  queries.forEach((q, j) => images.forEach((img, i) => (shows[i]!.has(pairs[j]!) ? right : wrong).push(score(q, img))));
  const passing = (z: number): [number, number] => {
    const floor = medianFloor(relevanceFloors(columns, z));
    return [right.filter((s) => s >= floor).length / right.length, wrong.filter((s) => s >= floor).length / wrong.length];
  };
  let best = { z: Z_GRID[0] as number, right: 0, wrong: 0, gap: -Infinity };
  for (const z of Z_GRID) {
    const [r, w] = passing(z);
    if (r - w > best.gap) best = { z, right: r, wrong: w, gap: r - w };
  }
  const [rightAt2, wrongAt2] = passing(2);
  return { z: best.z, right: best.right, wrong: best.wrong, rightAt2, wrongAt2, scenes, queries: pairs.length };
}

/** Writes `z` into the model folder's record (manifest.json), the rest of it as it was. */
export async function writeRelevanceZ(modelDir: string, z: number): Promise<void> {
  const file = path.join(modelDir, RECORD_FILE);
  const record = ModelRecordSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  await writeModelRecord(modelDir, { ...record, relevanceZ: z });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'models/shoebox-mini' }, write: { type: 'boolean', default: false } } });
  const modelDir = values.model as string;
  const model = await loadOnnxClip(modelDir);
  const result = await calibrateRelevance(model);
  await model.release();
  if (values.write) await writeRelevanceZ(modelDir, result.z);
  console.log(JSON.stringify(result, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
