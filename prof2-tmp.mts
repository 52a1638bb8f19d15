import { rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startExport } from './electron/core/export/export-job.js';
import { JobRunner } from './electron/core/jobs/runner.js';
import { openStore } from './electron/core/store/index.js';
const work = '/tmp/prof';
const store = openStore(path.join(work, 'data', 'library.sqlite'));
const ids = (store.db.prepare('SELECT id FROM photos ORDER BY id').pluck().all() as number[]);
const a = { modelId: 'b', multiLabel: false, categories: ['A','B','C','D'].map((name, c) => ({ id: c+1, name, photos: ids.filter((_, i) => i % 4 === c).map((photoId) => ({ photoId, confidence: 0.9, corrected: false })) })), unsorted: [] };
const deps = { store, paths: { root: path.join(work, 'data') }, jobs: new JobRunner(store.jobs) };
for (let r = 0; r < 5; r++) {
  spawnSync('sync');
  let t = performance.now();
  spawnSync('cp', ['-r', path.join(work, 'library'), path.join(work, `cpx${r}`)]);
  const cp = performance.now() - t;
  spawnSync('sync');
  t = performance.now();
  const { jobId } = await startExport(deps, async () => a, { mode: 'copy', destination: path.join(work, `outx${r}`) });
  const t1 = performance.now() - t;
  await deps.jobs.outcomeOf(jobId);
  const e = performance.now() - t;
  console.log('cp', cp.toFixed(0), 'start', t1.toFixed(0), 'engine', e.toFixed(0), (e/cp).toFixed(2));
  await rm(path.join(work, `cpx${r}`), { recursive: true });
}
