// ONNX Runtime's official builds collect telemetry unless ORT_DISABLE_TELEMETRY=1; when active they
// create a device-id database under ~/.cache/Microsoft/DeveloperTools/.onnxruntime (seen with strace
// here). Each case runs onnxruntime in a child process with a fresh HOME and looks for that trace:
// a bare import must leave it (so the check can see it), our loader and our worker must not.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = path.join(repo, 'test/fixtures/onnx/tiny-dynamic');

/** Runs an ES module snippet (under tsx) with HOME in a new temp dir; returns what it left there. */
async function traces(code: string): Promise<string[]> {
  const home = await mkdtemp(path.join(tmpdir(), 'shoebox-home-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, '.cache') };
    delete env.ORT_DISABLE_TELEMETRY;
    // A user's desktop, not a build server: ONNX Runtime's telemetry stays off when CI=true is set
    // (seen under .ci/run), which would hide the very traces this test looks for.
    delete env.CI;
    await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: repo, env });
    const left = await readdir(home, { recursive: true });
    return left.filter((p) => /microsoft|onnxruntime/i.test(p));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

test('a bare onnxruntime import leaves telemetry traces (the check can see them)', async () => {
  const left = await traces(
    `const ort = await import('onnxruntime-node');` +
      `await ort.InferenceSession.create(${JSON.stringify(path.join(FIXTURE, 'visual/model.onnx'))});`,
  );
  assert.ok(left.some((p) => p.includes('onnxruntime')), `expected a telemetry database, found [${left.join(', ')}]`);
});

test('loading through loadOrt() leaves none', async () => {
  const left = await traces(
    `const { loadOrt } = await import('./electron/core/clip/ort.ts');` +
      `const ort = await loadOrt();` +
      `await ort.InferenceSession.create(${JSON.stringify(path.join(FIXTURE, 'visual/model.onnx'))});`,
  );
  assert.deepEqual(left, []);
});

test('the inference worker leaves none', async () => {
  const left = await traces(
    `const { createInferenceClient } = await import('./electron/core/clip/inference-client.ts');` +
      `const c = await createInferenceClient({ modelDir: ${JSON.stringify(FIXTURE)}, provider: 'cpu', threads: 1 });` +
      `await c.encodeTexts(['a dog']);` +
      `await c.close();`,
  );
  assert.deepEqual(left, []);
});
