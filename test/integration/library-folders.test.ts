// Adding folders and the first run, through the real browser-mode server on a real data folder:
// the folder browser (folders.browse: sub-folders only, from the home folder, hidden ones on
// request, system folders and bad paths refused in words, /run/media reachable, the token
// required), and index jobs that are not queued twice (index.start answers a queued job covering
// the folders and queues one follow-up behind a running one; library.addDemo answers the job
// already running over the demo library, and both say so).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import { startServer } from '../../electron/server/server.js';
import { writeDemoLibrary } from '../../electron/core/synthetic/index.js';
import type { ApiName, ApiOutput } from '../../electron/core/api/table.js';
import { tempDir } from '../support/temp-dir.js';

type Answer<N extends ApiName> = { status: number; ok: true; result: ApiOutput<N> } | { status: number; ok: false; error: { code: string; message: string } };

test('folders.browse and index jobs that are not queued twice, over the real server', { timeout: 180_000 }, async (t) => {
  const home = await realpath(await tempDir(t, 'shoebox-folders-home-'));
  const saved = process.env['HOME'];
  process.env['HOME'] = home; // the core's home folder (os.homedir() reads HOME on POSIX)
  t.after(() => (saved === undefined ? delete process.env['HOME'] : (process.env['HOME'] = saved)));
  if (homedir() !== home) return t.skip('this platform does not take the home folder from HOME');

  const trip = path.join(home, 'Pictures', 'Trip 2024 — été');
  const { files } = await writeDemoLibrary(trip, { seed: 5, count: 6 });
  // The demo library's top folders (years), and the photos directly in each (most are deeper).
  const years = new Map<string, number>();
  for (const f of files) {
    const [year, ...rest] = f.path.split('/');
    years.set(year!, (years.get(year!) ?? 0) + (rest.length === 1 ? 1 : 0));
  }
  await mkdir(path.join(home, 'Documents'));
  await writeFile(path.join(home, 'Documents', 'notes.txt'), 'no photos here');
  await mkdir(path.join(home, '.cache', 'thumbs'), { recursive: true });
  await symlink(path.join(home, 'Pictures'), path.join(home, 'Linked pictures'));
  await writeFile(path.join(home, 'loose.jpg'), 'a file, not a folder');

  const core = await Shoebox.open({ dataDir: path.join(home, '.local', 'share', 'shoebox') });
  const server = await startServer({ core, port: 0, log: () => undefined });
  t.after(async () => {
    await server.close();
    await core.close();
  });
  async function call<N extends ApiName>(name: N, input: unknown, token: string | null = server.token): Promise<Answer<N>> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    const res = await fetch(`${server.origin}/api/${name}`, { method: 'POST', headers, body: JSON.stringify(input) });
    return { status: res.status, ...((await res.json()) as { ok: true; result: ApiOutput<N> }) };
  }
  async function result<N extends ApiName>(name: N, input: unknown): Promise<ApiOutput<N>> {
    const answer = await call(name, input);
    assert.ok(answer.ok, JSON.stringify(answer));
    return answer.result;
  }
  async function refusal(name: ApiName, input: unknown): Promise<string> {
    const answer = await call(name, input);
    assert.equal(answer.status, 400, JSON.stringify(answer));
    assert.ok(!answer.ok);
    assert.equal(answer.error.code, 'bad-input');
    return answer.error.message;
  }

  await t.test('the token is required, as on every /api call', async () => {
    assert.equal((await call('folders.browse', {}, null)).status, 401);
    assert.equal((await call('folders.browse', {}, 'x'.repeat(43))).status, 403);
  });

  await t.test('starts at the home folder and lists its sub-folders only, hidden ones on request', async () => {
    const top = await result('folders.browse', {});
    assert.equal(top.path, home);
    assert.equal(top.home, home);
    assert.equal(top.parent, path.dirname(home));
    assert.deepEqual(top.folders.map((f) => f.name), ['Documents', 'Linked pictures', 'Pictures'], 'no files, no hidden folders; a link to a folder is a folder');
    assert.equal(top.photos, 1, 'the one photo-named file directly in home is counted, not listed');
    assert.deepEqual(top.folders.map((f) => f.photos), [0, 0, 0], 'photos directly inside each, not in their sub-folders');
    const hidden = await result('folders.browse', { showHidden: true });
    assert.deepEqual(hidden.folders.filter((f) => f.hidden).map((f) => f.name), ['.cache', '.local']);
    const pictures = await result('folders.browse', { path: '~/Pictures' });
    assert.equal(pictures.path, path.join(home, 'Pictures'));
    assert.deepEqual(pictures.folders.map((f) => [f.name, f.photos]), [['Trip 2024 — été', 0]]);
    assert.equal(pictures.refused, null);
    const inTrip = await result('folders.browse', { path: pictures.folders[0]!.path });
    assert.deepEqual(
      inTrip.folders.map((f) => [f.name, f.photos]),
      [...years].sort(([a], [b]) => a.localeCompare(b)),
    );
  });

  await t.test('refuses system folders, relative and missing paths in words, and marks the data folder', async () => {
    if (process.platform === 'linux') {
      assert.match(await refusal('folders.browse', { path: '/proc' }), /^\/proc is a virtual folder of running processes/);
      const top = await result('folders.browse', { path: '/' });
      assert.ok(!top.folders.some((f) => ['proc', 'sys', 'dev'].includes(f.name)), top.folders.map((f) => f.name).join(', '));
      const removableDisks = await stat('/run/media').then((s) => s.isDirectory(), () => false);
      assert.equal(top.folders.some((f) => f.name === 'run'), removableDisks, '/run is listed only on the way to /run/media');
      assert.match(top.refused ?? '', /^\/ holds the system's own folders/);
    }
    assert.match(await refusal('folders.browse', { path: 'Pictures' }), /^"Pictures" is a relative path: give the folder's full path/);
    assert.match(await refusal('folders.browse', { path: '~/Nowhere' }), new RegExp(`^${home}/Nowhere: folder does not exist$`));
    assert.match(await refusal('folders.browse', { path: `${home}/${'x'.repeat(4000)}` }), /…x+: the path is too long for this system/);
    const data = await result('folders.browse', { path: path.join(home, '.local', 'share', 'shoebox') });
    assert.match(data.refused ?? '', /is Shoebox's data folder or inside it/);
  });

  await t.test('a memory card under /run/media is browsed to through /run and added; the rest of /run is not', { skip: process.platform !== 'linux' }, async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to make a folder under /run/media, as udisks does');
    const madeMedia = await mkdir('/run/media', { recursive: true });
    const card = await mkdtemp('/run/media/shoebox-test-card-');
    t.after(() => rm(madeMedia ?? card, { recursive: true, force: true }));
    await copyFile(path.join(trip, files[0]!.path), path.join(card, 'IMG_0001.jpg'));
    assert.ok((await result('folders.browse', { path: '/' })).folders.some((f) => f.name === 'run'));
    const run = await result('folders.browse', { path: '/run' });
    assert.deepEqual(run.folders.map((f) => f.name), ['media'], 'only the way to the removable disks');
    assert.match(run.refused ?? '', /^\/run is a folder of the running system’s temporary state/);
    const media = await result('folders.browse', { path: '/run/media' });
    assert.equal(media.refused, null);
    assert.deepEqual(media.folders.filter((f) => f.path === card).map((f) => f.photos), [1]);
    assert.equal((await result('folders.browse', { path: card })).refused, null);
    assert.match(await refusal('folders.browse', { path: '/run/user' }), /^\/run\/user is inside \/run, a folder of the running system’s temporary state/);
    const added = await result('roots.add', { path: card });
    assert.equal(added.holdsPhotos, true);
    assert.deepEqual(await result('roots.remove', { id: added.id }), { removed: added.id });
  });

  await t.test('index.start reuses a queued job that covers the folders; asked while one runs, it queues one follow-up', async () => {
    const root = await result('roots.add', { path: '~/Pictures' });
    assert.equal(root.holdsPhotos, true);
    const first = await result('index.start', { rootIds: [root.id] });
    assert.equal(first.reused, false);
    assert.deepEqual((await result('jobs.list', {})).active.filter((j) => j.jobId === first.jobId).map((j) => j.state), ['running']);
    // A photo added while the first job runs: its scan may already have passed the folder.
    const added = path.join(trip, 'added while indexing.jpg');
    await copyFile(path.join(trip, files[0]!.path), added);
    const [followUp, second, all] = await Promise.all([
      result('index.start', { rootIds: [root.id] }),
      result('index.start', { rootIds: [root.id] }),
      result('index.start', {}),
    ]);
    assert.equal(followUp.reused, false, 'a running job is not reused');
    assert.notEqual(followUp.jobId, first.jobId);
    assert.deepEqual([second, all], [{ jobId: followUp.jobId, reused: true }, { jobId: followUp.jobId, reused: true }], 'the queued follow-up is');
    const { active } = await result('jobs.list', {});
    assert.deepEqual(active.filter((j) => j.kind === 'index').map((j) => j.jobId), [first.jobId, followUp.jobId]);
    assert.equal((await result('jobs.wait', { jobId: first.jobId })).state, 'done');
    assert.equal((await result('jobs.wait', { jobId: followUp.jobId })).state, 'done');
    const { photos } = await result('photos.list', { limit: 50 });
    assert.ok(photos.some((p) => p.path === added), 'the photo added meanwhile is indexed');
    const again = await result('index.start', { rootIds: [root.id] });
    assert.equal(again.reused, false, 'a finished job is not reused');
    assert.ok(again.jobId > followUp.jobId);
    await result('jobs.wait', { jobId: again.jobId });
  });

  await t.test('library.addDemo asked twice at once writes one library and starts one job', async () => {
    const [a, b] = await Promise.all([result('library.addDemo', { count: 6 }), result('library.addDemo', { count: 6 })]);
    assert.equal(a.root.id, b.root.id);
    assert.equal(a.jobId, b.jobId);
    assert.deepEqual([a.reused, b.reused].sort(), [false, true]);
    const { active } = await result('jobs.list', {});
    assert.deepEqual(active.filter((j) => j.kind === 'index').map((j) => j.jobId), [a.jobId], 'one index job queued or running');
    assert.deepEqual(await result('jobs.cancel', { jobId: a.jobId }), { cancelled: true });
    assert.equal((await result('jobs.wait', { jobId: a.jobId })).state, 'cancelled');
    assert.deepEqual((await result('jobs.list', {})).active, [], 'nothing else is left running');
  });
});
