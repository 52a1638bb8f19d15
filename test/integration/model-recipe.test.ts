// Smoke test of the training recipe end to end on a tiny dataset: build-dataset.ts → train.py (2 steps)
// → export.py → the exported folder loads and runs through the app's path. Needs python3 with
// torch (CI installs python3-torch); without it the test is skipped with the reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadOnnxClip } from '../../models/recipe/onnx-model.js';

/** A python interpreter that can import torch: $SHOEBOX_PYTHON, python3, or Debian's /usr/bin/python3. */
function findTorchPython(): string | null {
  const candidates = [process.env.SHOEBOX_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

const python = findTorchPython();

test('recipe smoke run: dataset, 2 training steps, ONNX export, app-path inference', { skip: python === null ? 'python3 with torch is not installed (apt install python3-torch)' : false, timeout: 120_000 }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-recipe-'));
  try {
    const model = path.join(dir, 'model');
    await cp('models/shoebox-mini/textual', path.join(model, 'textual'), { recursive: true });
    const data = path.join(dir, 'data');
    const run = path.join(dir, 'run');
    const tsx = path.resolve('node_modules/.bin/tsx');
    execFileSync(tsx, ['models/recipe/build-dataset.ts', '--out', data, '--model', model, '--train', '32', '--captions', '2',
      '--heldout-per-combo', '2', '--generic', '8', '--context-length', '24'], { stdio: 'pipe' });
    const log = execFileSync(python as string, ['models/recipe/train.py', '--data', data, '--out', run, '--steps', '2',
      '--batch', '8', '--eval-every', '2', '--warmup', '1'], { encoding: 'utf8' });
    const done = JSON.parse(log.trim().split('\n').at(-1) as string) as { event: string; steps: number };
    assert.equal(done.event, 'done');
    assert.equal(done.steps, 2);
    execFileSync(python as string, ['models/recipe/export.py', '--checkpoint', path.join(run, 'checkpoint.pt'), '--out', model,
      '--fixture', path.join(dir, 'fixture'), '--data', data], { stdio: 'pipe' });
    const manifest = JSON.parse(await readFile(path.join(model, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    assert.ok(manifest.files.some((f) => f.path === 'visual/model.onnx'));
    const clip = await loadOnnxClip(model);
    const t = await clip.embedTexts(['a red star', 'two blue circles']);
    assert.equal(t.length, 2 * clip.dim);
    assert.ok(Number.isFinite(t[0]));
    await clip.release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
