// The core host's request handling (what runs in Electron's utility process), driven with a real
// Shoebox on a temp data folder over a real message port and the one worker RPC: API calls through
// the table with schema validation, error envelopes without stacks, media ids resolved by the core
// only, malformed requests answered with an error or ignored, job events forwarded, and a clean close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Shoebox } from '../../electron/core/shoebox.js';
import { RpcClient } from '../../electron/core/workers/rpc.js';
import { HOST_EVENTS, isApiParams, isApiReply, isJobEvent, isMediaParams, type CoreHostMethods } from '../../electron/common/core-host-protocol.js';
import { runApi, serveCoreHost } from '../../electron/workers/core-host-service.js';
import type { JobEvent } from '../../electron/common/job-events.js';

interface Host {
  client: RpcClient<CoreHostMethods>;
  /** The main side's end of the port: what a test posts raw. */
  mainPort: MessagePort;
  /** Every message the host sent, in order (answers and events). */
  received: unknown[];
  jobEvents: JobEvent[];
  exitCodes: number[];
  core: Shoebox;
}

async function withHost(fn: (host: Host) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-host-'));
  const core = await Shoebox.open({ dataDir: dir });
  const { port1: mainPort, port2: hostPort } = new MessageChannel();
  const received: unknown[] = [];
  const jobEvents: JobEvent[] = [];
  const exitCodes: number[] = [];
  const client = new RpcClient<CoreHostMethods>(mainPort, (event, data) => {
    assert.equal(event, HOST_EVENTS.jobEvent);
    assert.ok(isJobEvent(data), `malformed job event ${JSON.stringify(data)}`);
    jobEvents.push(data);
  });
  mainPort.on('message', (message: unknown) => {
    received.push(message);
    client.receive(message);
  });
  serveCoreHost(core, hostPort, (code) => exitCodes.push(code));
  try {
    await fn({ client, mainPort, received, jobEvents, exitCodes, core });
  } finally {
    mainPort.close();
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('an API call runs through the table and replies with the envelope', async () => {
  await withHost(async ({ client }) => {
    const reply = await client.call('api', { name: 'roots.list', input: {} });
    assert.ok(isApiReply(reply));
    assert.deepEqual(reply, { ok: true, result: [] });
  });
});

test('unknown names, bad input and not-found come back as coded errors without stacks', async () => {
  await withHost(async ({ core, client }) => {
    const unknown = await runApi(core, 'fs.readFile', { path: '/etc/passwd' });
    assert.equal(!unknown.ok && unknown.error.code, 'bad-input');
    const proto = await runApi(core, '__proto__', {});
    assert.equal(!proto.ok && proto.error.code, 'bad-input');

    const extra = await runApi(core, 'roots.list', { sneaky: true });
    assert.equal(!extra.ok && extra.error.code, 'bad-input');
    const wrongType = await runApi(core, 'roots.remove', { id: '1; DROP TABLE photos' });
    assert.equal(!wrongType.ok && wrongType.error.code, 'bad-input');
    assert.match(!wrongType.ok ? wrongType.error.message : '', /id/);

    const missing = await runApi(core, 'roots.remove', { id: 999 });
    assert.equal(!missing.ok && missing.error.code, 'not-found');
    for (const r of [unknown, extra, wrongType, missing]) {
      assert.ok(!r.ok && !/\n\s+at /.test(r.error.message), 'no stack trace in the message');
    }
    // The same through the port.
    const viaPort = await client.call('api', { name: 'roots.remove', input: { id: 999 } });
    assert.equal(!viaPort.ok && viaPort.error.code, 'not-found');
  });
});

test('media requests name an id; unknown photos resolve to null', async () => {
  await withHost(async ({ client }) => {
    assert.equal(await client.call('media', { kind: 'photo', photoId: 123 }), null);
    assert.equal(await client.call('media', { kind: 'thumb', photoId: 1 }), null);
  });
});

test('malformed requests are answered with an error or, without an id, ignored', async () => {
  for (const bad of [null, 'api', { name: 1 }, ['roots.list']]) assert.equal(isApiParams(bad), false, JSON.stringify(bad));
  for (const bad of [null, { kind: 'file', photoId: 1 }, { kind: 'photo', photoId: '../x' }, { kind: 'photo', photoId: -1 }, { kind: 'thumb', photoId: 1.5 }]) {
    assert.equal(isMediaParams(bad), false, JSON.stringify(bad));
  }
  await withHost(async ({ client, mainPort, received }) => {
    const untyped = client as unknown as RpcClient<Record<string, { params: unknown; result: unknown }>>;
    await assert.rejects(untyped.call('media', { kind: 'file', photoId: 1 }), /malformed media request/);
    await assert.rejects(untyped.call('api', { input: {} }), /malformed api request/);
    await assert.rejects(untyped.call('exec', { cmd: 'rm -rf /' }), /unknown method/);
    // No id or no method: not a request, so nothing answers it. Port messages keep their order, so
    // once the next call's answer is in, any answer to these would be too.
    const before = received.length;
    for (const junk of [null, 'api', { method: 'api', params: { name: 'status', input: {} } }, { id: 'x', method: 'api' }]) mainPort.postMessage(junk);
    await client.call('media', { kind: 'photo', photoId: 7 });
    assert.equal(received.length, before + 1);
  });
});

test('job events are forwarded and close shuts the core down', async () => {
  await withHost(async ({ client, jobEvents, exitCodes }) => {
    // An index job over no folders: runs the real job machinery (and loads the bundled model).
    const started = await client.call('api', { name: 'index.start', input: {} });
    assert.ok(started.ok, JSON.stringify(started));
    const { jobId } = started.result as { jobId: number };
    await client.call('api', { name: 'jobs.wait', input: { jobId } });
    const states = jobEvents.flatMap((e) => (e.jobId === jobId ? [e.state] : []));
    assert.ok(states.includes('running'), `states seen: ${states.join(', ')}`);
    assert.equal(states.at(-1), 'done');

    assert.equal(await client.call('close', null), null);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(exitCodes, [0]);
  });
});
