// Execution-provider preference per platform, overrides, and real fallback in ONNX Runtime: on this
// machine (no CUDA libraries, no DirectML) the preferred providers fail and CPU takes over, with the
// reason recorded.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadOrt } from '../../electron/core/clip/ort.js';
import { createSessionWithFallback, describeFallback, providerPreference } from '../../electron/core/clip/providers.js';

const VISUAL = fileURLToPath(new URL('../fixtures/onnx/tiny-dynamic/visual/model.onnx', import.meta.url));

test('platform defaults: Linux cuda, Windows DirectML, macOS CoreML, each ending in cpu', () => {
  const env = {};
  assert.deepEqual(providerPreference(undefined, 'linux', env), ['cuda', 'cpu']);
  assert.deepEqual(providerPreference(undefined, 'win32', env), ['dml', 'cpu']);
  assert.deepEqual(providerPreference(undefined, 'darwin', env), ['coreml', 'cpu']);
  assert.deepEqual(providerPreference(undefined, 'freebsd', env), ['cpu']);
});

test('SHOEBOX_EP overrides the default, an explicit option overrides SHOEBOX_EP, cpu is always last', () => {
  assert.deepEqual(providerPreference(undefined, 'linux', { SHOEBOX_EP: 'cpu' }), ['cpu']);
  assert.deepEqual(providerPreference(undefined, 'linux', { SHOEBOX_EP: ' WebGPU , cuda ' }), ['webgpu', 'cuda', 'cpu']);
  assert.deepEqual(providerPreference('dml', 'linux', { SHOEBOX_EP: 'cpu' }), ['dml', 'cpu']);
  assert.deepEqual(providerPreference(['cpu', 'cuda'], 'linux', {}), ['cpu', 'cuda']);
  assert.deepEqual(providerPreference(undefined, 'linux', { SHOEBOX_EP: '  ' }), ['cuda', 'cpu']);
  assert.throws(() => providerPreference(undefined, 'linux', { SHOEBOX_EP: 'tpu' }), /Unknown execution provider "tpu" in SHOEBOX_EP/);
  assert.throws(() => providerPreference('rocm', 'linux', {}), /"rocm" in the provider option/);
  assert.throws(() => providerPreference(',', 'linux', {}), /the provider option is empty/);
});

test('requesting cuda (and dml) here falls back to cpu and records why', async (t) => {
  const ort = await loadOrt();
  const created = await createSessionWithFallback(ort, VISUAL, { providers: ['cuda', 'dml', 'cpu'], threads: 1 });
  try {
    if (created.provider === 'cuda') {
      t.skip('this machine has a working CUDA provider');
      return;
    }
    assert.equal(created.provider, 'cpu');
    assert.deepEqual(created.failed.map((f) => f.provider), ['cuda', 'dml']);
    for (const f of created.failed) assert.ok(f.error.length > 0);
    const reason = describeFallback(created.failed) ?? '';
    assert.match(reason, /^cuda unavailable \(.+\); dml unavailable \(.+\)$/);
    assert.deepEqual(created.session.inputNames, ['image']);
  } finally {
    await created.session.release();
  }
  assert.equal(describeFallback([]), undefined);
});

test('when no provider can open the file, the error names it and every provider tried', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'shoebox-ep-'));
  try {
    const broken = path.join(dir, 'model.onnx');
    await writeFile(broken, 'not an onnx model');
    const ort = await loadOrt();
    await assert.rejects(
      createSessionWithFallback(ort, broken, { providers: ['cuda', 'cpu'], threads: 1 }),
      (err: Error) => {
        assert.match(err.message, /^Cannot open .*model\.onnx with any execution provider: cuda: .*; cpu: /);
        return true;
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('loading onnxruntime switches its telemetry off first', async () => {
  await loadOrt();
  assert.equal(process.env.ORT_DISABLE_TELEMETRY, '1');
});
