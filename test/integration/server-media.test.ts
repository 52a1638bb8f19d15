// Browser-mode media answers on a real server and a real, indexed library: /media/file serves only
// what indexing would take (photo types, no hidden or system files or folders, as
// library/walk.ts skips them); every media answer, found or not, carries the sandbox CSP and
// nosniff like Electron's shoebox-media://; and the file descriptor opened for an answer is
// closed on every way out (sent, HEAD, 304, refused, dropped by the browser mid-transfer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Shoebox } from '../../electron/core/shoebox.js';
import { callApi } from '../../electron/core/api/table.js';
import { resolveMediaPath } from '../../electron/core/api/media.js';
import { startServer } from '../../electron/server/server.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  length: number;
}

function request(port: number, urlPath: string, headers: Record<string, string>, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers, agent: false }, (res) => {
      let length = 0;
      res.on('data', (c: Buffer) => (length += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, length }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts a download and drops the connection after its first chunk, as a browser cancelling an image does. */
function abortAfterFirstChunk(port: number, urlPath: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => (req.destroyed ? resolve() : reject(err)));
  });
}

/** This process's open descriptors (Linux), the server's included: it runs in the test's process. */
async function openDescriptors(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

test('browser-mode media: only what indexing takes, sandboxed headers, descriptors closed', { timeout: 120_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-media-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const library = path.join(work, 'Pictures');
  await writeDemoLibrary(library, { seed: 5, count: 2 });
  const demoPhoto = (await readdir(library, { recursive: true })).find((f) => f.toLowerCase().endsWith('.jpg'));
  assert.ok(demoPhoto, 'the demo library has a JPEG');
  const photo = path.join(library, demoPhoto);
  // The same picture where indexing looks and where it does not.
  for (const rel of ['visible.jpg', '.hidden.jpg', 'sub/.hidden.jpg', '.private/a.jpg', '@eaDir/a.jpg', '@EADIR/a.jpg', '$RECYCLE.BIN/a.jpg', 'lost+found/a.jpg']) {
    await mkdir(path.dirname(path.join(library, rel)), { recursive: true });
    await copyFile(photo, path.join(library, rel));
  }
  await writeFile(path.join(library, 'big.jpg'), randomBytes(8 * 1024 * 1024));

  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  const root = await callApi(core, 'roots.add', { path: library });
  const { jobId } = await callApi(core, 'index.start', {});
  assert.equal((await callApi(core, 'jobs.wait', { jobId })).state, 'done');
  const { photos } = await callApi(core, 'photos.list', { limit: 50 });
  const indexed = new Set(photos.map((p) => path.relative(library, p.path)));
  assert.ok(indexed.has('visible.jpg'), [...indexed].join(', '));
  const good = photos.find((p) => p.path === path.join(library, 'visible.jpg'))!;

  await mkdir(path.join(work, 'renderer'));
  const server = await startServer({ core, rendererDir: path.join(work, 'renderer'), port: 0, log: () => undefined });
  t.after(async () => {
    await server.close();
    await core.close();
  });
  const auth = { Authorization: `Bearer ${server.token}` };
  const get = (p: string, headers: Record<string, string> = {}, method = 'GET') => request(server.port, p, { ...auth, ...headers }, method);
  const file = (rel: string) => `/media/file/${root.id}/${rel.split('/').map(encodeURIComponent).join('/')}`;

  await t.test('/media/file serves only what indexing would take', async () => {
    assert.equal((await get(file('visible.jpg'))).status, 200);
    for (const rel of ['.hidden.jpg', 'sub/.hidden.jpg', '.private/a.jpg', '@eaDir/a.jpg', '@EADIR/a.jpg', '$RECYCLE.BIN/a.jpg', 'lost+found/a.jpg']) {
      assert.equal(indexed.has(rel), false, `indexing skips ${rel}`);
      assert.equal((await get(file(rel))).status, 404, rel);
      assert.equal(await resolveMediaPath(core, `${root.id}/${rel.split('/').map(encodeURIComponent).join('/')}`), null, rel);
    }
  });

  await t.test('every media answer is sandboxed and not sniffable', async () => {
    const thumb = await get(`/media/thumb/${good.id}`);
    const answers: Array<[string, Reply, number]> = [
      ['thumb', thumb, 200],
      ['photo', await get(`/media/photo/${good.id}`), 200],
      ['file', await get(file('visible.jpg')), 200],
      ['HEAD', await get(`/media/photo/${good.id}`, {}, 'HEAD'), 200],
      ['304', await get(`/media/thumb/${good.id}`, { 'If-None-Match': String(thumb.headers.etag) }), 304],
      ['404', await get('/media/photo/987654'), 404],
      ['404 hidden', await get(file('.hidden.jpg')), 404],
      ['405', await get(`/media/photo/${good.id}`, {}, 'POST'), 405],
    ];
    for (const [what, reply, status] of answers) {
      assert.equal(reply.status, status, what);
      assert.equal(reply.headers['content-security-policy'], "default-src 'none'; sandbox", what);
      assert.equal(reply.headers['x-content-type-options'], 'nosniff', what);
    }
    assert.equal(answers[3]![1].length, 0, 'HEAD has no body');
    assert.equal(Number(answers[3]![1].headers['content-length']), answers[1]![1].length, 'HEAD announces the size GET sends');
  });

  await t.test('the descriptor is closed on every way out', { skip: process.platform !== 'linux' && 'counts /proc/self/fd' }, async () => {
    const before = await openDescriptors();
    const etag = String((await get(`/media/photo/${good.id}`)).headers.etag);
    for (let i = 0; i < 20; i++) {
      await get(`/media/photo/${good.id}`);
      await get(`/media/photo/${good.id}`, {}, 'HEAD');
      await get(`/media/photo/${good.id}`, { 'If-None-Match': etag });
      await get(file('.hidden.jpg'));
      await abortAfterFirstChunk(server.port, file('big.jpg'), auth);
    }
    // Dropped transfers close on the server's side a moment later.
    let after = await openDescriptors();
    for (let i = 0; i < 100 && after > before; i++) {
      await sleep(50);
      after = await openDescriptors();
    }
    assert.ok(after <= before, `open descriptors: ${before} before, ${after} after 100 answers`);
  });
});
