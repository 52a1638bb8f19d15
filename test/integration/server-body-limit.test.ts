// An API request body over the limit gets its 413 answer (the JSON envelope) even when the client
// streams it without a Content-Length and is still sending when the limit is passed; the server
// keeps serving afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import { MAX_BODY_BYTES } from '../../electron/server/api-route.js';
import { startServer } from '../../electron/server/server.js';
import { tempDir } from '../support/temp-dir.js';

interface Reply {
  status: number;
  connection: string | undefined;
  body: string;
}

/**
 * POSTs `total` bytes in chunks with chunked transfer encoding, waiting for each write to drain,
 * and resolves with the answer. Errors on the request after the answer arrived (the server
 * closing a connection the client still writes to) do not matter here.
 */
function streamPost(port: number, token: string, total: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/status', method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(8192, 'x');
    void (async () => {
      for (let sent = 0; sent < total && !answered && !req.destroyed; sent += chunk.length) {
        if (!req.write(chunk)) await new Promise<void>((r) => req.once('drain', () => r()).once('close', () => r()));
      }
      if (!req.destroyed) req.end();
    })();
  });
}

test('an oversized streamed body is answered with the 413 envelope, and the server carries on', { timeout: 60_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-body-limit-');
  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  const server = await startServer({ core, rendererDir: null, port: 0, log: () => undefined });
  t.after(async () => {
    await server.close();
    await core.close();
  });

  const big = await streamPost(server.port, server.token, MAX_BODY_BYTES * 4);
  assert.equal(big.status, 413);
  assert.equal(big.connection, 'close', 'the connection is not kept for more of the body');
  const envelope = JSON.parse(big.body) as { ok: boolean; error: { code: string; message: string } };
  assert.equal(envelope.ok, false);
  assert.equal(envelope.error.code, 'bad-input');
  assert.match(envelope.error.message, /too large/);

  // Just under the limit is read in full (here: not JSON, so 400, not 413).
  const under = await streamPost(server.port, server.token, MAX_BODY_BYTES - 8192);
  assert.equal(under.status, 400);

  const ok = await fetch(`${server.origin}/api/status`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ loadModel: false }),
  });
  assert.equal(ok.status, 200);
});
