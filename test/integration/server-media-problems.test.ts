// A photo's original that cannot be shown, on a real server over a real, indexed library whose
// files are then changed on disk: a deleted file answers 404 `missing`, a folder in a file's
// place 422 `unreadable` (X-Shoebox-Problem tells them apart, as the viewer needs), and
// photos.checkOriginal, which the viewer asks when its <img> fails, names what is wrong with the
// content (text instead of an image, a file cut short) or says the original is fine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import { callApi } from '../../electron/core/api/table.js';
import { startServer } from '../../electron/server/server.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';

interface Reply {
  status: number;
  problem: string | undefined;
  body: string;
}

function get(port: number, urlPath: string, token: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { Authorization: `Bearer ${token}` }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, problem: res.headers['x-shoebox-problem'] as string | undefined, body }));
    });
    req.on('error', reject);
  });
}

test('missing and unreadable originals are told apart, by the media route and photos.checkOriginal', { timeout: 120_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-media-problems-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const library = path.join(work, 'Pictures');
  await writeDemoLibrary(library, { seed: 11, count: 6 });
  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  await callApi(core, 'roots.add', { path: library });
  const { jobId } = await callApi(core, 'index.start', {});
  assert.equal((await callApi(core, 'jobs.wait', { jobId })).state, 'done');
  const { photos } = await callApi(core, 'photos.list', { limit: 50 });
  assert.equal(photos.length, 6);
  const [fine, deleted, folder, text, cut] = photos as [(typeof photos)[0], ...typeof photos];

  await mkdir(path.join(work, 'renderer'));
  const server = await startServer({ core, rendererDir: path.join(work, 'renderer'), port: 0, log: () => undefined });
  t.after(async () => {
    await server.close();
    await core.close();
  });
  const media = (id: number) => get(server.port, `/media/photo/${id}`, server.token);
  const check = (id: number) => callApi(core, 'photos.checkOriginal', { id });

  // Before: every original is sent and checks out.
  for (const p of [fine, deleted, folder, text, cut]) assert.equal((await media(p!.id)).status, 200, p!.path);
  assert.deepEqual(await check(fine.id), { problem: null, path: fine.path, reason: null });

  // After indexing, the files change on disk as a person's files do.
  await unlink(deleted!.path);
  await unlink(folder!.path);
  await mkdir(folder!.path);
  await writeFile(text!.path, 'This is a note, saved with a .jpg name by mistake.\n');
  const bytes = await readFile(cut!.path);
  await writeFile(cut!.path, bytes.subarray(0, Math.floor(bytes.length / 3)));

  await t.test('a deleted file: 404 missing', async () => {
    const reply = await media(deleted!.id);
    assert.equal(reply.status, 404);
    assert.equal(reply.problem, 'missing');
    assert.match(reply.body, /file not found/);
    assert.deepEqual(await check(deleted!.id), { problem: 'missing', path: deleted!.path, reason: 'file not found' });
  });

  await t.test('a folder where the file was: 422 unreadable', async () => {
    const reply = await media(folder!.id);
    assert.equal(reply.status, 422);
    assert.equal(reply.problem, 'unreadable');
    assert.deepEqual(await check(folder!.id), { problem: 'unreadable', path: folder!.path, reason: 'this is a folder, not a file' });
  });

  await t.test('content that does not decode: sent as it is, and checkOriginal says why', async () => {
    assert.equal((await media(text!.id)).status, 200, 'the route does not decode what it sends');
    assert.deepEqual(await check(text!.id), { problem: 'unreadable', path: text!.path, reason: 'not an image file (looks like text)' });
    const truncated = await check(cut!.id);
    assert.equal(truncated.problem, 'unreadable');
    assert.match(truncated.reason ?? '', /truncated/);
  });

  await t.test('unknown ids stay a plain 404 that says nothing about the disk', async () => {
    const reply = await media(987654);
    assert.equal(reply.status, 404);
    assert.equal(reply.problem, undefined);
    await assert.rejects(check(987654), /No photo with id 987654/);
  });
});
