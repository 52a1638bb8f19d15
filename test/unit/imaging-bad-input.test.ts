// Bad inputs: each fails with an ImageDecodeError of the right code whose message names the
// file and says why in plain words; files that are fine but oddly named decode.

import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { ImageDecodeError, preparePhoto, type ImageDecodeCode } from '../../electron/core/imaging/decode.js';
import { decompressionBombPng } from '../../electron/core/synthetic/bad-files.js';
import { BLUE, FIXTURES, RED, clipConfig, halves, tempDir } from '../fixtures/imaging/make.js';

const cfg = clipConfig();

async function expectFailure(file: string, code: ImageDecodeCode, reason: RegExp) {
  await assert.rejects(preparePhoto(file, cfg), (err: unknown) => {
    assert.ok(err instanceof ImageDecodeError, `not an ImageDecodeError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.file, file);
    assert.ok(err.message.includes(file), `message does not name the file: ${err.message}`);
    assert.match(err.reason, reason);
    return true;
  });
}

// Noise compresses badly, so a cut anywhere falls in pixel data.
function noise(width: number, height: number) {
  return sharp({
    create: { width, height, channels: 3, background: 'black', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
  });
}

async function noisyJpeg(): Promise<Buffer> {
  return noise(400, 300).jpeg({ quality: 90 }).toBuffer();
}

test('zero-byte file: empty', async (t) => {
  const file = path.join(await tempDir(t), 'empty.jpg');
  await writeFile(file, '');
  await expectFailure(file, 'empty', /^file is empty$/);
});

test('truncated JPEG and PNG: truncated', async (t) => {
  const dir = await tempDir(t);
  const jpeg = await noisyJpeg();
  const cut = path.join(dir, 'cut.jpg');
  await writeFile(cut, jpeg.subarray(0, jpeg.length >> 1));
  await expectFailure(cut, 'truncated', /^image data is truncated/);

  const png = await noise(300, 200).png().toBuffer();
  const cutPng = path.join(dir, 'cut.png');
  await writeFile(cutPng, png.subarray(0, png.length >> 1));
  await expectFailure(cutPng, 'truncated', /^image data is truncated/);
});

test('truncated WebP, AVIF, TIFF, GIF and HEIC: truncated (decoders word it differently)', async (t) => {
  const dir = await tempDir(t);
  const files: Array<[string, Buffer]> = [
    ['webp', await noise(300, 200).webp().toBuffer()],
    ['avif', await noise(300, 200).avif().toBuffer()],
    ['tiff', await noise(300, 200).tiff({ compression: 'lzw' }).toBuffer()],
    ['gif', await noise(300, 200).gif().toBuffer()],
    ['heic', await readFile(path.join(FIXTURES, 'halves-64x48.heic'))],
  ];
  for (const [ext, bytes] of files) {
    const file = path.join(dir, `cut.${ext}`);
    await writeFile(file, bytes.subarray(0, Math.floor(bytes.length * 0.9)));
    await expectFailure(file, 'truncated', /^image data is truncated/);
  }
});

test("a decoder warning that spoils nothing does not fail the photo (failOn 'error')", async (t) => {
  // "Corrupt JPEG data: 3 extraneous bytes before marker 0xda": sharp's default failOn
  // ('warning') rejects this file, which every viewer shows fine.
  const jpeg = await halves(80, 60, RED, BLUE).jpeg().toBuffer();
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
  const quirky = Buffer.concat([jpeg.subarray(0, sos), Buffer.from([0, 0, 0]), jpeg.subarray(sos)]);
  await assert.rejects(sharp(quirky).raw().toBuffer(), /extraneous bytes before marker/);
  const file = path.join(await tempDir(t), 'quirky.jpg');
  await writeFile(file, quirky);
  assert.equal((await preparePhoto(file, cfg)).width, 80);
});

test('corrupt bytes after a valid signature: corrupt', async (t) => {
  const dir = await tempDir(t);
  const jpeg = await noisyJpeg();
  const garbage = path.join(dir, 'garbage.jpg');
  await writeFile(garbage, Buffer.concat([jpeg.subarray(0, 200), Buffer.alloc(4000, 0x55)]));
  await expectFailure(garbage, 'corrupt', /^image header is corrupt \(VipsJpeg: /);

  // A complete PNG with a damaged byte in its pixel data (the chunk checksum no longer matches).
  const png = Buffer.from(await noise(300, 200).png().toBuffer());
  png[png.length >> 1]! ^= 0xff;
  const damaged = path.join(dir, 'damaged.png');
  await writeFile(damaged, png);
  await expectFailure(damaged, 'corrupt', /^image data is corrupt/);

  // A TIFF signature with nonsense after it is a damaged image, not "not an image".
  const tiff = path.join(dir, 'damaged.tif');
  await writeFile(tiff, Buffer.concat([Buffer.from('II*\0\x08\0\0\0', 'latin1'), Buffer.alloc(600, 0xee)]));
  await expectFailure(tiff, 'corrupt', /^image header is corrupt/);
});

test('not an image: text, binary noise, a text file named .jpg, an SVG', async (t) => {
  const dir = await tempDir(t);
  const text = path.join(dir, 'holiday.jpg');
  await writeFile(text, 'Dear diary, today we went to the beach.\n');
  await expectFailure(text, 'unsupported', /^not an image file \(looks like text\)$/);

  const binary = path.join(dir, 'noise.png');
  await writeFile(binary, Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256)));
  await expectFailure(binary, 'unsupported', /^not an image file \(unrecognised content\)$/);

  const svg = path.join(dir, 'drawing.png');
  await writeFile(svg, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
  await expectFailure(svg, 'unsupported', /^SVG images are not supported$/);
});

test('a PNG named .jpg decodes (content decides, not the extension)', async (t) => {
  const file = path.join(await tempDir(t), 'really-a-png.jpg');
  await halves(80, 60, RED, BLUE).png().toFile(file);
  const photo = await preparePhoto(file, cfg);
  assert.equal(photo.format, 'png');
  assert.deepEqual([photo.width, photo.height], [80, 60]);
});

test('decompression bomb: a tiny PNG declaring 30000×30000 is refused before decoding', async (t) => {
  const file = path.join(await tempDir(t), 'bomb.png');
  const bomb = decompressionBombPng(30000, 30000);
  assert.ok(bomb.length < 1000, `bomb is ${bomb.length} bytes`);
  await writeFile(file, bomb);
  const { width, height } = await sharp(bomb, { limitInputPixels: false }).metadata();
  assert.deepEqual([width, height], [30000, 30000]);
  await expectFailure(file, 'too-large', /^image too large: 30000×30000 pixels exceeds the 120 MP limit$/);
});

test('missing file and a folder: unreadable', async (t) => {
  const dir = await tempDir(t);
  await expectFailure(path.join(dir, 'gone.jpg'), 'unreadable', /^file not found$/);
  const folder = path.join(dir, 'album.jpg');
  await mkdir(folder);
  await expectFailure(folder, 'unreadable', /^this is a folder, not a file$/);
});

test('no read permission: unreadable', async (t) => {
  const file = path.join(await tempDir(t), 'private.jpg');
  await halves(40, 30, RED, BLUE).jpeg().toFile(file);
  await chmod(file, 0o000);
  const canStillRead = await readFile(file).then(
    () => true,
    () => false,
  );
  if (canStillRead) {
    t.skip('this user (root or CAP_DAC_OVERRIDE) reads a chmod 000 file anyway');
    return;
  }
  await expectFailure(file, 'unreadable', /^permission denied$/);
});

test('odd unicode names (NFD) decode, and errors name them exactly', async (t) => {
  const dir = await tempDir(t);
  const name = 'ñandú 🐦 café.jpg'.normalize('NFD');
  assert.notEqual(name, name.normalize('NFC'));
  const good = path.join(dir, name);
  await halves(80, 60, RED, BLUE).jpeg().toFile(good);
  const photo = await preparePhoto(good, cfg);
  assert.deepEqual([photo.format, photo.width], ['jpeg', 80]);

  const bad = path.join(dir, `broken ${name}`);
  await writeFile(bad, 'not a photo');
  await expectFailure(bad, 'unsupported', /looks like text/);
});

test('an aborted signal stops with the abort reason, not a decode error', async (t) => {
  const file = path.join(await tempDir(t), 'ok.jpg');
  await halves(80, 60, RED, BLUE).jpeg().toFile(file);
  await assert.rejects(preparePhoto(file, cfg, { signal: AbortSignal.abort() }), { name: 'AbortError' });
});
