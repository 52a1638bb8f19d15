// "Show in folder" in Electron's main process: the page names a photo by id, the path comes from
// the core; a foreign frame, a bad id, a photo not in the library or a file gone from disk is
// refused with a reason, and the file manager is asked only for a real photo's real file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiReply } from '../../electron/common/bridge-contract.js';
import { APP_ENTRY_URL } from '../../electron/main/policy.js';
import { showPhotoInFolder } from '../../electron/main/show-in-folder.js';
import { tempDir } from '../support/temp-dir.js';

function fakeCore(photos: Record<number, { path: string; status: string }>) {
  const asked: number[] = [];
  return {
    asked,
    async call(_name: 'photos.get', input: { id: number }): Promise<ApiReply> {
      asked.push(input.id);
      const photo = photos[input.id];
      return photo ? { ok: true, result: { id: input.id, ...photo } } : { ok: false, error: { code: 'not-found', message: `No photo with id ${input.id}.` } };
    },
  };
}

test('the file manager opens on an indexed photo found by id, and on nothing else', async (t) => {
  const dir = await tempDir(t, 'shoebox-show-');
  const here = path.join(dir, 'here.jpg');
  await writeFile(here, 'jpeg');
  const core = fakeCore({ 1: { path: here, status: 'indexed' }, 2: { path: path.join(dir, 'gone.jpg'), status: 'indexed' }, 3: { path: here, status: 'missing' } });
  const revealed: string[] = [];
  const reveal = (p: string): void => void revealed.push(p);

  assert.deepEqual(await showPhotoInFolder(APP_ENTRY_URL, 1, core, reveal), { ok: true, result: null });
  assert.deepEqual(revealed, [here]);

  const refused = async (frame: string | null, id: unknown, code: string, message: RegExp): Promise<void> => {
    const reply = await showPhotoInFolder(frame, id, core, reveal);
    assert.equal(reply.ok, false);
    if (!reply.ok) {
      assert.equal(reply.error.code, code);
      assert.match(reply.error.message, message);
    }
  };
  await refused('https://example.com/', 1, 'forbidden', /Only Shoebox’s own window/);
  await refused(null, 1, 'forbidden', /Only Shoebox’s own window/);
  for (const bad of [0, -1, 1.5, '1', '/etc/passwd', null, { id: 1 }]) await refused(APP_ENTRY_URL, bad, 'bad-input', /needs a photo’s id/);
  await refused(APP_ENTRY_URL, 2, 'not-found', /gone\.jpg is no longer on disk/);
  await refused(APP_ENTRY_URL, 3, 'not-found', /is not in the library any more/);
  await refused(APP_ENTRY_URL, 99, 'not-found', /No photo with id 99/);
  assert.deepEqual(revealed, [here], 'nothing else was shown');
  assert.deepEqual(core.asked, [1, 2, 3, 99], 'the core was asked only about valid ids from our page');
});
