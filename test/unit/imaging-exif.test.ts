// EXIF: orientation applied to size and pixels, fields parsed from the same bytes, and broken
// EXIF giving nulls rather than a failed photo. Files are written by sharp (withExif).

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { preparePhoto } from '../../electron/core/imaging/decode.js';
import { BLUE, RED, clipConfig, halves, pixelAt, tempDir } from '../fixtures/imaging/make.js';

const EXIF = {
  IFD0: { Make: 'Shoebox Test', Model: 'Fixture Cam 1' },
  IFD2: { DateTimeOriginal: '2021:07:14 09:30:15', OffsetTimeOriginal: '+02:00', LensModel: 'Test Lens 35mm' },
  // 52° 30′ 0″ N, 13° 24′ 36″ W
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '13/1 24/1 3600/100' },
};

async function rotatedJpeg(dir: string): Promise<string> {
  // Stored 120×80, left half red; orientation 6 means "rotate 90° clockwise to display",
  // so upright it is 80×120 with red on top.
  const file = path.join(dir, 'rotated.jpg');
  await halves(120, 80, RED, BLUE).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).withExif(EXIF).toFile(file);
  const stored = await sharp(file).metadata();
  assert.deepEqual([stored.width, stored.height, stored.orientation], [120, 80, 6]);
  return file;
}

test('orientation 6: upright size and pixels, and the EXIF fields', async (t) => {
  const file = await rotatedJpeg(await tempDir(t));
  const cfg = clipConfig({ resize_mode: 'squash' });
  const photo = await preparePhoto(file, cfg);
  assert.deepEqual([photo.width, photo.height], [80, 120]);
  assert.deepEqual([photo.thumbWidth, photo.thumbHeight], [80, 120]);
  const side = { width: 64, height: 64 };
  const top = pixelAt(photo.pixels, cfg, side, 32, 8);
  const bottom = pixelAt(photo.pixels, cfg, side, 32, 56);
  assert.ok(top[0] > 200 && top[2] < 50, `top should be red: ${top.join(',')}`);
  assert.ok(bottom[2] > 200 && bottom[0] < 50, `bottom should be blue: ${bottom.join(',')}`);

  const m = photo.metadata;
  assert.equal(m.takenAt, '2021-07-14T09:30:15+02:00');
  assert.equal(m.cameraMake, 'Shoebox Test');
  assert.equal(m.cameraModel, 'Fixture Cam 1');
  assert.equal(m.lens, 'Test Lens 35mm');
  assert.equal(m.orientation, 6);
  assert.equal(m.latitude, 52.5);
  assert.ok(m.longitude !== null && Math.abs(m.longitude - -13.41) < 1e-9, `longitude ${m.longitude}`);
  assert.deepEqual([m.width, m.height], [80, 120]);
});

test('orientation 6 on a photo big enough to be shrunk on load: sizes stay upright', async (t) => {
  const file = path.join(await tempDir(t), 'big-rotated.jpg');
  await halves(2000, 1000, RED, BLUE).jpeg().withMetadata({ orientation: 6 }).toFile(file);
  const cfg = clipConfig({ size: 64, resize_mode: 'squash' });
  const photo = await preparePhoto(file, cfg);
  assert.deepEqual([photo.width, photo.height, photo.thumbWidth, photo.thumbHeight], [1000, 2000, 160, 320]);
  const thumb = await sharp(photo.thumbnail).metadata();
  assert.deepEqual([thumb.width, thumb.height], [160, 320]);
  const side = { width: 64, height: 64 };
  assert.ok(pixelAt(photo.pixels, cfg, side, 32, 8)[0] > 200, 'red on top');
  assert.ok(pixelAt(photo.pixels, cfg, side, 32, 56)[2] > 200, 'blue below');
});

test('a photo without EXIF has null fields', async (t) => {
  const file = path.join(await tempDir(t), 'plain.png');
  await halves(40, 30, RED, BLUE).png().toFile(file);
  const { metadata } = await preparePhoto(file, clipConfig());
  assert.deepEqual(metadata, {
    takenAt: null, cameraMake: null, cameraModel: null, lens: null,
    latitude: null, longitude: null, orientation: null, width: 40, height: 30,
  });
});

test('broken EXIF gives nulls, the photo still decodes', async (t) => {
  const dir = await tempDir(t);
  const good = await halves(60, 40, RED, BLUE).jpeg().withExif(EXIF).toBuffer();
  const at = good.indexOf(Buffer.from('Exif\0\0'));
  assert.ok(at > 0);
  const broken = Buffer.from(good);
  broken.write('XX', at + 6); // not a TIFF byte order mark
  const file = path.join(dir, 'broken-exif.jpg');
  await writeFile(file, broken);
  const photo = await preparePhoto(file, clipConfig());
  assert.deepEqual([photo.width, photo.height], [60, 40]);
  assert.equal(photo.metadata.takenAt, null);
  assert.equal(photo.metadata.cameraMake, null);
});

test('impossible dates are dropped', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'zero-date.jpg');
  await halves(40, 30, RED, BLUE).jpeg().withExif({ IFD2: { DateTimeOriginal: '0000:00:00 00:00:00', DateTimeDigitized: '2021:02:29 10:00:00' } }).toFile(file);
  assert.equal((await preparePhoto(file, clipConfig())).metadata.takenAt, null);
  const fallback = path.join(dir, 'digitized.jpg');
  await halves(40, 30, RED, BLUE).jpeg().withExif({ IFD2: { DateTimeDigitized: '2019:12:31 23:59:59' } }).toFile(fallback);
  assert.equal((await preparePhoto(fallback, clipConfig())).metadata.takenAt, '2019-12-31T23:59:59');
});
