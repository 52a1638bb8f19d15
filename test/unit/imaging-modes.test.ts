// The three resize modes, checked geometrically on a 192×64 image whose left quarter is red
// and the rest blue: where the red ends, and what fills the padding, in the model input.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { preparePhoto, type PreprocessConfig } from '../../electron/core/imaging/decode.js';
import { BLUE, RED, clipConfig, pixelAt, tempDir } from '../fixtures/imaging/make.js';

async function redQuarter(dir: string): Promise<string> {
  const file = path.join(dir, 'red-quarter.png');
  await sharp({ create: { width: 192, height: 64, channels: 3, background: BLUE } })
    .composite([{ input: { create: { width: 48, height: 64, channels: 3, background: RED } }, left: 0, top: 0 }])
    .png()
    .toFile(file);
  return file;
}

type Rgb = [number, number, number];

function assertColour(actual: Rgb, expected: Rgb, where: string) {
  const off = Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)));
  assert.ok(off <= 2, `${where}: got ${actual.join(',')}, expected ${expected.join(',')}`);
}

async function modelPixels(file: string, cfg: PreprocessConfig) {
  const { pixels } = await preparePhoto(file, cfg);
  const side = { width: 64, height: 64 };
  return (x: number, y: number) => pixelAt(pixels, cfg, side, x, y);
}

test("'shortest' crops the centre: the red quarter is cut away", async (t) => {
  const at = await modelPixels(await redQuarter(await tempDir(t)), clipConfig());
  for (const x of [0, 20, 63]) assertColour(at(x, 32), [0, 0, 255], `x=${x}`);
});

test("'squash' keeps the whole width: red up to x = 16 of 64", async (t) => {
  const at = await modelPixels(await redQuarter(await tempDir(t)), clipConfig({ resize_mode: 'squash' }));
  for (const y of [0, 32, 63]) {
    assertColour(at(5, y), [255, 0, 0], `x=5 y=${y}`);
    assertColour(at(25, y), [0, 0, 255], `x=25 y=${y}`);
  }
});

test("'longest' fits the width and pads above and below with fill_color", async (t) => {
  const file = await redQuarter(await tempDir(t));
  // 192×64 → 64×21, padded 21 rows on top and 22 below.
  const at = await modelPixels(file, clipConfig({ resize_mode: 'longest', fill_color: 128 }));
  for (const y of [0, 20, 42, 63]) assertColour(at(40, y), [128, 128, 128], `padding y=${y}`);
  assertColour(at(5, 31), [255, 0, 0], 'red inside');
  assertColour(at(40, 31), [0, 0, 255], 'blue inside');
  const black = await modelPixels(file, clipConfig({ resize_mode: 'longest', fill_color: 0 }));
  assertColour(black(40, 5), [0, 0, 0], 'padding with fill_color 0');
});

test('a [height, width] size gives a tensor of that shape', async (t) => {
  const file = await redQuarter(await tempDir(t));
  const cfg = clipConfig({ size: [32, 96], resize_mode: 'squash', interpolation: 'nearest' });
  const { pixels } = await preparePhoto(file, cfg);
  assert.equal(pixels.length, 3 * 32 * 96);
  const side = { width: 96, height: 32 };
  assert.deepEqual(pixelAt(pixels, cfg, side, 23, 10), [255, 0, 0]);
  assert.deepEqual(pixelAt(pixels, cfg, side, 24, 10), [0, 0, 255]);
});
