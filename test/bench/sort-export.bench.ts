// Export throughput: 1,000 real JPEG files exported by copy through the export engine (plan,
// journal in SQLite, every copy fsynced and its folder fsynced before its journal commit) beside
// `cp -r` of the same files, in one run, rounds interleaved, sources in the page cache for all.
// cp -r returns once the bytes are in the page cache; the disk writes them later. So it is also
// timed with a `sync` after it: the same bytes durable on the disk, as the export's are when it
// returns. Target: the engine within 1.5× of cp -r.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { formatBytes } from '../../electron/common/format-bytes.js';
import { startExport, type JobDeps } from '../../electron/core/export/export-job.js';
import { hashBytes } from '../../electron/core/library/hash.js';
import { JobRunner } from '../../electron/core/jobs/runner.js';
import { openStore, type Store } from '../../electron/core/store/index.js';
import type { SortAssignment } from '../../electron/core/sorting/types.js';
import { Rng, renderSceneRaw, sampleScene } from '../../electron/core/synthetic/index.js';

const FILES = 1000;
/** Distinct scenes; each is written under several names (every file a real JPEG of its own name). */
const SCENES = 100;
const ROUNDS = 5;
const CATEGORIES = ['Beach', 'Snow', 'Garden', 'Night'];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** 1600×1200 JPEGs (synthetic scenes, quality 90) in album folders; returns their paths. */
async function makePhotos(dir: string): Promise<string[]> {
  const rng = new Rng(2024);
  const scenes: Buffer[] = [];
  for (let i = 0; i < SCENES; i++) {
    const raw = await renderSceneRaw(sampleScene(rng.fork(), { minSide: 800, maxSide: 800 }));
    scenes.push(await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } }).resize(1600, 1200, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer());
  }
  const files: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const file = path.join(dir, `album-${i % 10}`, `IMG_${String(i).padStart(4, '0')}.jpg`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, scenes[i % SCENES]!);
    files.push(file);
  }
  return files;
}

/** The files as indexed photo rows of a library folder (hash and stat as the indexer records them). */
async function indexRows(store: Store, root: string, files: string[]): Promise<number[]> {
  const rootId = store.roots.add(root).id;
  const ids: number[] = [];
  for (const file of files) {
    const [bytes, st] = await Promise.all([readFile(file), stat(file)]);
    ids.push(
      store.photos.commitIndexed({
        path: file, rootId, relPath: path.relative(root, file), size: st.size, mtimeMs: st.mtimeMs, contentHash: hashBytes(bytes), thumbPath: null,
        width: 1600, height: 1200, format: 'jpeg', takenAt: null, cameraMake: null, cameraModel: null, latitude: null, longitude: null,
        embedding: { modelId: 'bench', vector: new Float32Array([1, 0, 0, 0]) },
      }),
    );
  }
  return ids;
}

function sortingOf(ids: number[]): SortAssignment {
  return {
    modelId: 'bench',
    multiLabel: false,
    categories: CATEGORIES.map((name, c) => ({ id: c + 1, name, photos: ids.filter((_, i) => i % CATEGORIES.length === c).map((photoId) => ({ photoId, confidence: 0.9, corrected: false })) })),
    unsorted: [],
  };
}

async function timeEngine(deps: JobDeps, assignment: SortAssignment, dest: string): Promise<number> {
  const started = performance.now();
  const { jobId } = await startExport(deps, async () => assignment, { mode: 'copy', destination: dest });
  const finished = await deps.jobs.outcomeOf(jobId);
  const seconds = (performance.now() - started) / 1000;
  if (finished?.kind !== 'sort-export' || finished.outcome.state !== 'done' || finished.outcome.value.done !== FILES) {
    throw new Error(`the bench export did not copy every file: ${JSON.stringify(finished?.outcome)}`);
  }
  return seconds;
}

/** Writes every dirty page back (sync(1)), outside the timings. */
function flush(): void {
  spawnSync('sync');
}

/** Seconds for `cp -r` (and, with `durable`, the sync(1) that puts its bytes on the disk). */
function timeCp(from: string, to: string, durable = false): number {
  const started = performance.now();
  const r = spawnSync('cp', ['-r', from, to]);
  if (r.status !== 0) throw new Error(`cp -r failed: ${r.stderr.toString()}`);
  if (durable) flush();
  return (performance.now() - started) / 1000;
}

export async function runSortExportBench(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-bench-export-'));
  try {
    const library = path.join(work, 'library');
    const files = await makePhotos(library);
    const bytes = (await Promise.all(files.map((f) => stat(f)))).reduce((n, s) => n + s.size, 0);
    const store = openStore(path.join(work, 'data', 'library.sqlite'));
    const deps: JobDeps = { store, paths: { root: path.join(work, 'data') }, jobs: new JobRunner(store.jobs) };
    const assignment = sortingOf(await indexRows(store, library, files));
    const engine: number[] = [];
    const cp: number[] = [];
    const cpSync: number[] = [];
    const ratios: number[] = [];
    const syncRatios: number[] = [];
    timeCp(library, path.join(work, 'warm-up')); // both read the sources from the page cache
    for (let r = 0; r < ROUNDS; r++) {
      // Each starts with nothing left to write back: cp's dirty pages would otherwise be flushed
      // by the engine's first fsync and counted against it.
      flush();
      const c = timeCp(library, path.join(work, `cp-${r}`));
      flush();
      const cs = timeCp(library, path.join(work, `cp-sync-${r}`), true);
      flush();
      const e = await timeEngine(deps, assignment, path.join(work, `export-${r}`));
      cp.push(c);
      cpSync.push(cs);
      engine.push(e);
      ratios.push(e / c);
      syncRatios.push(e / cs);
      for (const dir of [`cp-${r}`, `cp-sync-${r}`, `export-${r}`]) await rm(path.join(work, dir), { recursive: true });
    }
    store.close();
    console.log(`\nExport by copy: ${FILES} JPEG files (1600×1200, ${formatBytes(bytes)}), ${ROUNDS} interleaved rounds, medians`);
    const row = (what: string, xs: number[]): Record<string, string> => ({ what, seconds: median(xs).toFixed(2), 'files/s': (FILES / median(xs)).toFixed(0) });
    console.table([row('cp -r (page cache only)', cp), row('cp -r, then sync (durable)', cpSync), row('shoebox export --copy (plan, journal, fsync)', engine)]);
    const per = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(', ');
    console.log(`Engine ÷ cp -r: ${median(ratios).toFixed(2)}× (per round: ${per(ratios)}; target ≤ 1.5×)`);
    console.log(`Engine ÷ (cp -r, then sync): ${median(syncRatios).toFixed(2)}× (per round: ${per(syncRatios)})`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSortExportBench();
