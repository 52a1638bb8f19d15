// Model folders: config/manifest validation with errors naming the file, safe paths, and manifest
// verification (size + sha256) on copies of the committed tiny fixture folders.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadModelFolder, resolveInside, verifyManifest } from '../../electron/core/clip/model-folder.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/onnx/tiny-dynamic', import.meta.url));
const temps: string[] = [];
after(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

async function copyFixture(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'shoebox-model-'));
  temps.push(root);
  const dir = path.join(root, 'model');
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
}

async function editJson(file: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  await writeFile(file, JSON.stringify(value));
}

test('loads the fixture folder: sizes from config.json, files resolved inside the folder', async () => {
  const folder = await loadModelFolder(FIXTURE);
  assert.equal(folder.id, 'tiny-dynamic');
  assert.equal(folder.embedDim, 16);
  assert.equal(folder.imageSize, 32);
  assert.equal(folder.contextLength, 16);
  assert.equal(folder.files.visualModel, path.join(folder.dir, 'visual', 'model.onnx'));
  assert.equal(folder.files.tokenizer, path.join(folder.dir, 'textual', 'tokenizer.json'));
});

test('image_size may be written as [n, n]; context_length defaults to 77 like Immich', async () => {
  const dir = await copyFixture();
  await editJson(path.join(dir, 'config.json'), (c) => {
    c.vision_cfg = { image_size: [32, 32] };
    c.text_cfg = {};
  });
  const folder = await loadModelFolder(dir);
  assert.equal(folder.imageSize, 32);
  assert.equal(folder.contextLength, 77);
});

test('invalid config.json and manifest.json are reported with the file and the field', async () => {
  const dir = await copyFixture();
  await editJson(path.join(dir, 'config.json'), (c) => {
    c.embed_dim = -3;
  });
  await assert.rejects(loadModelFolder(dir), (err: Error) => {
    assert.match(err.message, /config\.json is not a valid model config/);
    assert.match(err.message, /embed_dim/);
    return true;
  });

  const dir2 = await copyFixture();
  await editJson(path.join(dir2, 'manifest.json'), (m) => {
    delete m.license;
  });
  await assert.rejects(loadModelFolder(dir2), /manifest\.json is not a valid manifest.*license/);

  const dir3 = await copyFixture();
  await writeFile(path.join(dir3, 'config.json'), '{ "embed_dim": ');
  await assert.rejects(loadModelFolder(dir3), /config\.json is not valid JSON/);


  const dir5 = await copyFixture();
  await editJson(path.join(dir5, 'config.json'), (c) => {
    c.vision_cfg = { image_size: [32, 48] };
  });
  await assert.rejects(loadModelFolder(dir5), /config\.json: vision_cfg\.image_size 32×48 is not square/);
});

test('a folder as published, without our manifest.json, loads under its folder name and verifies nothing', async () => {
  const dir = await copyFixture();
  await rm(path.join(dir, 'manifest.json'));
  const folder = await loadModelFolder(dir);
  assert.equal(folder.manifest, null);
  assert.equal(folder.id, 'model');
  assert.equal(folder.layout, 'immich');
  assert.equal(folder.embedDim, 16);
  const result = await verifyManifest(folder);
  assert.equal(result.ok, false);
  assert.match(result.problems[0]!, /manifest\.json: missing, so nothing can be verified/);
});

test('a missing model file is named', async () => {
  const dir = await copyFixture();
  await rm(path.join(dir, 'textual', 'model.onnx'));
  await assert.rejects(loadModelFolder(dir), /has no textual\/model\.onnx/);
  await assert.rejects(loadModelFolder(path.join(dir, 'nope')), /Model folder .*nope cannot be opened/);
});

test('paths that leave the folder are refused', async () => {
  assert.throws(() => resolveInside('/m', '../etc/passwd'), /without "\.\."/);
  assert.throws(() => resolveInside('/m', '/etc/passwd'), /must be relative/);
  assert.throws(() => resolveInside('/m', 'C:\\x'), /must be relative/);
  assert.throws(() => resolveInside('/m', 'a/../../b'), /without "\.\."/);
  assert.throws(() => resolveInside('/m', '.'), /outside the model folder/);
  assert.equal(resolveInside('/m', 'visual\\model.onnx'), path.resolve('/m/visual/model.onnx'));

  const dir = await copyFixture();
  await editJson(path.join(dir, 'manifest.json'), (m) => {
    (m.files as { path: string }[])[0]!.path = '../outside.bin';
  });
  await assert.rejects(loadModelFolder(dir), /manifest\.json: Path "\.\.\/outside\.bin"/);

  // A symlink pointing out of the folder is refused too.
  const dir2 = await copyFixture();
  const outside = path.join(path.dirname(dir2), 'outside.json');
  await writeFile(outside, '{}');
  await rm(path.join(dir2, 'textual', 'tokenizer.json'));
  await symlink(outside, path.join(dir2, 'textual', 'tokenizer.json'));
  await assert.rejects(loadModelFolder(dir2), /links to .*outside\.json, outside the model folder/);
});

test('verifyManifest passes on the fixtures and catches one changed byte, a wrong size and an unlisted file', async () => {
  for (const name of ['tiny-dynamic', 'tiny-fixed']) {
    const folder = await loadModelFolder(fileURLToPath(new URL(`../fixtures/onnx/${name}`, import.meta.url)));
    assert.deepEqual(await verifyManifest(folder), { ok: true, problems: [] });
  }

  const dir = await copyFixture();
  const onnx = path.join(dir, 'visual', 'model.onnx');
  const bytes = await readFile(onnx);
  const middle = bytes.length >> 1;
  bytes[middle] = (bytes[middle] as number) ^ 0x01;
  await writeFile(onnx, bytes);
  let result = await verifyManifest(await loadModelFolder(dir));
  assert.equal(result.ok, false);
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0]!, /visual\/model\.onnx: sha256 is [0-9a-f]{64}, the manifest says/);

  await writeFile(path.join(dir, 'textual', 'tokenizer_config.json'), '{}');
  await editJson(path.join(dir, 'manifest.json'), (m) => {
    m.files = (m.files as { path: string }[]).filter((f) => f.path !== 'textual/model.onnx');
  });
  result = await verifyManifest(await loadModelFolder(dir));
  assert.equal(result.ok, false);
  assert.ok(result.problems.some((p) => /tokenizer_config\.json: size is 2 bytes, the manifest says \d+/.test(p)));
  assert.ok(result.problems.some((p) => /^textual\/model\.onnx: not listed in .*manifest\.json/.test(p)));
  assert.equal(result.problems.length, 3);

  // A manifest listing nothing loads (benchmark-only exports write one) but verifies nothing.
  await editJson(path.join(dir, 'manifest.json'), (m) => {
    m.files = [];
  });
  result = await verifyManifest(await loadModelFolder(dir));
  assert.equal(result.ok, false);
  assert.equal(result.problems.filter((p) => p.includes('not listed')).length, 5);

  await rm(path.join(dir, 'visual', 'preprocess_cfg.json'));
  await assert.rejects(loadModelFolder(dir), /has no visual\/preprocess_cfg\.json/);
});

test('the Hugging Face layout: preprocessing read from preprocessor_config.json, and what it cannot support named with the file', async () => {
  const HF = fileURLToPath(new URL('../fixtures/clip-layouts/hf', import.meta.url));
  const folder = await loadModelFolder(HF);
  assert.equal(folder.layout, 'hf');
  assert.deepEqual([folder.embedDim, folder.imageSize, folder.contextLength], [32, 224, 77]);
  assert.deepEqual(folder.preprocess, {
    size: 224,
    mean: [0.48145466, 0.4578275, 0.40821073],
    std: [0.26862954, 0.26130258, 0.27577711],
    interpolation: 'bicubic',
    resize_mode: 'shortest',
    fill_color: 0,
  });
  assert.deepEqual(folder.variants, ['']);
  assert.equal(folder.files.tokenizer, path.join(folder.dir, 'tokenizer.json'));

  const copy = async (): Promise<string> => {
    const root = await mkdtemp(path.join(tmpdir(), 'shoebox-hf-'));
    temps.push(root);
    await cp(HF, path.join(root, 'm'), { recursive: true });
    return path.join(root, 'm');
  };
  const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
    ['a rectangular crop', (d) => editJson(path.join(d, 'preprocessor_config.json'), (c) => void (c.crop_size = { height: 224, width: 192 })), /preprocessor_config\.json: size .*is not a square/],
    ['Lanczos resampling', (d) => editJson(path.join(d, 'preprocessor_config.json'), (c) => void (c.resample = 1)), /preprocessor_config\.json: resample 1 is not/],
    ['resize larger than the crop', (d) => editJson(path.join(d, 'preprocessor_config.json'), (c) => void (c.size = { shortest_edge: 256 })), /resizes to 256 px and crops 224 px/],
    ['no tokenizer', (d) => rm(path.join(d, 'tokenizer.json')), /has no tokenizer\.json/],
    ['no text encoder', (d) => rm(path.join(d, 'onnx', 'text_model.onnx')), /has no onnx\/text_model\.onnx/],
    ['no preprocessor config', (d) => rm(path.join(d, 'preprocessor_config.json')), /has no preprocessor_config\.json/],
  ];
  for (const [what, breakIt, message] of cases) {
    const dir = await copy();
    await breakIt(dir);
    await assert.rejects(loadModelFolder(dir), message, what);
  }
  const dir = await copy();
  await assert.rejects(loadModelFolder(dir, { variant: 'quantized' }), /has no onnx\/vision_model_quantized\.onnx and onnx\/text_model_quantized\.onnx; it offers: the plain export/);
  await rm(path.join(dir, 'onnx'), { recursive: true });
  await assert.rejects(loadModelFolder(dir), /in neither published layout/);
});
