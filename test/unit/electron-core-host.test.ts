// The core host's request handling (what runs in Electron's utility process), driven with a real
// Shoebox on a temp data folder: API calls through the table with schema validation, error
// envelopes without stacks, media ids resolved by the core only, malformed requests ignored,
// job events forwarded, and a clean close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import { isHostMessage, isHostRequest, type HostMessage } from '../../electron/common/core-host-protocol.js';
import { CoreHostService, runApi } from '../../electron/workers/core-host-service.js';

async function withHost(fn: (service: CoreHostService, sent: HostMessage[], core: Shoebox) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-host-'));
  const core = await Shoebox.open({ dataDir: dir });
  const sent: HostMessage[] = [];
  try {
    await fn(
      new CoreHostService(core, (m) => {
        // What crosses the process boundary must survive structured clone and our own guard.
        const copy = structuredClone(m);
        assert.ok(isHostMessage(copy), `malformed host message ${JSON.stringify(copy)}`);
        sent.push(copy);
      }),
      sent,
      core,
    );
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('an API call runs through the table and replies with the envelope', async () => {
  await withHost(async (service, sent) => {
    assert.equal(await service.handle({ type: 'api', id: 1, name: 'roots.list', input: {} }), 'open');
    assert.deepEqual(sent, [{ type: 'api-reply', id: 1, reply: { ok: true, result: [] } }]);
  });
});

test('unknown names, bad input and not-found come back as coded errors without stacks', async () => {
  await withHost(async (_service, _sent, core) => {
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
  });
});

test('media requests name an id; unknown photos resolve to null', async () => {
  await withHost(async (service, sent) => {
    await service.handle({ type: 'media', id: 5, kind: 'photo', photoId: 123 });
    await service.handle({ type: 'media', id: 6, kind: 'thumb', photoId: 1 });
    assert.deepEqual(sent, [
      { type: 'media-reply', id: 5, media: null },
      { type: 'media-reply', id: 6, media: null },
    ]);
  });
});

test('malformed requests are ignored, not answered', async () => {
  for (const bad of [null, 'api', { type: 'api', id: 1 }, { type: 'media', id: 2, kind: 'file', photoId: 1 }, { type: 'media', id: 3, kind: 'photo', photoId: '../x' }, { type: 'exec', id: 4 }, { type: 'api', id: -1, name: 'status' }]) {
    assert.equal(isHostRequest(bad), false, JSON.stringify(bad));
  }
  await withHost(async (service, sent) => {
    assert.equal(await service.handle({ type: 'media', id: 2, kind: 'file', photoId: 1 }), 'open');
    assert.deepEqual(sent, []);
  });
});

test('job events are forwarded and close shuts the core down', async () => {
  await withHost(async (service, sent) => {
    // An index job over no folders: runs the real job machinery (and loads the bundled model).
    await service.handle({ type: 'api', id: 1, name: 'index.start', input: {} });
    const started = sent.find((m) => m.type === 'api-reply' && m.id === 1);
    assert.ok(started?.type === 'api-reply' && started.reply.ok, JSON.stringify(started));
    const { jobId } = started.reply.result as { jobId: number };
    await service.handle({ type: 'api', id: 2, name: 'jobs.wait', input: { jobId } });
    const events = sent.flatMap((m) => (m.type === 'job-event' && m.event.jobId === jobId ? [m.event.state] : []));
    assert.ok(events.includes('running'), `states seen: ${events.join(', ')}`);
    assert.equal(events.at(-1), 'done');

    assert.equal(await service.handle({ type: 'close', id: 3 }), 'closed');
    assert.deepEqual(sent.at(-1), { type: 'closed', id: 3 });
  });
});
