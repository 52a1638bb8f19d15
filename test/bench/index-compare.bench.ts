// `shoebox index` as a person runs it, beside an idiomatic Transformers.js loop, in one run on the
// same 96 camera-sized JPEGs and the same weights (an untrained net of ViT-B/32's exact shapes,
// exported by models/recipe/export.py in the Hugging Face layout and in Immich's with the image
// tower's batch fixed at 1). Interleaved rounds (each runs every variant once, the order rotated
// each round), medians:
//   Transformers.js   transformers-js-loop.ts in a fresh process, batch 1 and 8, HF folder
//   shoebox index     `node bin/shoebox.mjs index …` (the installed command: the compiled build
//                     when current, else tsx) with a fresh data folder, HF folder and batch-1
//                     folder; its --json timings give the steady rate (first batch encoded → last
//                     photo committed, as for Transformers.js: first batch → last), and
//                     a one-photo job the fixed cost (process start → first photo encoded)
//   decode only       preparePhoto, 4 in flight (as indexing.bench.ts)
//   encode only       the inference worker on ready tensors, batch 1 and 8
// and the shared-CPU bound 1 / (1/decode + 1/encode): on 2 cores both stages need the same cores.
//   npx tsx test/bench/index-compare.bench.ts
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createInferenceClient } from '../../electron/core/clip/inference-client.js';
import { loadModelFolder } from '../../electron/core/clip/model-folder.js';
import type { IndexSummary } from '../../electron/core/library/index-job.js';
import type { PreprocessConfig } from '../../electron/core/imaging/decode.js';
import { decodeAll, makePhotos, timeIt } from './indexing.bench.js';
import { quantizeDynamicInt8 } from '../../electron/core/onnx/index.js';
import { median } from '../../electron/core/stats.js';

/** What transformers-js-loop.mjs prints (ms since its process started). */
interface LoopTimings {
  images: number;
  loadedMs: number;
  firstMs: number;
  lastMs: number;
}

const repo = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const FOLDERS = {
  hf: { dir: path.join(repo, '.cache', 'vit-b32-random-hf'), export: 'python3 models/recipe/export.py --vit-b32-random --layout hf --out .cache/vit-b32-random-hf' },
  b1: { dir: path.join(repo, '.cache', 'vit-b32-random-b1'), export: 'python3 models/recipe/export.py --vit-b32-random --layout immich-b1 --out .cache/vit-b32-random-b1' },
};
const ROUNDS = 3;
const CHILD_TIMEOUT_MS = 10 * 60_000;

/** Named figures from one run of a variant; each is reported as its median over the rounds. */
type Figures = Record<string, number>;

interface Variant {
  name: string;
  run(): Promise<Figures>;
}

export interface IndexCompareRow {
  what: string;
  folder: string;
  batch: string;
  /** Photos per second over the whole process (start to exit), or over the stage alone. */
  perS: number;
  /** (N − 1) / (T_N − T_1): photos per second once the process and model are loaded; NaN for stages. */
  perPhotoPerS: number;
}

/** Runs a Node process the way a person would, returning its stdout and the wall-clock seconds to exit. */
async function node(args: string[]): Promise<{ stdout: string; seconds: number }> {
  const [{ stdout }, seconds] = await timeIt(() => run(process.execPath, args, { cwd: repo, maxBuffer: 16 << 20, timeout: CHILD_TIMEOUT_MS }));
  return { stdout, seconds };
}

async function transformersJs(files: string[], batch: number): Promise<Figures> {
  const { stdout, seconds } = await node([path.join(import.meta.dirname, 'transformers-js-loop.mjs'), FOLDERS.hf.dir, String(batch), ...files]);
  const t = JSON.parse(stdout.trim().split('\n').at(-1)!) as LoopTimings;
  if (t.images !== files.length) throw new Error(`Transformers.js embedded ${t.images} of ${files.length} photos`);
  return { wallS: seconds, toLastS: t.lastMs / 1000 };
}

/**
 * `shoebox index <photos> --data-dir <fresh> --model <folder> --json`: wall-clock seconds to exit,
 * and from the job's timings the steady rate (the photos after the first batch, over the first
 * batch encoded → the last commit), the seconds from the process start to the first photo encoded,
 * and the tower's own load time.
 */
async function shoeboxIndex(photosDir: string, count: number, modelDir: string): Promise<Figures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-bench-data-'));
  try {
    const { stdout, seconds } = await node(['bin/shoebox.mjs', 'index', photosDir, '--data-dir', dataDir, '--model', modelDir, '--json']);
    const { indexed, timings: t } = JSON.parse(stdout) as IndexSummary;
    if (indexed !== count) throw new Error(`shoebox index embedded ${indexed} of ${count} photos with ${modelDir}`);
    if (t.firstEncoded === null) throw new Error(`shoebox index reported no encoding timings with ${modelDir}`);
    return { wallS: seconds, toFirstEncodedS: t.jobStartedAfter + t.firstEncoded, towerLoadS: t.towerLoad, encoderIdleS: t.encoderIdle, decodersBlockedS: t.decodersBlocked };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The HF folder with both towers quantised by Shoebox (what `shoebox models quantize` installs). */
async function int8Copy(work: string): Promise<string> {
  const dir = path.join(work, 'vit-b32-random-hf-int8');
  await cp(FOLDERS.hf.dir, dir, { recursive: true, filter: (src) => !src.endsWith('.onnx') });
  for (const tower of ['vision_model.onnx', 'text_model.onnx']) await quantizeDynamicInt8(path.join(FOLDERS.hf.dir, 'onnx', tower), path.join(dir, 'onnx', tower));
  return dir;
}

/** Images per second through the inference worker at `batch`, on copies of ready tensors (one warm-up call first). */
async function encodeRate(modelDir: string, tensors: Float32Array[], batches: number[]): Promise<Figures> {
  const client = await createInferenceClient({ modelDir });
  const figures: Figures = {};
  try {
    for (const batch of batches) {
      await client.encodeImages(tensors.slice(0, batch).map((t) => t.slice()));
      const calls: Float32Array[][] = [];
      for (let i = 0; i < tensors.length; i += batch) calls.push(tensors.slice(i, i + batch).map((t) => t.slice()));
      const [, seconds] = await timeIt(async () => {
        for (const c of calls) await client.encodeImages(c);
      });
      figures[`b${batch}`] = tensors.length / seconds;
    }
  } finally {
    await client.close();
  }
  return figures;
}

function variants(files: string[], photosDir: string, onePhotoDir: string, int8Dir: string, preprocess: PreprocessConfig, tensors: Float32Array[]): Variant[] {
  const dirs = { hf: FOLDERS.hf.dir, b1: FOLDERS.b1.dir, int8: int8Dir };
  const shoebox = (folder: keyof typeof dirs, one: boolean) => (): Promise<Figures> => shoeboxIndex(one ? onePhotoDir : photosDir, one ? 1 : files.length, dirs[folder]);
  return [
    { name: 'tjs-b1', run: () => transformersJs(files, 1) },
    { name: 'tjs-b8', run: () => transformersJs(files, 8) },
    { name: 'tjs-one', run: () => transformersJs(files.slice(0, 1), 1) },
    { name: 'shoebox-hf', run: shoebox('hf', false) },
    { name: 'shoebox-int8', run: shoebox('int8', false) },
    { name: 'shoebox-b1', run: shoebox('b1', false) },
    { name: 'one-photo-hf', run: shoebox('hf', true) },
    { name: 'one-photo-int8', run: shoebox('int8', true) },
    { name: 'one-photo-b1', run: shoebox('b1', true) },
    { name: 'decode', run: async () => ({ perS: files.length / (await timeIt(() => decodeAll(files, preprocess, 4)))[1] }) },
    { name: 'encode-hf', run: () => encodeRate(FOLDERS.hf.dir, tensors, [1, 8]) },
    { name: 'encode-int8', run: () => encodeRate(int8Dir, tensors, [8]) },
    { name: 'encode-b1', run: () => encodeRate(FOLDERS.b1.dir, tensors, [1]) },
  ];
}

/** Every variant once per round, the order rotated by one each round; the median of each figure. */
async function interleaved(list: Variant[], rounds: number): Promise<Map<string, Figures>> {
  const samples = new Map<string, Figures[]>(list.map((v) => [v.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < list.length; k++) {
      const v = list[(k + r) % list.length]!;
      samples.get(v.name)!.push(await v.run());
    }
  }
  const medians = new Map<string, Figures>();
  for (const [name, runs] of samples) {
    medians.set(name, Object.fromEntries(Object.keys(runs[0]!).map((key) => [key, median(runs.map((f) => f[key]!))])));
  }
  return medians;
}

export async function runIndexCompareBench(opts: { photos?: number; rounds?: number } = {}): Promise<IndexCompareRow[]> {
  const missing = Object.values(FOLDERS).filter((f) => !existsSync(path.join(f.dir, 'config.json')));
  if (missing.length > 0) {
    console.log(`(skipped the Shoebox vs Transformers.js comparison: model folders not exported; make them with: ${missing.map((f) => f.export).join(' && ')})`);
    return [];
  }
  const count = opts.photos ?? 96;
  const rounds = opts.rounds ?? ROUNDS;
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-bench-compare-'));
  try {
    const photosDir = path.join(work, 'photos');
    const onePhotoDir = path.join(work, 'one');
    await mkdir(photosDir);
    await mkdir(onePhotoDir);
    const files = await makePhotos(photosDir, count, 4000, 3000);
    await copyFile(files[0]!, path.join(onePhotoDir, path.basename(files[0]!)));
    const { preprocess } = await loadModelFolder(FOLDERS.hf.dir);
    const tensors = await decodeAll(files, preprocess, 4); // also warms the file cache and sharp
    // Warm-up, not measured: tsx's compile cache and the model files in the page cache.
    await transformersJs(files.slice(0, 1), 1);
    for (const folder of ['hf', 'b1'] as const) await shoeboxIndex(onePhotoDir, 1, FOLDERS[folder].dir);

    const int8Dir = await int8Copy(work);
    await shoeboxIndex(onePhotoDir, 1, int8Dir);
    const m = await interleaved(variants(files, photosDir, onePhotoDir, int8Dir, preprocess, tensors), rounds);
    return report(m, count, rounds);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function report(m: Map<string, Figures>, count: number, rounds: number): IndexCompareRow[] {
  const f = (name: string): Figures => m.get(name)!;
  const decode = f('decode').perS!;
  const bound = (encode: number): number => 1 / (1 / decode + 1 / encode);
  const process = (name: string, one: string): { perS: number; perPhotoPerS: number } => ({
    perS: count / f(name).wallS!,
    perPhotoPerS: (count - 1) / (f(name).wallS! - f(one).wallS!),
  });
  const stage = (perS: number): { perS: number; perPhotoPerS: number } => ({ perS, perPhotoPerS: NaN });
  const rows: IndexCompareRow[] = [
    { what: 'Transformers.js loop', folder: 'hf', batch: '1', ...process('tjs-b1', 'tjs-one') },
    { what: 'Transformers.js loop', folder: 'hf', batch: '8', ...process('tjs-b8', 'tjs-one') },
    { what: 'shoebox index', folder: 'hf', batch: '8 (dynamic)', ...process('shoebox-hf', 'one-photo-hf') },
    { what: 'shoebox index', folder: 'hf, int8 copy', batch: '8 (dynamic)', ...process('shoebox-int8', 'one-photo-int8') },
    { what: 'shoebox index', folder: 'immich b1', batch: '1 (fixed)', ...process('shoebox-b1', 'one-photo-b1') },
    { what: 'decode only', folder: '-', batch: '-', ...stage(decode) },
    { what: 'encode only', folder: 'hf', batch: '1', ...stage(f('encode-hf').b1!) },
    { what: 'encode only', folder: 'hf', batch: '8', ...stage(f('encode-hf').b8!) },
    { what: 'encode only', folder: 'hf, int8 copy', batch: '8', ...stage(f('encode-int8').b8!) },
    { what: 'encode only', folder: 'immich b1', batch: '1', ...stage(f('encode-b1').b1!) },
    { what: 'shared-CPU bound 1/(1/decode + 1/encode)', folder: 'hf', batch: '8', ...stage(bound(f('encode-hf').b8!)) },
    { what: 'shared-CPU bound 1/(1/decode + 1/encode)', folder: 'hf, int8 copy', batch: '8', ...stage(bound(f('encode-int8').b8!)) },
    { what: 'shared-CPU bound 1/(1/decode + 1/encode)', folder: 'immich b1', batch: '1', ...stage(bound(f('encode-b1').b1!)) },
  ];
  const fixed = (v: number): string => (Number.isNaN(v) ? '-' : v.toFixed(1));
  console.log(`\nIndexing: shoebox index vs an idiomatic Transformers.js loop (photos/s; ${count} × 4000×3000 JPEG q90; ViT-B/32 shapes, untrained, CPU; medians of ${rounds} interleaved rounds)`);
  console.table(rows.map((r) => ({ what: r.what, folder: r.folder, batch: r.batch, 'start → exit': fixed(r.perS), 'per photo once running': fixed(r.perPhotoPerS) })));

  const [tjs1, tjs8, hf, int8, b1] = rows;
  const tjsBest = tjs1!.perPhotoPerS >= tjs8!.perPhotoPerS ? tjs1! : tjs8!;
  const [boundHf, boundInt8, boundB1] = [rows[10]!.perS, rows[11]!.perS, rows[12]!.perS];
  const ratio = (what: string, a: IndexCompareRow, b: number, bWhole = b): Record<string, string> => ({
    ratio: what,
    'per photo once running': (a.perPhotoPerS / b).toFixed(2),
    'start → exit': (a.perS / bWhole).toFixed(2),
  });
  console.log(`\nRatios (same run; targets: ≥ 0.9 of the bound, ≥ 2× the faster Transformers.js variant, batch ${tjsBest.batch})`);
  console.table([
    ratio('shoebox index hf ÷ shared-CPU bound (batch 8)', hf!, boundHf),
    ratio('shoebox index hf int8 ÷ its shared-CPU bound (batch 8)', int8!, boundInt8),
    ratio('shoebox index immich b1 ÷ shared-CPU bound (batch 1)', b1!, boundB1),
    ratio('shoebox index hf ÷ faster Transformers.js', hf!, tjsBest.perPhotoPerS, tjsBest.perS),
    ratio('shoebox index hf int8 ÷ faster Transformers.js', int8!, tjsBest.perPhotoPerS, tjsBest.perS),
    ratio('shoebox index immich b1 ÷ faster Transformers.js', b1!, tjsBest.perPhotoPerS, tjsBest.perS),
  ]);

  console.log('\nFixed cost of a one-photo `shoebox index` (fresh data folder; seconds; target: first photo encoded ≤ 0.5 s beyond the tower load)');
  console.table(
    (['hf', 'int8', 'b1'] as const).map((folder) => {
      const one = f(`one-photo-${folder}`);
      return {
        folder: { hf: 'hf', int8: 'hf, int8 copy', b1: 'immich b1' }[folder],
        'start → exit': one.wallS!.toFixed(2),
        'start → first photo encoded': one.toFirstEncodedS!.toFixed(2),
        'image tower load': one.towerLoadS!.toFixed(2),
        'beyond the tower load': (one.toFirstEncodedS! - one.towerLoadS!).toFixed(2),
      };
    }),
  );
  console.log(`Transformers.js, one photo: ${f('tjs-one').wallS!.toFixed(2)} s start → exit.`);
  console.log(
    `Where the 96-photo jobs waited (s, medians): encoder idle hf ${f('shoebox-hf').encoderIdleS!.toFixed(2)}, b1 ${f('shoebox-b1').encoderIdleS!.toFixed(2)}; ` +
      `decoders blocked (summed over 4) hf ${f('shoebox-hf').decodersBlockedS!.toFixed(1)}, b1 ${f('shoebox-b1').decodersBlockedS!.toFixed(1)}`,
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runIndexCompareBench();
