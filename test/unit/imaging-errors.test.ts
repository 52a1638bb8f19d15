// Error mapping when the decoder's own words are lost: libvips can report "Unknown error" when
// several decodes fail at once, so a cut-off file must still be called truncated from its bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { decodeError } from '../../electron/core/imaging/errors.js';

const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: 'red', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
  .jpeg({ quality: 90 })
  .toBuffer();

test('a JPEG cut inside its scan data is truncated even when the decoder says only "Unknown error"', () => {
  const cut = jpeg.subarray(0, Math.floor(jpeg.length * 0.7));
  const err = decodeError('/photos/cut.jpg', cut, new Error('Unknown error'));
  assert.equal(err.code, 'truncated');
  assert.doesNotMatch(err.message, /unknown error/i);
});

test('a complete JPEG that fails to decode is corrupt, and "Unknown error" is not shown to a person', () => {
  const err = decodeError('/photos/odd.jpg', jpeg, new Error('Unknown error'));
  assert.equal(err.code, 'corrupt');
  assert.match(err.message, /odd\.jpg: image data is corrupt$/);
});

test('garbage after a JPEG signature is corrupt, not truncated', () => {
  const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.alloc(200, 0x41)]);
  assert.equal(decodeError('/photos/garbage.jpg', garbage, new Error('Unknown error')).code, 'corrupt');
});
