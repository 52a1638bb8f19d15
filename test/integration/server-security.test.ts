// The browser-mode server's defences, tested with raw HTTP requests against the real server on a
// real, indexed library: the token (header, cookie on the UI's private name, WebSocket), Host and
// Origin checks, API input
// validation and status codes, and media requests that try to leave the library folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { Shoebox } from '../../electron/core/shoebox.js';
import { callApi } from '../../electron/core/api/table.js';
import { resolveMedia, resolveMediaPath } from '../../electron/core/api/media.js';
import { startServer } from '../../electron/server/server.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, urlPath: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Opens a WebSocket and resolves to the HTTP status of a refused upgrade, or 101 when it opens. */
function upgradeStatus(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/events`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', (err) => reject(err));
  });
}

test('the browser-mode server refuses what it must and serves what it should', { timeout: 120_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-server-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const library = path.join(work, 'Pictures');
  const outside = path.join(work, 'private');
  await writeDemoLibrary(library, { seed: 7, count: 4 });
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.jpg'), await readFile(path.join(library, 'manifest.json')));

  const renderer = path.join(work, 'renderer');
  await mkdir(path.join(renderer, 'assets'), { recursive: true });
  await writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>Shoebox</title><script type="module" src="./assets/app.js"></script>');
  await writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log("hi")');

  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  const root = await callApi(core, 'roots.add', { path: library });
  const { jobId } = await callApi(core, 'index.start', {});
  assert.equal((await callApi(core, 'jobs.wait', { jobId })).state, 'done');
  const { photos } = await callApi(core, 'photos.list', { limit: 10 });
  assert.equal(photos.length, 4);
  const [good, linked] = photos as [(typeof photos)[0], (typeof photos)[0]];

  const server = await startServer({ core, rendererDir: renderer, port: 0, log: () => undefined });
  t.after(async () => {
    await server.close();
    await core.close();
  });
  const { port, token } = server;
  const uiHost = new URL(server.uiOrigin).host; // shoebox-<random>.localhost:PORT, where the cookie lives
  assert.match(token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  const auth = { Authorization: `Bearer ${token}` };
  const json = { ...auth, 'Content-Type': 'application/json' };
  const post = (name: string, body: unknown, headers: Record<string, string> = json) =>
    request(port, `/api/${name}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const errorOf = (r: Reply) => (JSON.parse(r.body) as { ok: false; error: { code: string; message: string } }).error;

  await t.test('bound to loopback only', () => {
    assert.equal(server.host, '127.0.0.1');
    assert.equal(server.origin, `http://127.0.0.1:${port}`);
  });

  await t.test('the token is required on /api, /media and the UI', async () => {
    const none = await post('status', { loadModel: false }, { 'Content-Type': 'application/json' });
    assert.equal(none.status, 401);
    assert.equal(errorOf(none).code, 'unauthorized');
    const wrong = await post('status', { loadModel: false }, { 'Content-Type': 'application/json', Authorization: `Bearer ${'x'.repeat(43)}` });
    assert.equal(wrong.status, 403);
    assert.equal(errorOf(wrong).code, 'forbidden');
    const right = await post('status', { loadModel: false });
    assert.equal(right.status, 200, right.body);
    assert.equal((JSON.parse(right.body) as { ok: boolean }).ok, true);
    assert.equal((await request(port, `/media/thumb/${good.id}`)).status, 401);
    assert.equal((await request(port, `/media/thumb/${good.id}`, { headers: { Cookie: `shoebox_${port}=wrong`, Host: uiHost } })).status, 403);
    // The right cookie sent to another name was copied or replayed, not sent by a browser: ignored.
    assert.equal((await request(port, `/media/thumb/${good.id}`, { headers: { Cookie: `shoebox_${port}=${token}` } })).status, 401);
    assert.equal((await request(port, '/')).status, 401);
    assert.equal((await request(port, '/assets/app.js')).status, 401);
  });

  await t.test('the printed link trades the token for an HttpOnly, SameSite=Strict, host-only cookie on the private name', async () => {
    assert.match(server.launchUrl, /^http:\/\/shoebox-[0-9a-f]{32}\.localhost:\d+\/\?token=/);
    assert.equal((await request(port, '/?token=wrong')).status, 403);
    assert.equal((await request(port, '/?token=wrong', { headers: { Host: uiHost } })).status, 403);
    const moved = await request(port, `/?token=${token}`);
    assert.equal(moved.status, 303, 'the link opened on 127.0.0.1 moves to the private name');
    assert.equal(moved.headers.location, `${server.uiOrigin}/?token=${token}`);
    assert.equal(moved.headers['set-cookie'], undefined, 'no cookie for 127.0.0.1');
    const login = await request(port, `/?token=${token}`, { headers: { Host: uiHost } });
    assert.equal(login.status, 303);
    assert.equal(login.headers.location, '/', 'the token leaves the address bar');
    const cookie = login.headers['set-cookie']?.[0] ?? '';
    assert.match(cookie, new RegExp(`^shoebox_${port}=${token};`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.doesNotMatch(cookie, /Domain=/i, 'host-only');
    const withCookie = { Cookie: cookie.split(';')[0]!, Host: uiHost };
    const page = await request(port, '/', { headers: withCookie });
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Shoebox<\/title>/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/, 'no inline or remote scripts');
    assert.match(csp, new RegExp(`connect-src 'self' ws://${uiHost.replaceAll('.', '\\.')}(;|$)`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal((await request(port, '/assets/app.js', { headers: withCookie })).status, 200);
    assert.equal((await request(port, `/media/thumb/${good.id}`, { headers: withCookie })).status, 200);
    // No directory listing, no way out of the built files.
    for (const p of ['/assets/', '/assets', '/../package.json', '/%2e%2e/package.json', '/index.html/..']) {
      assert.equal((await request(port, p, { headers: withCookie })).status, 404, p);
    }
  });

  await t.test('DNS rebinding and other sites are refused, token or not', async () => {
    const evilHost = await post('status', {}, { ...json, Host: `evil.example:${port}` });
    assert.equal(evilHost.status, 403);
    assert.match(errorOf(evilHost).message, /Host/);
    assert.equal((await post('status', {}, { ...json, Host: '127.0.0.1:1' })).status, 403, 'another port is another host');
    assert.equal((await post('status', { loadModel: false }, { ...json, Host: `localhost:${port}` })).status, 200);
    assert.equal((await post('status', {}, { ...json, Origin: 'http://evil.example' })).status, 403);
    assert.equal((await post('status', {}, { ...json, Origin: `http://127.0.0.1:${port + 1}` })).status, 403, 'another localhost port');
    assert.equal((await post('status', {}, { ...json, Origin: 'null' })).status, 403);
    assert.equal((await post('status', { loadModel: false }, { ...json, Origin: `http://127.0.0.1:${port}` })).status, 200);
    assert.equal((await post('status', {}, { ...json, 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    assert.equal((await request(port, `/media/thumb/${good.id}`, { headers: { ...auth, 'Sec-Fetch-Site': 'same-site' } })).status, 403);
  });

  await t.test('the API takes JSON by POST only, validates it and answers with fitting status codes', async () => {
    assert.equal((await request(port, '/api/status', { headers: auth })).status, 405);
    assert.equal((await post('status', {}, { ...auth, 'Content-Type': 'text/plain' })).status, 415);
    assert.equal((await request(port, '/api/status', { method: 'POST', headers: json, body: '{not json' })).status, 400);
    const big = await request(port, '/api/search.text', { method: 'POST', headers: json, body: JSON.stringify({ query: 'x'.repeat(70_000) }) });
    assert.equal(big.status, 413);
    assert.equal((await post('no.such.operation', {})).status, 404);

    const badId = await post('photos.get', { id: '7' });
    assert.equal(badId.status, 400);
    assert.equal(errorOf(badId).code, 'bad-input');
    assert.match(errorOf(badId).message, /\bid\b/);
    const emptyQuery = await post('search.text', { query: '' });
    assert.equal(emptyQuery.status, 400);
    assert.match(errorOf(emptyQuery).message, /query/);
    const extra = await post('roots.list', { sneaky: true });
    assert.equal(extra.status, 400);
    assert.match(errorOf(extra).message, /sneaky/);
    const missing = await post('photos.get', { id: 987654 });
    assert.equal(missing.status, 404);
    assert.equal(errorOf(missing).code, 'not-found');
    assert.doesNotMatch(missing.body, /\n\s+at /, 'no stack trace');
    const ok = await post('photos.get', { id: good.id });
    assert.equal((JSON.parse(ok.body) as { result: { path: string } }).result.path, good.path);
  });

  // Replace one photo by a symlink to a file outside the library: it must no longer be served.
  await rename(linked.path, path.join(outside, 'moved-out.jpg'));
  await symlink(path.join(outside, 'moved-out.jpg'), linked.path);
  await symlink(outside, path.join(library, 'escape'));

  await t.test('media: photos and thumbnails inside the library are served, typed and not sniffable', async () => {
    const thumb = await request(port, `/media/thumb/${good.id}`, { headers: auth });
    assert.equal(thumb.status, 200);
    assert.equal(thumb.headers['content-type'], 'image/webp');
    assert.equal(thumb.headers['x-content-type-options'], 'nosniff');
    assert.equal(thumb.headers['cross-origin-resource-policy'], 'same-origin');
    const original = await request(port, `/media/photo/${good.id}`, { headers: auth });
    assert.equal(original.status, 200);
    assert.match(String(original.headers['content-type']), /^image\//);
    const rel = good.relPath.split('/').map(encodeURIComponent).join('/');
    assert.equal((await request(port, `/media/file/${root.id}/${rel}`, { headers: auth })).status, 200, rel);
    const again = await request(port, `/media/thumb/${good.id}`, { headers: { ...auth, 'If-None-Match': String(thumb.headers.etag) } });
    assert.equal(again.status, 304);
  });

  await t.test('media: nothing outside the library folders, however the path is spelled', async () => {
    const refused = [
      `/media/photo/${linked.id}`, // its file is now a symlink out of the root
      '/media/photo/987654',
      '/media/photo/0',
      '/media/photo/1e3',
      '/media/thumb/-1',
      '/media/photo/../../../../etc/passwd',
      `/media/file/${root.id}/../../../../etc/passwd`,
      `/media/file/${root.id}/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/media/file/${root.id}/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
      `/media/file/${root.id}/%2E%2E/private/secret.jpg`,
      `/media/file/${root.id}/%252e%252e/private/secret.jpg`,
      `/media/file/${root.id}/escape/secret.jpg`, // a folder symlink leading out
      `/media/file/${root.id}/escape/moved-out.jpg`,
      `/media/file/${root.id}/${linked.relPath.split('/').map(encodeURIComponent).join('/')}`,
      `/media/file/${root.id}/x%00.jpg`,
      `/media/file/${root.id}/..\\..\\etc\\passwd`,
      `/media/file/${root.id}/manifest.json`, // inside, but not a photo
      `/media/file/999/${good.relPath.split('/').map(encodeURIComponent).join('/')}`,
      '/media/file/../../etc/passwd',
    ];
    for (const p of refused) {
      const r = await request(port, p, { headers: auth });
      assert.equal(r.status, 404, `${p} → ${r.status}`);
    }
    assert.equal(await resolveMediaPath(core, `${root.id}/escape/secret.jpg`), null);
    assert.equal(await resolveMedia(core, 'photo', linked.id), null);
    assert.equal((await resolveMedia(core, 'photo', good.id))?.file, good.path);
  });

  await t.test('the job-event WebSocket needs the token and this origin, then pushes progress', async () => {
    assert.equal(await upgradeStatus(port, {}), 401);
    assert.equal(await upgradeStatus(port, { Authorization: 'Bearer nope' }), 403);
    assert.equal(await upgradeStatus(port, { ...auth, Origin: 'http://evil.example' }), 403);
    assert.equal(await upgradeStatus(port, { Cookie: `shoebox_${port}=${token}`, Origin: `http://localhost:${port}` }), 401, 'cookie off the private name');
    assert.equal(await upgradeStatus(port, { Cookie: `shoebox_${port}=${token}`, Host: uiHost, Origin: server.uiOrigin }), 101);

    const ws = new WebSocket(`ws://127.0.0.1:${port}/events`, { headers: auth });
    const states: string[] = [];
    const finished = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { type: string; job: { kind: string; state: string } };
        assert.equal(msg.type, 'job');
        states.push(msg.job.state);
        if (msg.job.state === 'done') resolve();
      }),
    );
    await new Promise((resolve) => ws.once('open', resolve));
    const started = await post('index.start', {});
    assert.equal(started.status, 200);
    await finished;
    ws.close();
    assert.equal(states.at(-1), 'done');
    assert.ok(states.includes('running'), states.join(','));
  });
});
