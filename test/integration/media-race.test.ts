// The check-then-open race on served files, on a real browser-mode server: a child process flips a
// folder inside a library root between a real folder and a symlink to a folder outside every root,
// as fast as it can, while thousands of requests ask for the photo in it (by path and by id). A
// server that checks the real path and then opens by path sometimes opens through the symlink and
// sends the outside file; one that opens first and then verifies the descriptor never does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import { callApi } from '../../electron/core/api/table.js';
import { EXACT_OPEN_CHECK } from '../../electron/core/library/open-inside.js';
import { startServer } from '../../electron/server/server.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';
import { startFlipper } from '../support/symlink-flipper.js';

/** Requests per route; both routes together make twice this many. */
const REQUESTS_PER_ROUTE = 2000;
const CONCURRENCY = 8;

interface Reply {
  status: number;
  body: Buffer;
}

function get(agent: http.Agent, port: number, urlPath: string, token: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

interface Tally {
  requests: number;
  served: number;
  refused: number;
  leaked: number;
  broken: number;
  other: number;
}

test('a folder flipped to a symlink mid-request never serves the outside file', { timeout: 240_000, skip: !EXACT_OPEN_CHECK && 'no exact open check on this platform (see open-inside.ts)' }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-race-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const library = path.join(work, 'Pictures');
  const outside = path.join(work, 'private');
  await writeDemoLibrary(library, { seed: 11, count: 2 });
  const demoPhoto = (await readdir(library, { recursive: true })).find((f) => f.toLowerCase().endsWith('.jpg'));
  assert.ok(demoPhoto, 'the demo library has a JPEG');
  await mkdir(path.join(library, 'flip'));
  await copyFile(path.join(library, demoPhoto), path.join(library, 'flip', 'a.jpg'));
  const inside = await readFile(path.join(library, 'flip', 'a.jpg'));
  await mkdir(outside);
  const secret = Buffer.from('OUTSIDE THE LIBRARY '.repeat(64));
  await writeFile(path.join(outside, 'a.jpg'), secret);

  const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
  const root = await callApi(core, 'roots.add', { path: library });
  const { jobId } = await callApi(core, 'index.start', {});
  assert.equal((await callApi(core, 'jobs.wait', { jobId })).state, 'done');
  const { photos } = await callApi(core, 'photos.list', { limit: 10 });
  const flipped = photos.find((p) => p.path === path.join(library, 'flip', 'a.jpg'));
  assert.ok(flipped, `flip/a.jpg is indexed (${photos.map((p) => p.path).join(', ')})`);

  await mkdir(path.join(work, 'renderer'));
  const server = await startServer({ core, rendererDir: path.join(work, 'renderer'), port: 0, log: () => undefined });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  t.after(async () => {
    agent.destroy();
    await server.close();
    await core.close();
  });

  const routes = [`/media/file/${root.id}/flip/a.jpg`, `/media/photo/${flipped.id}`];
  const tallies = new Map(routes.map((r): [string, Tally] => [r, { requests: 0, served: 0, refused: 0, leaked: 0, broken: 0, other: 0 }]));
  const queue = Array.from({ length: routes.length * REQUESTS_PER_ROUTE }, (_, i) => routes[i % routes.length]!);

  // Only now, after indexing, does the link to the outside folder appear.
  const flipper = await startFlipper(library, outside);
  try {
    let next = 0;
    const client = async (): Promise<void> => {
      while (next < queue.length) {
        const route = queue[next++]!;
        const tally = tallies.get(route)!;
        // A reset connection (a file that vanished after the headers went out) counts as broken.
        const reply = await get(agent, server.port, route, server.token).catch((): Reply => ({ status: -1, body: Buffer.alloc(0) }));
        tally.requests++;
        if (reply.status === -1) tally.broken++;
        else if (reply.status === 404) tally.refused++;
        else if (reply.status === 200 && reply.body.equals(inside)) tally.served++;
        else if (reply.body.includes(secret.subarray(0, 20))) tally.leaked++;
        else tally.other++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
  } finally {
    await flipper.stop();
  }

  for (const [route, tally] of tallies) t.diagnostic(`${route}: ${JSON.stringify(tally)}`);
  for (const [route, tally] of tallies) {
    assert.equal(tally.requests, REQUESTS_PER_ROUTE);
    assert.equal(tally.leaked, 0, `${route} sent the file outside the library ${tally.leaked} times`);
    assert.equal(tally.other + tally.broken, 0, `${route} answered something unexpected or dropped the connection`);
    assert.ok(tally.served > 0, `${route} served the photo at least once, so the race was run against working requests`);
    assert.ok(tally.refused > 0, `${route} was refused at least once, so the folder really was flipping`);
  }
});
