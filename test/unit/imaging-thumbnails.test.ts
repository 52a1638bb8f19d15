// The thumbnail cache: sharded paths, hash validation, and atomic writes that leave no temp
// files behind and never a partial thumbnail.

import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { thumbnailPath, writeThumbnail } from '../../electron/core/imaging/thumbnails.js';
import { tempDir } from '../fixtures/imaging/make.js';

const HASH = 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12';

test('paths are sharded by the first two byte pairs of the hash', () => {
  assert.equal(thumbnailPath('/cache', HASH), path.join('/cache', 'ab', '12', `${HASH}.webp`));
});

test('a hash that is not lowercase hex is refused (no path escapes)', () => {
  for (const bad of ['../../etc/passwd', 'AB12CD34EF', 'ab12', '', `${HASH}/x`]) {
    assert.throws(() => thumbnailPath('/cache', bad), /Invalid content hash/, bad);
  }
});

test('writes atomically: content lands whole, replaces an old one, no temp files left', async (t) => {
  const cache = await tempDir(t);
  const first = await writeThumbnail(cache, HASH, Buffer.from('first'));
  assert.equal(first, thumbnailPath(cache, HASH));
  const bigger = Buffer.alloc(200_000, 7);
  // Concurrent writers of one hash: whichever rename lands last wins, whole.
  await Promise.all([writeThumbnail(cache, HASH, bigger), writeThumbnail(cache, HASH, bigger)]);
  assert.deepEqual(await readFile(first), bigger);
  assert.deepEqual(await readdir(path.dirname(first)), [`${HASH}.webp`]);
});

test('a failed write says which thumbnail and leaves nothing behind', async (t) => {
  const cache = await tempDir(t);
  // A file where the shard folder should be: mkdir fails.
  await writeFile(path.join(cache, 'ab'), 'in the way');
  await assert.rejects(writeThumbnail(cache, HASH, Buffer.from('x')), (err: Error) => {
    assert.ok(err.message.startsWith(`Cannot write thumbnail ${thumbnailPath(cache, HASH)}: `), err.message);
    return true;
  });
  assert.deepEqual(await readdir(cache), ['ab']);
});
