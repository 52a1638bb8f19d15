// Models: (1) image-embedding throughput of the same real-architecture test CLIP
// (test/fixtures/clip-layouts) exported with its batch axis fixed at 1 (Immich's layout) and
// with a dynamic batch (Transformers.js layout, batches of 8); (2) a model download through
// Shoebox's Hub client (listing, resolve + redirect, streaming sha256 + git-blob/LFS checks,
// staging, rename) beside a plain fetch of the same bytes from the same local server, to show
// what verification costs (the server runs in a child process, as a real Hub runs elsewhere).
// Rounds are interleaved; medians are reported.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openClipModel } from '../../electron/core/clip/clip-model.js';
import { preparePhoto } from '../../electron/core/imaging/decode.js';
import { downloadHubRepo } from '../../electron/core/models/hub/index.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/clip-layouts');
const ROUNDS = 3;
/** Downloads vary from one round to the next: more rounds, and the ratio taken per round. */
const DOWNLOAD_ROUNDS = 7;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function embeddingBench(): Promise<void> {
  const immich = await openClipModel(path.join(FIXTURES, 'immich'), { provider: 'cpu', threads: 2 });
  const hf = await openClipModel(path.join(FIXTURES, 'hf'), { provider: 'cpu', threads: 2, imageBatchSize: 8 });
  try {
    const files = ['landscape.jpg', 'portrait.png', 'detail.jpg', 'small.png'];
    const one = await Promise.all(files.map(async (f) => (await preparePhoto(path.join(FIXTURES, 'images', f), immich.folder.preprocess)).pixels));
    const images = Array.from({ length: 64 }, (_, i) => one[i % one.length]!);
    const rates: Record<string, number[]> = { immich: [], hf: [] };
    await immich.image.encode(images.slice(0, 2)); // warm-up
    await hf.image.encode(images.slice(0, 8));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, model] of [['immich', immich], ['hf', hf]] as const) {
        const started = performance.now();
        await model.image.encode(images.map((p) => p.slice()));
        rates[name]!.push(images.length / ((performance.now() - started) / 1000));
      }
    }
    const fixed = median(rates.immich!);
    const dynamic = median(rates.hf!);
    console.log('Image embedding, test CLIP (ViT 224 px, width 64, 2 layers), 64 images, CPU 2 threads, median of 3 interleaved rounds');
    console.table([
      { export: 'Immich layout, batch fixed at 1', batch: 1, 'images/s': fixed.toFixed(1) },
      { export: 'HF layout, dynamic batch', batch: 8, 'images/s': dynamic.toFixed(1) },
    ]);
    console.log(`dynamic batch ÷ fixed batch 1: ${(dynamic / fixed).toFixed(2)}×. No int8 variant of the test model: Debian's Python has no onnxruntime quantiser.`);
  } finally {
    await immich.close();
    await hf.close();
  }
}

/** Starts test/bench/hub-serve.ts in a child process and waits for its endpoint. */
async function startHubProcess(mib: number): Promise<{ endpoint: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'hub-serve.ts'), String(mib)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`the bench Hub exited (${code}) before it started`)));
  });
  return { endpoint: (JSON.parse(line) as { endpoint: string }).endpoint, stop: () => child.stdin.end() };
}

async function downloadBench(): Promise<void> {
  const mib = 256;
  const size = mib * 2 ** 20;
  const hub = await startHubProcess(mib);
  // In memory where the system has a tmpfs: the disk's own ups and downs (rounds varied from -42 %
  // to +256 % on this machine's shared disk) would hide what the client itself costs.
  const work = await mkdtemp(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'shoebox-bench-download-'));
  const times: Record<'fetch' | 'plain' | 'shoebox', number[]> = { fetch: [], plain: [], shoebox: [] };
  try {
    // The CDN URL the Hub redirects to, fetched directly: bytes to disk and nothing else.
    const resolve = await fetch(`${hub.endpoint}/bench/model/resolve/main/visual/model.onnx`, { redirect: 'manual' });
    const cdnUrl = new URL(resolve.headers.get('location')!, hub.endpoint).href;
    for (let r = 0; r < DOWNLOAD_ROUNDS; r++) {
      let started = performance.now();
      const res = await fetch(cdnUrl);
      await pipeline(Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream), createWriteStream(path.join(work, `plain-${r}`)));
      times.fetch.push(performance.now() - started);

      started = performance.now();
      await new Promise<void>((resolve, reject) =>
        http.get(cdnUrl, (response) => pipeline(response, createWriteStream(path.join(work, `plain-${r}`))).then(resolve, reject)).on('error', reject),
      );
      times.plain.push(performance.now() - started);

      started = performance.now();
      await downloadHubRepo({ repo: 'bench/model', endpoint: hub.endpoint, env: {}, destDir: path.join(work, `model-${r}`), stagingDir: path.join(work, 'staging') });
      times.shoebox.push(performance.now() - started);
      await rm(path.join(work, `model-${r}`), { recursive: true, force: true });
      await rm(path.join(work, `plain-${r}`), { force: true });
    }
    const mbps = (ms: number): string => (size / 2 ** 20 / (ms / 1000)).toFixed(0);
    const fetched = median(times.fetch);
    const plain = median(times.plain);
    const shoebox = median(times.shoebox);
    console.log(`Download of a ${mib} MiB model file (LFS) from a local Hub in another process, median of ${DOWNLOAD_ROUNDS} interleaved rounds`);
    console.table([
      { client: 'global fetch() streamed to a file', 'MiB/s': mbps(fetched), ms: fetched.toFixed(0) },
      { client: 'node:http GET piped to a file', 'MiB/s': mbps(plain), ms: plain.toFixed(0) },
      { client: 'Shoebox (listing, redirect, sha256 + size checks, staging, rename)', 'MiB/s': mbps(shoebox), ms: shoebox.toFixed(0) },
    ]);
    // Each round's Shoebox time over the faster plain client of the same round (neighbours in time
    // share the disk's mood), then the median of those ratios.
    const ratios = times.shoebox.map((t, r) => t / Math.min(times.fetch[r]!, times.plain[r]!));
    console.log(
      `verification overhead: ${((median(ratios) - 1) * 100).toFixed(1)} % over the faster plain client of the same round ` +
        `(median of ${DOWNLOAD_ROUNDS}; rounds ranged ${((Math.min(...ratios) - 1) * 100).toFixed(0)} to ${((Math.max(...ratios) - 1) * 100).toFixed(0)} %; target ≤ 10 %)`,
    );
  } finally {
    hub.stop();
    await rm(work, { recursive: true, force: true });
  }
}

export async function runModelsBench(): Promise<void> {
  await embeddingBench();
  await downloadBench();
}
