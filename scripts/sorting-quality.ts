// `npm run sorting-quality`: how well custom-category sorting works with the bundled model, measured
// through the real app path and written into docs/SORTING.md between its markers.
//
// Held-out generated scenes (one object group each, held-out colour–shape pairs allowed) are
// rendered to JPEG files once (the pool). Each experiment is one sorting (by shape, by colour, by
// background) with some values left out of the category list: its library is 400 photos of the
// listed values and 100 (20 %) of the left-out ones, hard-linked from the pool into a folder of its
// own, indexed by a real Shoebox on a temp data folder (roots.add + index.start). The categories
// go in through categories.add (the bare word, as a person would type it), the sorting comes out
// of sort.result, and corrections go in through sort.correct:
// - per category, 5 photos drawn (seeded) among all photos of that value, and 5 among the
//   out-of-category photos as corrections toward Unsorted; level k uses the first k of each draw
//   (0, 1, 2, 5), so the levels are nested, like a person correcting a few more each time;
// - every figure is measured on the photos that no level corrects (the same photos at every
//   level): in-category accuracy (put in its own category, nothing else) and the share of
//   out-of-category photos left Unsorted, at the default strictness;
// - the multi-label mode is measured on the same photos: in its own category, in no other, and
//   out-of-category photos in none.
// Every choice of left-out values is averaged (all 6 single shapes, 4 pairs of colours, all 5
// single backgrounds). The rule's settings were chosen on scenes of another seed (`--seed`,
// default TUNING_SEED when `--tune` is given); only the reporting seed writes the doc.
import { link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { callApi } from '../electron/core/api/table.js';
import { Shoebox } from '../electron/core/shoebox.js';
import { renderScene, Rng, sampleScene } from '../electron/core/synthetic/index.js';
import { BACKGROUNDS, COLOURS, SHAPES } from '../electron/core/synthetic/vocabulary.js';

const REPO = path.resolve(import.meta.dirname, '..');
export const REPORT_SEED = 20261209;
export const TUNING_SEED = 4242;
const START = '<!-- sorting-quality:start -->';
const END = '<!-- sorting-quality:end -->';

export type Sorting = 'shape' | 'colour' | 'background';
export const LEVELS = [0, 1, 2, 5] as const;
const IN_PHOTOS = 400;
const OUT_PHOTOS = 100;
const POOL = 1800;

export interface PoolPhoto {
  file: string;
  shape: string;
  colour: string;
  background: string;
}

export interface Experiment {
  sorting: Sorting;
  categories: string[];
  leftOut: string[];
}

export function experiments(): Experiment[] {
  const out: Experiment[] = [];
  const add = (sorting: Sorting, all: readonly string[], leftOut: string[]) => out.push({ sorting, categories: all.filter((v) => !leftOut.includes(v)), leftOut });
  for (const s of SHAPES) add('shape', SHAPES, [s]);
  for (let i = 0; i < COLOURS.length; i += 2) add('colour', COLOURS, [COLOURS[i] as string, COLOURS[i + 1] as string]);
  for (const b of BACKGROUNDS) add('background', BACKGROUNDS, [b]);
  return out;
}

/** Renders the pool of scenes (small JPEGs: the bundled model sees 64 px) into `dir`. */
export async function renderPool(dir: string, seed: number, count = POOL): Promise<PoolPhoto[]> {
  await mkdir(dir, { recursive: true });
  const rng = new Rng(seed);
  const photos: PoolPhoto[] = [];
  const specs = Array.from({ length: count }, () => sampleScene(rng.fork(), { allowHeldOut: true, maxGroups: 1, minSide: 192, maxSide: 320 }));
  for (let i = 0; i < specs.length; i += 2) {
    await Promise.all(
      specs.slice(i, i + 2).map(async (spec, j) => {
        const file = `scene-${String(i + j).padStart(5, '0')}.jpg`;
        await writeFile(path.join(dir, file), await renderScene(spec, { format: 'jpeg' }));
        const group = spec.groups[0];
        if (!group) throw new Error('a scene without objects');
        photos[i + j] = { file, shape: group.shape, colour: group.colour, background: spec.background };
      }),
    );
  }
  return photos;
}

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  return rng.shuffle([...items]);
}

/** The experiment's library: IN_PHOTOS of its categories' values, OUT_PHOTOS of the left-out ones. */
export function chooseLibrary(pool: readonly PoolPhoto[], exp: Experiment, rng: Rng): PoolPhoto[] {
  const inside = shuffled(pool.filter((p) => exp.categories.includes(p[exp.sorting])), rng).slice(0, IN_PHOTOS);
  const outside = shuffled(pool.filter((p) => exp.leftOut.includes(p[exp.sorting])), rng).slice(0, OUT_PHOTOS);
  if (inside.length < IN_PHOTOS || outside.length < OUT_PHOTOS) throw new Error(`the pool is too small for ${exp.sorting} without ${exp.leftOut.join(', ')}`);
  return [...inside, ...outside];
}

/** A real Shoebox on a fresh data folder with `photos` indexed (hard links to the pool). */
export async function openIndexed(work: string, poolDir: string, photos: readonly PoolPhoto[]): Promise<{ core: Shoebox; library: string }> {
  const library = path.join(work, 'library');
  await mkdir(library, { recursive: true });
  for (const p of photos) await link(path.join(poolDir, p.file), path.join(library, p.file));
  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  const root = await callApi(core, 'roots.add', { path: library });
  const done = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'index.start', { rootIds: [root.id] })).jobId });
  if (done.state !== 'done') throw new Error(`indexing ended ${done.state}`);
  return { core, library };
}

/** Per category (in order) and for Unsorted (last): 5 photos drawn to be corrected. */
export function drawCorrections(photos: readonly PoolPhoto[], exp: Experiment, rng: Rng): PoolPhoto[][] {
  const most = LEVELS[LEVELS.length - 1] as number;
  const lists = exp.categories.map((v) => shuffled(photos.filter((p) => p[exp.sorting] === v), rng).slice(0, most));
  lists.push(shuffled(photos.filter((p) => exp.leftOut.includes(p[exp.sorting])), rng).slice(0, most));
  return lists;
}

export interface Figures {
  inAccuracy: number;
  outUnsorted: number;
  /** Multi-label: in its own category / in no other / out-of-category in none. */
  mlInOwn: number;
  mlOnlyOwn: number;
  mlOutNone: number;
}

async function measureExperiment(core: Shoebox, library: string, exp: Experiment, photos: readonly PoolPhoto[], rng: Rng): Promise<Figures[]> {
  for (const name of exp.categories) await callApi(core, 'categories.add', { name });
  const draws = drawCorrections(photos, exp, rng);
  const corrected = new Set(draws.flat().map((p) => p.file));
  const truth = new Map(photos.map((p) => [p.file, p[exp.sorting]]));
  const figures: Figures[] = [];
  let done = 0;
  for (const level of LEVELS) {
    for (const [i, list] of draws.entries()) {
      const paths = list.slice(done, level).map((p) => path.join(library, p.file));
      if (paths.length > 0) await callApi(core, 'sort.correct', { category: i < exp.categories.length ? (exp.categories[i] as string) : null, paths });
    }
    done = level;
    const single = await placements(core);
    await callApi(core, 'sort.mode', { multiLabel: true });
    const multi = await placements(core);
    await callApi(core, 'sort.mode', { multiLabel: false });
    let inN = 0, inOk = 0, outN = 0, outOk = 0, mlOwn = 0, mlOnly = 0, mlNone = 0;
    for (const p of photos) {
      if (corrected.has(p.file)) continue;
      const value = truth.get(p.file) as string;
      const got = single.get(p.file) ?? [];
      const gotMulti = multi.get(p.file) ?? [];
      if (exp.categories.includes(value)) {
        inN++;
        if (got.length === 1 && got[0] === value) inOk++;
        if (gotMulti.includes(value)) mlOwn++;
        if (gotMulti.length === 1 && gotMulti[0] === value) mlOnly++;
      } else {
        outN++;
        if (got.length === 0) outOk++;
        if (gotMulti.length === 0) mlNone++;
      }
    }
    figures.push({ inAccuracy: inOk / inN, outUnsorted: outOk / outN, mlInOwn: mlOwn / inN, mlOnlyOwn: mlOnly / inN, mlOutNone: mlNone / outN });
  }
  return figures;
}

/** File name → the categories sort.result put it in. */
async function placements(core: Shoebox): Promise<Map<string, string[]>> {
  const result = await callApi(core, 'sort.result', {});
  const at = new Map<string, string[]>();
  for (const c of result.categories) for (const p of c.photos) at.set(path.basename(p.path), [...(at.get(path.basename(p.path)) ?? []), c.name]);
  for (const p of result.unsorted) at.set(path.basename(p.path), []);
  return at;
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

function mean(rows: readonly Figures[]): Figures {
  const avg = (k: keyof Figures) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
  return { inAccuracy: avg('inAccuracy'), outUnsorted: avg('outUnsorted'), mlInOwn: avg('mlInOwn'), mlOnlyOwn: avg('mlOnlyOwn'), mlOutNone: avg('mlOutNone') };
}

export async function runQuality(seed: number, log: (line: string) => void = console.log): Promise<{ bySorting: Map<Sorting, Figures[][]>; seconds: number }> {
  const started = performance.now();
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-sorting-quality-'));
  try {
    const poolDir = path.join(work, 'pool');
    const pool = await renderPool(poolDir, seed);
    log(`rendered ${pool.length} scenes (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const rng = new Rng(seed ^ 0x5bd1e995);
    const bySorting = new Map<Sorting, Figures[][]>();
    for (const [i, exp] of experiments().entries()) {
      const photos = chooseLibrary(pool, exp, rng);
      const { core, library } = await openIndexed(path.join(work, `exp-${i}`), poolDir, photos);
      try {
        const figures = await measureExperiment(core, library, exp, photos, rng);
        bySorting.set(exp.sorting, [...(bySorting.get(exp.sorting) ?? []), figures]);
        log(`${exp.sorting} without ${exp.leftOut.join(', ')}: ${figures.map((f, l) => `${LEVELS[l]}: ${pct(f.inAccuracy)} / ${pct(f.outUnsorted)}`).join('; ')}`);
      } finally {
        await core.close();
      }
    }
    return { bySorting, seconds: (performance.now() - started) / 1000 };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function tableOf(bySorting: Map<Sorting, Figures[][]>): { rows: Record<string, string>[]; averages: Map<string, Figures[]> } {
  const rows: Record<string, string>[] = [];
  const averages = new Map<string, Figures[]>();
  const all: Figures[][] = [];
  for (const [sorting, exps] of bySorting) {
    all.push(...exps);
    averages.set(sorting, LEVELS.map((_, l) => mean(exps.map((e) => e[l] as Figures))));
  }
  averages.set('all three', LEVELS.map((_, l) => mean(all.map((e) => e[l] as Figures))));
  for (const [sorting, levels] of averages) {
    levels.forEach((f, l) => {
      rows.push({
        sorting,
        'corrections per category': String(LEVELS[l]),
        'in-category accuracy': pct(f.inAccuracy),
        'out-of-category left Unsorted': pct(f.outUnsorted),
        'multi-label: in its category': pct(f.mlInOwn),
        'multi-label: in it alone': pct(f.mlOnlyOwn),
        'multi-label: out-of-category in none': pct(f.mlOutNone),
      });
    });
  }
  return { rows, averages };
}

function markdown(rows: readonly Record<string, string>[]): string {
  const cols = Object.keys(rows[0] ?? {});
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(cols), line(cols.map(() => '---')), ...rows.map((r) => line(cols.map((c) => r[c] ?? '')))].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const seedArg = args.indexOf('--seed');
  const seed = seedArg >= 0 ? Number(args[seedArg + 1]) : args.includes('--tune') ? TUNING_SEED : REPORT_SEED;
  if (!Number.isInteger(seed)) throw new Error('--seed needs a whole number');
  const { bySorting, seconds } = await runQuality(seed);
  const { rows, averages } = tableOf(bySorting);
  console.table(rows);
  const zero = averages.get('all three')?.[0];
  console.log(`${seconds.toFixed(0)} s`);
  if (seed !== REPORT_SEED) {
    console.log(`seed ${seed} is not the reporting seed ${REPORT_SEED}: docs/SORTING.md left as it is`);
    return;
  }
  const lines = (sorting: string) => (averages.get(sorting) ?? []).map((f, l) => `${LEVELS[l]}: ${pct(f.inAccuracy)} / ${pct(f.outUnsorted)}`).join(', ');
  const section = [
    START,
    `Written by \`npm run sorting-quality\` (scripts/sorting-quality.ts), seed ${seed}, in ${seconds.toFixed(0)} s on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, model shoebox-mini, default strictness.`,
    `Each sorting's figures are the mean over its choices of left-out values (shape: each of the 6 shapes left out; colour: 4 pairs of colours left out; background: each of the 5 left out), ${IN_PHOTOS} in-category + ${OUT_PHOTOS} out-of-category photos per library, measured on the photos no level corrected.`,
    '',
    markdown(rows),
    '',
    `In-category accuracy / out-of-category left Unsorted, by corrections per category: shape ${lines('shape')}; colour ${lines('colour')}; background ${lines('background')}.`,
    zero ? `Zero-shot over all three: ${pct(zero.inAccuracy)} / ${pct(zero.outUnsorted)}.` : '',
    END,
  ].join('\n');
  const docPath = path.join(REPO, 'docs', 'SORTING.md');
  const doc = await readFile(docPath, 'utf8');
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/SORTING.md has no ${START} … ${END} markers`);
  await writeFile(docPath, doc.slice(0, a) + section + doc.slice(b + END.length));
  console.log('Written to docs/SORTING.md');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
