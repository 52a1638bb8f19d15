// shoebox-media:// URL parsing: only `thumb/<id>` and `photo/<id>` with a plain positive integer
// id are accepted; paths, dot segments, encodings, other hosts and other schemes are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMediaUrl } from '../../electron/main/media-url.js';

test('thumb and photo URLs give the kind and the id', () => {
  assert.deepEqual(parseMediaUrl('shoebox-media://thumb/12'), { kind: 'thumb', photoId: 12 });
  assert.deepEqual(parseMediaUrl('shoebox-media://photo/9007199254740991'), { kind: 'photo', photoId: 9007199254740991 });
  // A trailing slash (as Chromium may canonicalise) and a cache-busting query are tolerated.
  assert.deepEqual(parseMediaUrl('shoebox-media://thumb/7/'), { kind: 'thumb', photoId: 7 });
  assert.deepEqual(parseMediaUrl('shoebox-media://thumb/7?v=1712345678'), { kind: 'thumb', photoId: 7 });
});

test('dot segments and encoded traversal are refused', () => {
  for (const url of [
    'shoebox-media://thumb/../x',
    'shoebox-media://thumb/..',
    'shoebox-media://thumb/%2e%2e',
    'shoebox-media://thumb/%2E%2E/etc/passwd',
    'shoebox-media://photo/1/../../etc',
    'shoebox-media://photo/1/..',
    'shoebox-media://photo/1%2f..%2f..%2fetc',
    'shoebox-media://photo/./1',
    'shoebox-media://photo//1',
    'shoebox-media://photo/1/2',
    'shoebox-media://photo/1%00',
    'shoebox-media://photo/1\\..\\x',
  ]) {
    assert.equal(parseMediaUrl(url), null, url);
  }
});

test('ids must be plain positive integers', () => {
  for (const url of [
    'shoebox-media://thumb/0',
    'shoebox-media://thumb/-1',
    'shoebox-media://thumb/01',
    'shoebox-media://thumb/1.5',
    'shoebox-media://thumb/1e3',
    'shoebox-media://thumb/0x10',
    'shoebox-media://thumb/%31',
    'shoebox-media://thumb/ 1',
    'shoebox-media://thumb/abc',
    'shoebox-media://thumb/',
    'shoebox-media://thumb',
    'shoebox-media://thumb/99999999999999999',
  ]) {
    assert.equal(parseMediaUrl(url), null, url);
  }
});

test('other hosts, schemes, credentials and odd queries are refused', () => {
  for (const url of [
    'shoebox-media://original/1',
    'shoebox-media://THUMB/1',
    'shoebox-media://thumb.evil/1',
    'shoebox-media://user@thumb/1',
    'shoebox-media://thumb:80/1',
    'shoebox-media:thumb/1',
    'shoebox-media:///thumb/1',
    'file:///thumb/1',
    'app://shoebox/thumb/1',
    'https://thumb/1',
    'shoebox-media://thumb/1?path=/etc/passwd',
    'shoebox-media://thumb/1#frag',
    '',
  ]) {
    assert.equal(parseMediaUrl(url), null, url);
  }
});
