// `shoebox models download` as a person runs it, against a local server that speaks the Hub's
// protocol (test/support/hub-server.ts) via HF_ENDPOINT: only the files a model folder needs are
// fetched, the model is installed with Shoebox's record (revision = the commit, every file's
// sha256), it loads and can be switched to; a corrupt file installs nothing and says which file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadModelFolder, verifyManifest } from '../../electron/core/clip/model-folder.js';
import { startHubServer, type RepoFiles } from '../support/hub-server.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(REPO, 'test/fixtures/clip-layouts');

async function filesOf(dir: string): Promise<RepoFiles> {
  const files: RepoFiles = {};
  for (const rel of await readdir(dir, { recursive: true })) {
    const full = path.join(dir, rel);
    try {
      files[rel.split(path.sep).join('/')] = await readFile(full);
    } catch {
      // a directory
    }
  }
  return files;
}

function shoebox(dataDir: string, endpoint: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'electron/cli/main.ts'), ...args, '--data-dir', dataDir], {
      cwd: REPO,
      env: { ...process.env, HF_ENDPOINT: endpoint, HF_TOKEN: '', HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('models download installs what a model folder needs, verified, and it can be used', { timeout: 120_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-download-cli-'));
  const immich = await filesOf(path.join(FIXTURES, 'immich'));
  const hf = await filesOf(path.join(FIXTURES, 'hf'));
  const hub = await startHubServer({
    repos: {
      // As published, plus what a model folder does not need.
      'immich-app/tiny-clip': { ...immich, 'README.md': Buffer.from('# tiny'), '.gitattributes': Buffer.from('*.onnx filter=lfs'), 'visual/fp16/model.armnn': Buffer.alloc(5000, 1) },
      'Xenova/tiny-clip': {
        ...hf,
        'onnx/vision_model_quantized.onnx': hf['onnx/vision_model.onnx']!,
        'onnx/text_model_quantized.onnx': hf['onnx/text_model.onnx']!,
        'onnx/model.onnx': Buffer.alloc(3000, 2),
      },
    },
    lfsThreshold: 64 * 1024,
  });
  t.after(async () => {
    await hub.close();
    await rm(work, { recursive: true, force: true });
  });
  const dataDir = path.join(work, 'data');

  const got = await shoebox(dataDir, hub.endpoint, 'models', 'download', 'immich-app/tiny-clip', '--json');
  assert.equal(got.code, 0, got.stderr);
  const result = JSON.parse(got.stdout) as { id: string; dir: string; revision: string; bytes: number };
  assert.equal(result.id, 'immich-app--tiny-clip');
  assert.equal(result.revision, hub.commitOf('immich-app/tiny-clip'));
  const installed = (await readdir(result.dir, { recursive: true })).map((p) => p.split(path.sep).join('/')).sort();
  const wanted = [...Object.keys(immich), 'manifest.json'].sort();
  assert.deepEqual(installed.filter((p) => !['visual', 'textual'].includes(p)), wanted);
  const requested = hub.requests.map((r) => r.url);
  assert.ok(!requested.some((u) => /README|gitattributes|armnn/.test(u)), 'files a model does not need are not fetched');
  const folder = await loadModelFolder(result.dir);
  assert.equal(folder.manifest?.revision, result.revision);
  assert.equal(folder.manifest?.source, 'https://huggingface.co/immich-app/tiny-clip');
  assert.deepEqual(await verifyManifest(folder), { ok: true, problems: [] });

  const used = await shoebox(dataDir, hub.endpoint, 'models', 'use', result.id, '--json');
  assert.equal(used.code, 0, used.stderr);
  const status = JSON.parse((await shoebox(dataDir, hub.endpoint, 'status', '--json')).stdout) as { model: { modelId: string; layout: string } };
  assert.deepEqual([status.model.modelId, status.model.layout], [result.id, 'immich']);

  // A weight variant: only that variant's encoders come down, and it is the one that loads.
  const quantized = await shoebox(dataDir, hub.endpoint, 'models', 'download', 'Xenova/tiny-clip', '--variant', 'quantized', '--json');
  assert.equal(quantized.code, 0, quantized.stderr);
  const q = JSON.parse(quantized.stdout) as { dir: string };
  const onnx = (await readdir(path.join(q.dir, 'onnx'))).sort();
  assert.deepEqual(onnx, ['text_model_quantized.onnx', 'vision_model_quantized.onnx']);
  const qFolder = await loadModelFolder(q.dir);
  assert.equal(qFolder.variant, 'quantized');
  assert.match(qFolder.files.visualModel, /vision_model_quantized\.onnx$/);

  // Already installed: refused before any download.
  const again = await shoebox(dataDir, hub.endpoint, 'models', 'download', 'immich-app/tiny-clip');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already installed/);
});

test('a corrupt file installs nothing and names the file; an unreachable Hub names the host', { timeout: 120_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-download-bad-'));
  const hub = await startHubServer({ repos: { 'immich-app/tiny-clip': await filesOf(path.join(FIXTURES, 'immich')) }, lfsThreshold: 64 * 1024 });
  t.after(async () => {
    await hub.close();
    await rm(work, { recursive: true, force: true });
  });
  const dataDir = path.join(work, 'data');
  // Wrong bytes every time (a retry from zero gets them again).
  hub.addFault({ kind: 'corrupt', path: 'visual/model.onnx_data', times: 10 });
  const bad = await shoebox(dataDir, hub.endpoint, 'models', 'download', 'immich-app/tiny-clip');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /visual\/model\.onnx_data/);
  assert.deepEqual((await readdir(path.join(dataDir, 'models'))).filter((n) => n !== '.staging'), [], 'nothing installed');
  assert.deepEqual(await readdir(path.join(dataDir, 'models', '.staging')), [], 'staging cleaned up');

  const offline = await shoebox(dataDir, 'http://127.0.0.1:9', 'models', 'download', 'immich-app/tiny-clip');
  assert.equal(offline.code, 1);
  assert.match(offline.stderr, /could not reach 127\.0\.0\.1:9/);
});
