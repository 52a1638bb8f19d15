// CLIP encoder speed, in-process vs in the inference worker, side by side in one run:
//   image encoder images/s at batch 1 and batch 8, text encoder ms per single query (best of 3),
//   and the longest stall of the calling thread's event loop while images are encoded
//   (why inference runs in a worker); plus in-process with ONNX Runtime's thread spinning on (the
//   default is off, see providers.ts).
// Models: the bundled shoebox-mini and, when exported, the untrained ViT-B/32-shaped net;
// or the folders given as arguments. CPU provider, threads = cores unless SHOEBOX_THREADS.
//   npx tsx test/bench/clip-inference.bench.ts [modelDir …]
import { existsSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openClipModel } from '../../electron/core/clip/clip-model.js';
import { createInferenceClient } from '../../electron/core/clip/inference-client.js';
import { loadModelFolder } from '../../electron/core/clip/model-folder.js';

const repo = path.resolve(import.meta.dirname, '../..');

export interface ClipBenchRow {
  model: string;
  where: 'in-process' | 'in-process, spinning' | 'worker';
  imagesPerS1: number;
  imagesPerS8: number;
  textMsPerQuery: number;
  maxLoopStallMs: number;
}

interface Encoders {
  images(batch: Float32Array[]): Promise<Float32Array[]>;
  texts(texts: string[]): Promise<Float32Array[]>;
}

const QUERIES = ['a dog on the beach', 'two red apples on a table', 'sunset over the sea', 'a child with a kite'];

function makeImages(count: number, pixels: number): Float32Array[] {
  return Array.from({ length: count }, (_, k) => Float32Array.from({ length: pixels }, (_, i) => Math.sin(i * 0.001 * (k + 1))));
}

/** Images per second over `total` images sent `batch` at a time (fresh arrays, as the worker takes them). */
async function imageRate(enc: Encoders, pixels: number, batch: number, total: number): Promise<{ rate: number; stall: number }> {
  const calls = Array.from({ length: Math.ceil(total / batch) }, () => makeImages(batch, pixels));
  await enc.images(makeImages(batch, pixels)); // warm-up at this batch size
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  for (const c of calls) await enc.images(c);
  const ms = performance.now() - t0;
  loop.disable();
  return { rate: (calls.length * batch * 1000) / ms, stall: loop.max / 1e6 };
}

async function textMs(enc: Encoders, rounds: number): Promise<number> {
  await enc.texts([QUERIES[0] as string]);
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await enc.texts([QUERIES[i % QUERIES.length] as string]);
  return (performance.now() - t0) / rounds;
}

/** Best of three trials per figure: on a shared 2-core machine the best trial is the least disturbed. */
async function measure(model: string, where: ClipBenchRow['where'], enc: Encoders, pixels: number, total: number): Promise<ClipBenchRow> {
  const row: ClipBenchRow = { model, where, imagesPerS1: 0, imagesPerS8: 0, textMsPerQuery: Infinity, maxLoopStallMs: 0 };
  for (let trial = 0; trial < 3; trial++) {
    const one = await imageRate(enc, pixels, 1, total);
    const eight = await imageRate(enc, pixels, 8, total);
    row.imagesPerS1 = Math.max(row.imagesPerS1, one.rate);
    row.imagesPerS8 = Math.max(row.imagesPerS8, eight.rate);
    row.textMsPerQuery = Math.min(row.textMsPerQuery, await textMs(enc, 100));
    row.maxLoopStallMs = Math.max(row.maxLoopStallMs, one.stall, eight.stall);
  }
  return row;
}

export async function runClipBench(dirs?: string[]): Promise<ClipBenchRow[]> {
  const candidates = dirs?.length ? dirs : [path.join(repo, 'models', 'shoebox-mini'), path.join(repo, '.cache', 'vit-b32-random')];
  const threads = process.env.SHOEBOX_THREADS ? Number(process.env.SHOEBOX_THREADS) : undefined;
  const rows: ClipBenchRow[] = [];
  for (const dir of candidates) {
    if (!existsSync(dir)) {
      console.log(`(skipped ${path.basename(dir)}: not there)`);
      continue;
    }
    const folder = await loadModelFolder(dir);
    const pixels = 3 * folder.imageSize * folder.imageSize;
    const options = { provider: 'cpu', ...(threads ? { threads } : {}) };
    const total = folder.imageSize >= 200 ? 24 : 512;
    for (const spinning of [false, true]) {
      const local = await openClipModel(dir, { ...options, spinning });
      const enc: Encoders = { images: (b) => local.image.encode(b), texts: async (t) => (await local.text()).encode(t) };
      rows.push(await measure(folder.id, spinning ? 'in-process, spinning' : 'in-process', enc, pixels, total));
      await local.close();
    }
    const client = await createInferenceClient({ modelDir: dir, ...options });
    rows.push(await measure(folder.id, 'worker', { images: (b) => client.encodeImages(b), texts: (t) => client.encodeTexts(t) }, pixels, total));
    console.log(`${folder.id}: ${folder.imageSize}px, embed ${folder.embedDim}, batch ${client.info().batch}, threads ${client.info().threads}`);
    await client.close();
  }
  console.table(
    rows.map((r) => ({
      model: r.model,
      where: r.where,
      'img/s b1': r.imagesPerS1.toFixed(1),
      'img/s b8': r.imagesPerS8.toFixed(1),
      'text ms': r.textMsPerQuery.toFixed(2),
      'max loop stall ms': r.maxLoopStallMs.toFixed(1),
    })),
  );
  for (let i = 0; i + 2 < rows.length; i += 3) {
    const [a, b] = [rows[i] as ClipBenchRow, rows[i + 2] as ClipBenchRow];
    console.log(
      `${a.model} worker ÷ in-process: b1 ${(b.imagesPerS1 / a.imagesPerS1).toFixed(2)}, b8 ${(b.imagesPerS8 / a.imagesPerS8).toFixed(2)}, ` +
        `text ${(b.textMsPerQuery / a.textMsPerQuery).toFixed(2)} (time)`,
    );
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runClipBench(process.argv.slice(2));
