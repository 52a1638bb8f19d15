import { mkdir, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { planExport } from './electron/core/export/plan.js';
import { runExport } from './electron/core/export/run.js';
import { hashBytes } from './electron/core/library/hash.js';
import { openStore } from './electron/core/store/index.js';
const work = '/tmp/prof'; await rm(work, { recursive: true, force: true });
const lib = path.join(work, 'library'); await mkdir(lib, { recursive: true });
const store = openStore(path.join(work, 'data', 'library.sqlite'));
const rootId = store.roots.add(lib).id; const ids: number[] = [];
for (const f of await readdir('/tmp/cpb/src')) {
  const file = path.join(lib, f); await writeFile(file, await readFile(path.join('/tmp/cpb/src', f)));
  const st = await stat(file);
  ids.push(store.photos.commitIndexed({ path: file, rootId, relPath: f, size: st.size, mtimeMs: st.mtimeMs, contentHash: hashBytes(await readFile(file)), thumbPath: null, width: 1, height: 1, format: 'jpeg', takenAt: null, cameraMake: null, cameraModel: null, latitude: null, longitude: null, embedding: { modelId: 'b', vector: new Float32Array([1,0,0,0]) } }));
}
const a = { modelId: 'b', multiLabel: false, categories: ['A','B','C','D'].map((name, c) => ({ id: c+1, name, photos: ids.filter((_, i) => i % 4 === c).map((photoId) => ({ photoId, confidence: 0.9, corrected: false })) })), unsorted: [] };
for (let r = 0; r < 6; r++) {
spawnSync('sync');
let t = performance.now();
spawnSync('cp', ['-r', lib, path.join(work, `cp${r}`)]);
const cp = performance.now() - t;
spawnSync('sync');
t = performance.now();
const plan = await planExport({ store, dataDir: path.join(work, 'data') }, a, { mode: 'copy', destination: path.join(work, `out${r}`) });
const id = store.exports.create({ mode: 'copy', destination: plan.destination, modelId: 'b', rootPath: null, newFolders: plan.newFolders }, plan.items);
await runExport({ store, paths: { root: path.join(work, 'data') } }, id, false, { jobId: 1, signal: new AbortController().signal, progress: () => {} });
const e = performance.now() - t;
console.log('cp', cp.toFixed(0), 'engine', e.toFixed(0), (e/cp).toFixed(2));
}
