// Security probe, finding 3: connections that send nothing (or half a request) must not lock the
// person out. The real server runs as a child process (as `npm start` runs it) under a low file
// limit (ulimit -n 256) with short timeouts set through its environment; the test opens 400 raw
// sockets that never finish a request, then shows that an authorised API call succeeds meanwhile,
// that the server closes every one of those sockets, and that an authorised WebSocket and a long
// authorised request are left alone. The bounds below are many times the configured timeouts:
// they catch "never", not "slow".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { WebSocket } from 'ws';
import { DEFAULT_LIMITS, limitsFromEnv, resolveLimits } from '../../electron/server/connections.js';
import { tempDir } from '../support/temp-dir.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const TIMEOUT_MS = 1000;
/**
 * How long the test waits for something that the 1 s timeouts should bring about. Without the
 * limits, Node closes a silent socket only after its default checking interval (30 s) has passed.
 */
const BOUND_MS = 20_000;
const FLOOD = 400;

interface Child {
  port: number;
  token: string;
  stop(): Promise<void>;
}

async function startLimitedServer(dataDir: string): Promise<Child> {
  const script = `ulimit -n 256 && exec "${process.execPath}" --import tsx electron/server/start.ts --data-dir "${dataDir}" --port 0`;
  const child = spawn('bash', ['-c', script], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SHOEBOX_SERVER_HEADERS_TIMEOUT_MS: String(TIMEOUT_MS),
      SHOEBOX_SERVER_KEEPALIVE_TIMEOUT_MS: String(TIMEOUT_MS),
      SHOEBOX_SERVER_REQUEST_TIMEOUT_MS: String(2 * TIMEOUT_MS),
    },
  });
  let output = '';
  const [port, token] = await new Promise<[number, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server printed no address in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /http:\/\/[^\s/]+:(\d+)\/\?token=([\w-]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve([Number(m[1]), m[2]!]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code}) before printing its address:\n${output}`));
    });
  });
  return {
    port,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** An authorised POST on a fresh connection; resolves with the status and body, or the network error. */
function api(port: number, token: string, name: string, input: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/${name}`,
        method: 'POST',
        agent: false,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Connection: 'close' },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(BOUND_MS, () => req.destroy(new Error(`no answer to ${name} in ${BOUND_MS} ms`)));
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

interface Attacker {
  closed: number;
  connected: Promise<void>;
  sockets: net.Socket[];
}

/**
 * Opens `count` sockets; each sends `send(i)` (possibly nothing) and then nothing more, and is never
 * closed by this side until the end, so every close counts as the server's.
 */
function flood(port: number, count: number, send: (i: number) => string): Attacker {
  const a: Attacker = { closed: 0, connected: Promise.resolve(), sockets: [] };
  const connects: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const s = net.connect(port, '127.0.0.1');
    a.sockets.push(s);
    s.on('error', () => undefined); // a reset is one way for the server to close it
    s.on('data', () => undefined);
    s.once('close', () => a.closed++);
    connects.push(
      new Promise<void>((resolve) => {
        s.once('connect', () => {
          const text = send(i);
          if (text) s.write(text);
          resolve();
        });
        s.once('close', () => resolve());
      }),
    );
  }
  a.connected = Promise.all(connects).then(() => undefined);
  return a;
}

async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + BOUND_MS;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Still waiting after ${BOUND_MS} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('idle and half-sent connections are closed and do not lock the person out', { timeout: 180_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-idle-flood-');
  const server = await startLimitedServer(path.join(work, 'data'));
  t.after(() => server.stop());
  const { port, token } = server;

  // The person's UI is open: its job-event WebSocket is long-lived by design.
  const ws = new WebSocket(`ws://127.0.0.1:${port}/events`, { headers: { Authorization: `Bearer ${token}` } });
  const jobStates: string[] = [];
  ws.on('message', (data) => jobStates.push((JSON.parse(String(data)) as { job: { state: string } }).job.state));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const wsOpenedAt = Date.now();

  const partial = `GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`; // never ends its headers
  const unauthorised = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`; // answered 401, then kept alive
  const attackers = flood(port, FLOOD, (i) => (i % 8 === 1 ? partial : i % 8 === 2 ? unauthorised : ''));
  t.after(() => attackers.sockets.forEach((s) => s.destroy()));
  await attackers.connected;

  await t.test('an authorised API call succeeds while the flood holds its sockets', async () => {
    const r = await api(port, token, 'status', { loadModel: false });
    assert.equal(r.status, 200, r.body);
  });

  await t.test('the server closes every idle or half-sent socket', async () => {
    await until(`${FLOOD - attackers.closed} of ${FLOOD} flood sockets still open`, () => attackers.closed === FLOOD);
  });

  await t.test('a request that takes longer than the idle timeouts is answered', async () => {
    const added = await api(port, token, 'library.addDemo', { count: 12 });
    assert.equal(added.status, 200, added.body);
    const { jobId } = (JSON.parse(added.body) as { result: { jobId: number } }).result;
    const waited = await api(port, token, 'jobs.wait', { jobId });
    assert.equal(waited.status, 200, waited.body);
    assert.match(waited.body, /"state":"done"/);
  });

  await t.test('the authorised WebSocket stays open past the timeouts and still gets job events', async () => {
    const quietUntil = wsOpenedAt + 3 * TIMEOUT_MS;
    if (Date.now() < quietUntil) await new Promise((r) => setTimeout(r, quietUntil - Date.now()));
    assert.equal(ws.readyState, WebSocket.OPEN);
    assert.ok(jobStates.includes('done'), `job events seen: ${jobStates.join(', ')}`);
    const before = jobStates.length;
    const started = await api(port, token, 'index.start', {});
    assert.equal(started.status, 200, started.body);
    await until('a job event after the quiet time', () => jobStates.length > before);
    ws.close();
  });

  await t.test('a finished keep-alive connection is closed after the keep-alive timeout', async () => {
    const [s] = flood(port, 1, () => `POST /api/status HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`).sockets;
    let answer = '';
    s!.on('data', (c: Buffer) => (answer += c.toString()));
    await until('the keep-alive socket to be closed', () => s!.destroyed || s!.readableEnded);
    assert.match(answer, /^HTTP\/1\.1 200/);
  });
});

test('the limits: defaults, overrides from the environment, and readable errors', () => {
  assert.deepEqual(resolveLimits(), DEFAULT_LIMITS);
  assert.ok(DEFAULT_LIMITS.headersTimeoutMs >= 5_000 && DEFAULT_LIMITS.headersTimeoutMs <= 20_000, 'a person on a slow machine is not cut off');
  assert.deepEqual(limitsFromEnv({ SHOEBOX_SERVER_HEADERS_TIMEOUT_MS: '1000', SHOEBOX_SERVER_MAX_CONNECTIONS: '' }), { headersTimeoutMs: 1000 });
  assert.throws(() => limitsFromEnv({ SHOEBOX_SERVER_KEEPALIVE_TIMEOUT_MS: '5s' }), /SHOEBOX_SERVER_KEEPALIVE_TIMEOUT_MS must be a whole number above 0, got "5s"/);
  assert.throws(() => limitsFromEnv({ SHOEBOX_SERVER_MAX_CONNECTIONS: '0' }), /SHOEBOX_SERVER_MAX_CONNECTIONS/);
  assert.throws(() => resolveLimits({ headersTimeoutMs: 40_000 }), /headers timeout \(40000 ms\) cannot be longer than the request timeout \(30000 ms\)/);
});
