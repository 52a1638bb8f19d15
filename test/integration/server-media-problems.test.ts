// A photo's original that cannot be shown, on a real server over a real, indexed library whose
// files are then changed on disk: a deleted file answers 404 `missing`, a folder in a file's
// place 422 `unreadable` (X-Shoebox-Problem tells them apart, as the viewer needs), and
// photos.checkOriginal, which the viewer asks when its <img> fails, names what is wrong with the
// content (text instead of an image, a file cut short) or says the original is fine; a TIFF is
// checked by its first bytes only; and a folder swapped for a link out of the library gets one
// plain answer whatever lies outside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import sharp from 'sharp';
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
  const work = await realpath(await mkdtemp(path.join(os.tmpdir(), 'shoebox-media-problems-')));
  t.after(() => rm(work, { recursive: true, force: true }));
  const library = path.join(work, 'Pictures');
  await writeDemoLibrary(library, { seed: 11, count: 6 });
  // A photo alone in its folder, which is later swapped for a link to folders outside the library.
  const album = path.join(library, 'album');
  const demoJpeg = (await readdir(library, { recursive: true })).find((f) => f.endsWith('.jpg'))!;
  await mkdir(album);
  await copyFile(path.join(library, demoJpeg), path.join(album, 'a.jpg'));
  // A TIFF, which browsers do not draw: checked by its first bytes only, never decoded.
  const tiffPath = path.join(library, 'scans', 'scan.tif');
  await mkdir(path.dirname(tiffPath));
  await sharp(path.join(library, demoJpeg)).tiff().toFile(tiffPath);
  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  await callApi(core, 'roots.add', { path: library });
  const { jobId } = await callApi(core, 'index.start', {});
  assert.equal((await callApi(core, 'jobs.wait', { jobId })).state, 'done');
  const { photos: all } = await callApi(core, 'photos.list', { limit: 50 });
  assert.equal(all.length, 8);
  const swapped = all.find((p) => p.path === path.join(album, 'a.jpg'))!;
  const tiff = all.find((p) => p.path === tiffPath)!;
  const photos = all.filter((p) => p !== swapped && p !== tiff);
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

  await t.test('a format browsers do not draw: its signature is read, not its image data', async () => {
    const bytes = await readFile(tiff.path);
    await writeFile(tiff.path, bytes.subarray(0, Math.floor(bytes.length / 3)));
    assert.deepEqual(await check(tiff.id), { problem: null, path: tiff.path, reason: null }, 'cut short, yet not decoded to find out');
    await writeFile(tiff.path, 'A note saved as a TIFF by mistake.\n');
    assert.deepEqual(await check(tiff.id), { problem: 'unreadable', path: tiff.path, reason: 'not an image file (looks like text)' });
    await writeFile(tiff.path, '');
    assert.deepEqual(await check(tiff.id), { problem: 'unreadable', path: tiff.path, reason: 'file is empty' });
  });

  await t.test('a folder swapped for a link out of the library: the same plain answer whatever lies outside', async () => {
    const outside = path.join(work, 'outside');
    await mkdir(path.join(outside, 'with-file'), { recursive: true });
    await copyFile(swapped.path, path.join(outside, 'with-file', 'a.jpg'));
    await mkdir(path.join(outside, 'empty'));
    await mkdir(path.join(outside, 'with-folder', 'a.jpg'), { recursive: true });
    await writeFile(path.join(outside, 'with-text'), '');
    await mkdir(path.join(outside, 'with-text-in'));
    await writeFile(path.join(outside, 'with-text-in', 'a.jpg'), 'not a photo');
    await rename(album, path.join(work, 'album-moved-away'));
    // The same folder gone, with no link in its place: that much is the library's own business.
    assert.equal((await media(swapped.id)).problem, 'missing');
    assert.equal((await check(swapped.id)).problem, 'missing');
    const answers = new Map<string, string>();
    for (const target of ['with-file', 'empty', 'with-folder', 'with-text-in', 'with-text', 'nowhere']) {
      await symlink(path.join(outside, target), album);
      const reply = await media(swapped.id);
      answers.set(target, JSON.stringify({ status: reply.status, problem: reply.problem, body: reply.body, check: await check(swapped.id) }));
      await unlink(album);
    }
    const plain = JSON.stringify({
      status: 404,
      body: 'No such photo, or it is not inside a library folder.',
      check: { problem: 'unreadable', path: swapped.path, reason: 'its path no longer leads to a file inside the library folders' },
    });
    assert.deepEqual(Object.fromEntries(answers), Object.fromEntries([...answers.keys()].map((k) => [k, plain])), 'nothing tells what is outside');
  });

  await t.test('unknown ids stay a plain 404 that says nothing about the disk', async () => {
    const reply = await media(987654);
    assert.equal(reply.status, 404);
    assert.equal(reply.problem, undefined);
    await assert.rejects(check(987654), /No photo with id 987654/);
  });
});
