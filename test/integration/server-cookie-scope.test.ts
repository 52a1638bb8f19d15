// Security probe, finding 1, in real Chromium: the credential the browser holds for Shoebox must
// reach Shoebox's origin alone. Cookies ignore ports, so a cookie set by 127.0.0.1:PORT also goes
// to every other server on 127.0.0.1. The test opens the printed launch URL, then sends the same
// browser to another local HTTP server (by 127.0.0.1 and by localhost) whose page loads a script,
// an image and a fetch from itself; that server records every header it receives. It must get no
// token, and replaying whatever it got (as a cookie or as a bearer token) must be refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import { startServer } from '../../electron/server/server.js';
import { tempDir } from '../support/temp-dir.js';
import { launchBrowser, skipReason } from '../e2e/support.js';
import type { Page } from 'playwright-core';

const skip = skipReason();

interface Recorded {
  url: string;
  /** Every header as sent, name and value. */
  headers: [string, string][];
}

/** The "other local web server": answers a page that makes the browser request it again three ways. */
async function startRecorder(): Promise<{ port: number; requests: Recorded[]; close: () => Promise<void> }> {
  const requests: Recorded[] = [];
  const page = '<!doctype html><title>other app</title><img src="/pixel.svg" alt=""><script src="/probe.js"></script>';
  const probe = "fetch('/fetched', { credentials: 'include' }).then(() => { document.title = 'probed'; });";
  const pixel = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
  const server = http.createServer((req, res) => {
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    requests.push({ url: req.url ?? '', headers });
    const [type, body] =
      req.url === '/probe.js' ? ['text/javascript', probe] : req.url === '/pixel.svg' ? ['image/svg+xml', pixel] : ['text/html', page];
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function post(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/status', method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end('{"loadModel":false}');
  });
}

/**
 * Waits until `expression` (a string: this file is type-checked without the DOM library) is true
 * in the page, polled from here: waitForFunction would poll by evaluating it inside the page,
 * which Shoebox's CSP forbids.
 */
async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await page.evaluate(expression)) !== true) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the browser credential never reaches another local server, and what that server gets is useless', { skip: skip ?? false, timeout: 120_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-cookie-scope-');
  // A minimal UI under the real CSP: it calls the API and opens the job-event socket with the
  // browser's own credential, as the real renderer does.
  const renderer = path.join(work, 'renderer');
  await mkdir(path.join(renderer, 'assets'), { recursive: true });
  await writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>Shoebox</title><script type="module" src="/assets/app.js"></script>');
  await writeFile(
    path.join(renderer, 'assets', 'app.js'),
    `const r = await fetch('/api/status', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"loadModel":false}' });
     document.body.dataset.api = String(r.status);
     const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/events');
     ws.onopen = () => (document.body.dataset.ws = 'open');
     ws.onerror = () => (document.body.dataset.ws = 'error');`,
  );
  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  const server = await startServer({ core, rendererDir: renderer, port: 0, log: () => undefined });
  t.after(async () => {
    await server.close();
    await core.close();
  });
  const recorder = await startRecorder();
  t.after(() => recorder.close());
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await browser.newContext();
  const page = await context.newPage();

  const uiHost = new URL(server.launchUrl).hostname;
  await t.test('the launch URL names a private per-launch host under .localhost', () => {
    assert.match(uiHost, /^[a-z0-9-]+\.localhost$/, server.launchUrl);
    assert.ok(uiHost.length >= 'x.localhost'.length + 26, 'at least 128 random bits in the name');
  });

  await t.test('the UI works in Chromium on that name: API by cookie, WebSocket, token gone from the address bar', async () => {
    await page.goto(server.launchUrl);
    await until(page, 'document.body?.dataset.api !== undefined && document.body.dataset.ws !== undefined');
    assert.equal(await page.evaluate('document.body.dataset.api'), '200');
    assert.equal(await page.evaluate('document.body.dataset.ws'), 'open');
    assert.equal(new URL(page.url()).search, '', 'token removed from the address');
    const cookies = await context.cookies();
    assert.ok(cookies.length > 0, 'the browser holds a cookie for Shoebox');
    for (const c of cookies) {
      assert.equal(c.domain, uiHost, `cookie ${c.name} is host-only on the private name`);
      assert.equal(c.httpOnly, true);
      assert.equal(c.sameSite, 'Strict');
    }
  });

  await t.test('the link opened by its old name, 127.0.0.1, moves to the private name and works there', async () => {
    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto(`${server.origin}/?token=${server.token}`);
    await until(fresh, 'document.body?.dataset.api !== undefined');
    assert.equal(new URL(fresh.url()).host, new URL(server.uiOrigin).host);
    assert.equal(await fresh.evaluate('document.body.dataset.api'), '200');
    for (const c of await fresh.context().cookies()) assert.equal(c.domain, uiHost, `cookie ${c.name} is host-only on the private name`);
    await fresh.context().close();
  });

  await t.test('another server on 127.0.0.1 and on localhost receives no token', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const before = recorder.requests.length;
      await page.goto(`http://${name}:${recorder.port}/`);
      await page.waitForFunction("document.title === 'probed'");
      const seen = recorder.requests.slice(before).map((r) => r.url);
      for (const url of ['/', '/probe.js', '/pixel.svg', '/fetched']) assert.ok(seen.includes(url), `${name}: ${url} was requested (${seen.join(', ')})`);
    }
    const all = recorder.requests.flatMap((r) => r.headers.map(([name, value]) => ({ url: r.url, name, value })));
    for (const { url, name, value } of all) assert.ok(!value.includes(server.token), `${url}: header ${name} carries the Shoebox token: ${value}`);
    for (const r of recorder.requests) {
      for (const [name, value] of r.headers) {
        assert.doesNotMatch(`${name}: ${value}`, /shoebox/i, `${r.url}: header ${name} names Shoebox`);
        assert.ok(!value.includes(uiHost), `${r.url}: header ${name} reveals the private host name`);
      }
    }
  });

  await t.test('replaying what that server got, as a cookie or as a bearer token, is refused', async () => {
    const cookieHeaders = recorder.requests.flatMap((r) => r.headers.filter(([n]) => n.toLowerCase() === 'cookie').map(([, v]) => v));
    const values = cookieHeaders.flatMap((h) => h.split(';').map((p) => p.slice(p.indexOf('=') + 1).trim()));
    const attempts: Record<string, string>[] = [
      ...cookieHeaders.map((c) => ({ Cookie: c })),
      ...cookieHeaders.map((c) => ({ Cookie: c, Host: `localhost:${server.port}` })),
      ...values.map((v) => ({ Authorization: `Bearer ${v}` })),
      {}, // nothing received: the same as no credential at all
    ];
    for (const headers of attempts) {
      const r = await post(server.port, headers);
      assert.ok(r.status === 401 || r.status === 403, `${JSON.stringify(headers)} → ${r.status} ${r.body}`);
    }
  });

  await t.test('unauthenticated answers do not reveal the private host name', async () => {
    const answers = [
      await post(server.port, {}),
      await post(server.port, { Authorization: 'Bearer wrong' }),
      await post(server.port, { Host: `evil.example:${server.port}` }),
    ];
    for (const path of ['/', '/?token=wrong', '/assets/app.js', '/media/thumb/1']) {
      answers.push(
        await new Promise<{ status: number; body: string }>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: server.port, path }, (res) => {
              let body = JSON.stringify(res.headers);
              res.on('data', (c: Buffer) => (body += c.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            })
            .on('error', reject);
        }),
      );
    }
    for (const a of answers) {
      assert.ok(a.status >= 400, `refused (${a.status})`);
      assert.ok(!a.body.includes(uiHost), a.body);
    }
  });
});
