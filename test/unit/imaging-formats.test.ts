// Every supported format decodes to the right size and colours, through the one decode:
// JPEG, PNG, WebP, AVIF, GIF (first frame), TIFF made by sharp here; HEVC HEIC from a committed
// fixture (sharp's prebuilt libvips cannot decode HEVC, so this exercises the heic-decode path).
// Also the colour conversions: 16-bit, CMYK, greyscale, alpha onto white.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import { preparePhoto } from '../../electron/core/imaging/decode.js';
import { BLUE, FIXTURES, RED, clipConfig, halves, pixelAt, tempDir } from '../fixtures/imaging/make.js';

const cfg = clipConfig({ resize_mode: 'squash' });
const SIDE = { width: 64, height: 64 };
type Rgb = [number, number, number];

function near(actual: Rgb, expected: Rgb, tolerance: number, what: string) {
  const off = Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)));
  assert.ok(off <= tolerance, `${what}: got ${actual.join(',')}, expected ${expected.join(',')} ± ${tolerance}`);
}

async function checkHalves(file: string, format: string, size: { width: number; height: number }, tolerance: number) {
  const photo = await preparePhoto(file, cfg);
  assert.equal(photo.format, format);
  assert.equal(photo.width, size.width);
  assert.equal(photo.height, size.height);
  near(pixelAt(photo.pixels, cfg, SIDE, 8, 32), [255, 0, 0], tolerance, `${format} left`);
  near(pixelAt(photo.pixels, cfg, SIDE, 56, 32), [0, 0, 255], tolerance, `${format} right`);
  const thumb = await sharp(photo.thumbnail).metadata();
  assert.equal(thumb.format, 'webp');
  assert.deepEqual([thumb.width, thumb.height], [photo.thumbWidth, photo.thumbHeight]);
}

const ENCODERS: Array<[string, (s: Sharp) => Sharp, number]> = [
  ['jpeg', (s) => s.jpeg({ quality: 90 }), 12],
  ['png', (s) => s.png(), 0],
  ['webp', (s) => s.webp({ quality: 90 }), 12],
  ['avif', (s) => s.avif({ quality: 80 }), 16],
  ['tiff', (s) => s.tiff({ compression: 'lzw' }), 0],
  ['gif', (s) => s.gif(), 0],
];

for (const [format, encode, tolerance] of ENCODERS) {
  test(`decodes ${format}`, async (t) => {
    const file = path.join(await tempDir(t), `halves.${format}`);
    await encode(halves(96, 72, RED, BLUE)).toFile(file);
    await checkHalves(file, format, { width: 96, height: 72 }, tolerance);
  });
}

test('decodes HEVC-coded HEIC (committed fixture, heic-decode fallback)', async () => {
  const file = path.join(FIXTURES, 'halves-64x48.heic');
  const meta = await sharp(file).metadata();
  assert.equal(meta.compression, 'hevc');
  const photo = await preparePhoto(file, cfg);
  assert.equal(photo.format, 'heic');
  assert.deepEqual([photo.width, photo.height], [64, 48]);
  // The fixture's halves are (220, 20, 20) and (20, 200, 40), HEVC-compressed.
  near(pixelAt(photo.pixels, cfg, SIDE, 8, 32), [220, 20, 20], 16, 'heic left');
  near(pixelAt(photo.pixels, cfg, SIDE, 56, 32), [20, 200, 40], 16, 'heic right');
});

test('bytes already read by the caller are used instead of reading the file', async (t) => {
  const dir = await tempDir(t);
  const bytes = await halves(96, 72, RED, BLUE).png().toBuffer();
  // The path does not exist: only the given bytes can have been decoded.
  const photo = await preparePhoto(path.join(dir, 'named-only.png'), cfg, { bytes });
  assert.deepEqual([photo.format, photo.width, photo.height], ['png', 96, 72]);
});

test('an animated GIF gives its first frame', async (t) => {
  const file = path.join(await tempDir(t), 'animated.gif');
  const frames = await Promise.all(
    [RED, { r: 0, g: 255, b: 0 }, BLUE].map((c) => sharp({ create: { width: 40, height: 30, channels: 3, background: c } }).png().toBuffer()),
  );
  await sharp(frames, { join: { animated: true } }).gif().toFile(file);
  assert.equal((await sharp(file).metadata()).pages, 3);
  const photo = await preparePhoto(file, cfg);
  assert.deepEqual([photo.width, photo.height], [40, 30]);
  near(pixelAt(photo.pixels, cfg, SIDE, 32, 32), [255, 0, 0], 0, 'first frame');
});

test('16-bit, CMYK and greyscale become 8-bit sRGB', async (t) => {
  const dir = await tempDir(t);
  const png16 = path.join(dir, 'deep.png');
  await halves(64, 64, RED, BLUE).toColourspace('rgb16').png().toFile(png16);
  assert.equal((await sharp(png16).metadata()).depth, 'ushort');
  const deep = await preparePhoto(png16, cfg);
  near(pixelAt(deep.pixels, cfg, SIDE, 8, 32), [255, 0, 0], 1, '16-bit left');

  const cmyk = path.join(dir, 'cmyk.jpg');
  await halves(64, 64, RED, BLUE).toColourspace('cmyk').jpeg({ quality: 95 }).toFile(cmyk);
  assert.equal((await sharp(cmyk).metadata()).space, 'cmyk');
  const print = await preparePhoto(cmyk, cfg);
  // Through a CMYK profile and back pure red is no longer pure; it must still be clearly red.
  const [r, g, b] = pixelAt(print.pixels, cfg, SIDE, 8, 32);
  assert.ok(r > 180 && g < 90 && b < 90, `CMYK red came out ${r},${g},${b}`);

  const grey = path.join(dir, 'grey.png');
  await halves(64, 64, { r: 200, g: 200, b: 200 }, { r: 50, g: 50, b: 50 }).removeAlpha().toColourspace('b-w').png().toFile(grey);
  assert.equal((await sharp(grey).metadata()).channels, 1);
  const mono = await preparePhoto(grey, cfg);
  near(pixelAt(mono.pixels, cfg, SIDE, 8, 32), [200, 200, 200], 1, 'grey left');
  near(pixelAt(mono.pixels, cfg, SIDE, 56, 32), [50, 50, 50], 1, 'grey right');
});

test('transparency is flattened onto white', async (t) => {
  const file = path.join(await tempDir(t), 'alpha.png');
  await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: { create: { width: 32, height: 64, channels: 4, background: { ...BLUE, alpha: 1 } } }, left: 32, top: 0 }])
    .png()
    .toFile(file);
  const photo = await preparePhoto(file, cfg);
  near(pixelAt(photo.pixels, cfg, SIDE, 8, 32), [255, 255, 255], 0, 'transparent half');
  near(pixelAt(photo.pixels, cfg, SIDE, 56, 32), [0, 0, 255], 0, 'opaque half');
});

test('a large JPEG gives a thumbnail of the requested long side; a small photo is not enlarged', async (t) => {
  const dir = await tempDir(t);
  const big = path.join(dir, 'big.jpg');
  await halves(2400, 1200, RED, BLUE).jpeg().toFile(big);
  const photo = await preparePhoto(big, clipConfig({ size: 224 }), { thumbSize: 200 });
  assert.deepEqual([photo.width, photo.height, photo.thumbWidth, photo.thumbHeight], [2400, 1200, 200, 100]);
  assert.equal(photo.pixels.length, 3 * 224 * 224);
  const meta = await sharp(photo.thumbnail).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 200, 100]);

  const small = path.join(dir, 'small.png');
  await halves(50, 30, RED, BLUE).png().toFile(small);
  const tiny = await preparePhoto(small, cfg);
  assert.deepEqual([tiny.thumbWidth, tiny.thumbHeight], [50, 30]);
});
