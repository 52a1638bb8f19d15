// preparePhoto's model input against an independent reference: PIL 9.4 + numpy
// (test/fixtures/imaging/make_reference.py: torchvision-style 'shortest' at 64 px, PIL bicubic).
// Differences are measured in 8-bit grey levels (1 level = 1 / (255·std) ≈ 0.0146 after
// normalising) because both sides round the resized image to 8 bits before normalising.
//
// Measured (sharp 0.35.5 / libvips 8.18.7 vs PIL 9.4.0), max / mean abs difference:
//   smooth 160×120 (downsample 1.9×): 1 / 0.03 levels; 97 % of values identical.
//   detailed 90×150 (downsample 1.4×, hard edges + noise): 9 / 0.39 levels; 98 % within 1.
//     Same Catmull-Rom kernel, but libvips and PIL discretise the scaled kernel differently,
//     which shows only where neighbouring pixels differ by ~100 levels.
//   small 48×40 (upsample 1.6×): 0 / 0 levels. Enlarging goes through imaging/resample.ts, PIL's
//     own algorithm (libvips' upsampling is not pixel-centre aligned like PIL's: it was 5 / 1.85
//     levels here through sharp). Only photos smaller than the model input are enlarged.
// The bounds below sit just above these, so a wrong crop offset (~3 levels mean on these
// gradients), a wrong kernel, channel order or normalisation fails.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parsePreprocessConfig, preparePhoto } from '../../electron/core/imaging/decode.js';
import { FIXTURES } from '../fixtures/imaging/make.js';

interface Reference {
  size: number;
  mean: number[];
  std: number[];
  cases: Array<{ input: string; tensor: string; shape: [number, number, number] }>;
}

const reference = JSON.parse(readFileSync(path.join(FIXTURES, 'reference.json'), 'utf8')) as Reference;
const cfg = parsePreprocessConfig(
  { size: reference.size, mean: reference.mean, std: reference.std, interpolation: 'bicubic', resize_mode: 'shortest' },
  'reference.json',
);

const BOUNDS: Record<string, { maxLevels: number; meanLevels: number }> = {
  'ref-smooth-160x120.png': { maxLevels: 1, meanLevels: 0.1 },
  'ref-detailed-90x150.png': { maxLevels: 12, meanLevels: 0.6 },
  'ref-small-48x40.png': { maxLevels: 0.5, meanLevels: 0.01 },
};

for (const c of reference.cases) {
  test(`model input matches PIL's within tolerance: ${c.input}`, async () => {
    const bytes = readFileSync(path.join(FIXTURES, c.tensor));
    const expected = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const { pixels } = await preparePhoto(path.join(FIXTURES, c.input), cfg);
    assert.equal(pixels.length, expected.length);
    const plane = expected.length / 3;
    let max = 0;
    let sum = 0;
    for (let i = 0; i < expected.length; i++) {
      const levels = Math.abs(pixels[i]! - expected[i]!) * 255 * cfg.std[Math.floor(i / plane)]!;
      max = Math.max(max, levels);
      sum += levels;
    }
    const mean = sum / expected.length;
    console.log(`${c.input}: max ${max.toFixed(2)} levels, mean ${mean.toFixed(3)} levels`);
    const bound = BOUNDS[c.input];
    assert.ok(bound, `no bound for ${c.input}`);
    // + 0.01: float32 rounding of the normalised values.
    assert.ok(max <= bound.maxLevels + 0.01, `max difference ${max.toFixed(2)} levels`);
    assert.ok(mean <= bound.meanLevels, `mean difference ${mean.toFixed(3)} levels`);
  });
}
