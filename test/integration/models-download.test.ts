// The Hugging Face Hub downloader against a real local Hub (test/support/hub-server.ts): a clean
// download with paginated listing, LFS redirects to another origin and per-file checksums; resume
// after a dropped connection and after a killed process; a server that ignores Range; corrupt
// bytes; 404, 401 and the token (which must never reach the CDN); 429 with Retry-After; cancel;
// an unreachable endpoint; a hostile listing; an existing destination; and a proxy from the
// environment. Nothing here talks to the internet.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { downloadHubRepo, HubError, listHubFiles, type DownloadProgress, type HubDownloadOptions, type RetryNotice } from '../../electron/core/models/hub/index.js';
import { parseRetryAfter } from '../../electron/core/models/hub/http.js';
import { startHubServer, startProxy, TREE, type FakeHub, type HubServerOptions, type RepoFiles } from '../support/hub-server.js';
import { tempDir } from '../support/temp-dir.js';

const REPO = 'immich-app/ViT-Tiny__test';
const BIG = 'visual/model.onnx';

/** A small Immich-like repository: LFS and plain files, in subfolders, one of them over 1 MB. */
function sampleRepo(): RepoFiles {
  return {
    '.gitattributes': Buffer.from('*.onnx filter=lfs diff=lfs merge=lfs -text\n'),
    'README.md': Buffer.from('# ViT-Tiny\nA test model.\n'),
    'config.json': Buffer.from(JSON.stringify({ embed_dim: 8, vision_cfg: { image_size: 32 }, text_cfg: { context_length: 16 } })),
    [BIG]: randomBytes(1_500_000),
    'visual/preprocess_cfg.json': Buffer.from(JSON.stringify({ size: [32, 32], mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] })),
    'textual/model.onnx': randomBytes(200_000),
    'textual/tokenizer.json': randomBytes(40_000), // below the LFS threshold: verified by git blob sha1
    'textual/empty.txt': Buffer.alloc(0),
  };
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

interface Setup {
  hub: FakeHub;
  files: RepoFiles;
  work: string;
  dest: string;
  staging: string;
  options(extra?: Partial<HubDownloadOptions>): HubDownloadOptions;
}

async function setup(t: TestContext, hubOptions: Partial<HubServerOptions> = {}): Promise<Setup> {
  const files = sampleRepo();
  const hub = await startHubServer({ repos: { [REPO]: files }, ...hubOptions });
  t.after(() => hub.close());
  const work = await tempDir(t, 'shoebox-hub-');
  const dest = path.join(work, 'models', 'vit-tiny');
  const staging = path.join(work, 'models', '.staging');
  return {
    hub,
    files,
    work,
    dest,
    staging,
    // env: {} keeps the machine's HF_TOKEN, HF_ENDPOINT and proxy variables out of the tests.
    options: (extra = {}) => ({ repo: REPO, destDir: dest, stagingDir: staging, endpoint: hub.endpoint, env: {}, retry: { baseDelayMs: 5, maxDelayMs: 2000 }, ...extra }),
  };
}

async function assertInstalled(dir: string, files: RepoFiles, paths = Object.keys(files)): Promise<void> {
  for (const p of paths) assert.ok((await readFile(path.join(dir, p))).equals(files[p]!), `${p} is byte-exact`);
}

async function assertStagingEmpty(staging: string): Promise<void> {
  assert.deepEqual(existsSync(staging) ? await readdir(staging) : [], [], 'the staging folder is cleaned up');
}

/** Files under `dir`, relative, '/'-separated. */
async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

const rangeStart = (value: string | string[] | undefined): number | undefined => {
  const match = /^bytes=(\d+)-$/.exec(typeof value === 'string' ? value : '');
  return match ? Number(match[1]) : undefined;
};

test('a clean download installs every file byte-exact, pinned to one commit, with progress to the end', { timeout: 30_000 }, async (t) => {
  const s = await setup(t, { pageSize: 3 });
  const events: DownloadProgress[] = [];
  const result = await downloadHubRepo(s.options({ include: (p) => p !== '.gitattributes', onProgress: (p) => events.push(p) }));

  const expected = Object.keys(s.files).filter((p) => p !== '.gitattributes');
  assert.equal(result.repo, REPO);
  assert.equal(result.revision, s.hub.commitOf(REPO), 'the revision is the commit named by X-Repo-Commit');
  assert.equal(result.dir, s.dest);
  assert.deepEqual(result.files.map((f) => f.path).sort(), [...expected].sort());
  for (const f of result.files) {
    assert.equal(f.sha256, sha256(s.files[f.path]!), `sha256 of ${f.path}`);
    assert.equal(f.size, s.files[f.path]!.length);
  }
  await assertInstalled(s.dest, s.files, expected);
  assert.deepEqual(await listTree(s.dest), [...expected].sort(), 'only the included files, nothing else');
  await assertStagingEmpty(s.staging);

  // The listing was paginated (Link: rel="next"), LFS files came from the CDN, later files by commit.
  assert.ok(s.hub.requests.filter((r) => r.url.includes('/tree/')).length >= 3, 'every listing page was fetched');
  assert.ok(s.hub.requests.some((r) => r.server === 'cdn' && r.url.includes(sha256(s.files[BIG]!))));
  assert.ok(!s.hub.requests.some((r) => r.url.includes('.gitattributes')), 'a filtered file is never requested');
  const resolves = s.hub.requests.filter((r) => r.server === 'hub' && r.url.includes('/resolve/'));
  assert.ok(resolves[0]!.url.includes('/resolve/main/'));
  assert.ok(resolves.slice(1).every((r) => r.url.includes(`/resolve/${s.hub.commitOf(REPO)}/`)), 'later files are asked for by commit');

  const last = events.at(-1)!;
  const total = expected.reduce((sum, p) => sum + s.files[p]!.length, 0);
  assert.equal(last.bytesTotal, total);
  assert.equal(last.bytesDone, total);
  assert.equal(last.filesDone, expected.length);
  assert.equal(last.filesTotal, expected.length);
  assert.equal(last.currentFile, null);
  assert.equal(events[0]!.bytesPerSecond, null, 'no speed before one is measured');
  for (let i = 1; i < events.length; i++) assert.ok(events[i]!.bytesDone >= events[i - 1]!.bytesDone, 'progress only grows in a clean download');

  // The same listing is what a UI shows before downloading.
  const listed = await listHubFiles({ repo: REPO, endpoint: s.hub.endpoint, env: {} });
  assert.equal(listed.find((f) => f.path === BIG)?.size, s.files[BIG]!.length);
  assert.equal(listed.find((f) => f.path === BIG)?.lfsSha256, sha256(s.files[BIG]!));
  assert.equal(listed.find((f) => f.path === 'config.json')?.lfsSha256, undefined);
});

test('a connection dropped mid-file resumes with Range and the file is exact', { timeout: 30_000 }, async (t) => {
  const s = await setup(t);
  s.hub.addFault({ kind: 'drop', path: BIG, afterBytes: 400_000 });
  s.hub.addFault({ kind: 'drop', path: 'textual/tokenizer.json', afterBytes: 10_000 }); // a small file, served by the Hub itself
  const retries: RetryNotice[] = [];
  const result = await downloadHubRepo(s.options({ onRetry: (n) => retries.push(n) }));

  await assertInstalled(s.dest, s.files);
  assert.equal(result.files.find((f) => f.path === BIG)?.sha256, sha256(s.files[BIG]!));
  const cdnRanges = s.hub.requests.filter((r) => r.server === 'cdn').map((r) => rangeStart(r.headers.range));
  assert.ok(cdnRanges.some((start) => start !== undefined && start > 0), `the CDN saw a Range request (saw ${JSON.stringify(cdnRanges)})`);
  const hubRanges = s.hub.requests.filter((r) => r.url.includes('tokenizer.json')).map((r) => rangeStart(r.headers.range));
  assert.ok(hubRanges.some((start) => start !== undefined && start > 0), 'the small file resumed with Range too');
  assert.equal(retries.length, 2);
  assert.match(retries[0]!.reason, /127\.0\.0\.1/, 'the retry names the host');
  await assertStagingEmpty(s.staging);
});

test('a server that ignores Range (200) makes the file start again, and the result is still exact', { timeout: 30_000 }, async (t) => {
  const s = await setup(t);
  s.hub.addFault({ kind: 'drop', path: BIG, afterBytes: 500_000 });
  s.hub.addFault({ kind: 'ignore-range', path: BIG });
  const result = await downloadHubRepo(s.options());

  const big = s.hub.requests.filter((r) => r.server === 'cdn' && r.url.includes(sha256(s.files[BIG]!)));
  assert.equal(big.length, 2);
  assert.ok((rangeStart(big[1]!.headers.range) ?? 0) > 0, 'the second request asked for the rest');
  assert.equal(big[1]!.status, 200, 'and the server sent the whole file instead');
  await assertInstalled(s.dest, s.files);
  assert.equal(result.files.find((f) => f.path === BIG)?.sha256, sha256(s.files[BIG]!));
});

test('wrong bytes are rejected naming the file; nothing is installed and staging is cleaned', { timeout: 30_000 }, async (t) => {
  for (const file of ['textual/model.onnx', 'textual/tokenizer.json']) {
    const s = await setup(t);
    s.hub.addFault({ kind: 'corrupt', path: file, times: Infinity });
    await assert.rejects(downloadHubRepo(s.options()), (err: unknown) => {
      assert.ok(err instanceof HubError);
      assert.equal(err.kind, 'integrity');
      assert.ok(err.message.includes(file), err.message);
      assert.match(err.message, file.endsWith('.onnx') ? /sha256 is [0-9a-f]{64}, the listing says [0-9a-f]{64}/ : /git blob sha1 is [0-9a-f]{40}, the listing says [0-9a-f]{40}/);
      return true;
    });
    assert.ok(!existsSync(s.dest), 'nothing at the destination');
    await assertStagingEmpty(s.staging);
  }
});

test('404 names the repository; 401 asks for HF_TOKEN; with the token it works and the CDN never sees it', { timeout: 30_000 }, async (t) => {
  const open = await setup(t);
  await assert.rejects(downloadHubRepo(open.options({ repo: 'nobody/no-such-model' })), (err: unknown) => {
    assert.ok(err instanceof HubError);
    assert.equal(err.kind, 'not-found');
    assert.match(err.message, /nobody\/no-such-model/);
    return true;
  });
  await assert.rejects(downloadHubRepo(open.options({ revision: 'v9' })), /revision "v9" was not found in repository immich-app\/ViT-Tiny__test/);
  await assertStagingEmpty(open.staging);

  const gated = await setup(t, { token: 'hf_secret' });
  await assert.rejects(downloadHubRepo(gated.options()), (err: unknown) => {
    assert.ok(err instanceof HubError);
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /set HF_TOKEN to a Hugging Face access token that has accepted its licence/);
    assert.match(err.message, /ViT-Tiny__test/);
    return true;
  });
  await assert.rejects(downloadHubRepo(gated.options({ token: 'hf_wrong' })), /token in HF_TOKEN was refused/);
  assert.ok(!existsSync(gated.dest));

  await downloadHubRepo(gated.options({ env: { HF_TOKEN: 'hf_secret' } })); // from the environment option
  await assertInstalled(gated.dest, gated.files);
  await downloadHubRepo(gated.options({ token: 'hf_secret', destDir: path.join(gated.work, 'again') }));
  const cdn = gated.hub.requests.filter((r) => r.server === 'cdn');
  assert.ok(cdn.length >= 4, 'LFS files came from the CDN');
  assert.ok(cdn.every((r) => r.headers.authorization === undefined), 'the token never reached the CDN');
  const hubOk = gated.hub.requests.filter((r) => r.server === 'hub' && r.status < 400);
  assert.ok(hubOk.every((r) => r.headers.authorization === 'Bearer hf_secret'));
});

test('a renamed repository answers with a relative redirect, which is followed with the token', { timeout: 30_000 }, async (t) => {
  const s = await setup(t, { renamed: { 'old-owner/old-name': REPO }, token: 'hf_secret' });
  const result = await downloadHubRepo(s.options({ repo: 'old-owner/old-name', token: 'hf_secret' }));
  await assertInstalled(s.dest, s.files);
  assert.equal(result.repo, 'old-owner/old-name');
  assert.equal(result.revision, s.hub.commitOf(REPO), 'X-Repo-Commit is read behind the relative redirect too');
  assert.ok(s.hub.requests.some((r) => r.status === 307));
});

test('429 with Retry-After is waited out (the delay is the server\'s, not the backoff\'s); 503 is retried', { timeout: 30_000 }, async (t) => {
  const s = await setup(t);
  s.hub.addFault({ kind: 'status', path: 'config.json', status: 429, headers: { 'retry-after': '1' } });
  s.hub.addFault({ kind: 'status', path: TREE, status: 503 });
  s.hub.addFault({ kind: 'status', path: BIG, status: 503 });
  const retries: RetryNotice[] = [];
  await downloadHubRepo(s.options({ retry: { baseDelayMs: 5 }, onRetry: (n) => retries.push(n) }));

  await assertInstalled(s.dest, s.files);
  assert.deepEqual(retries.map((r) => r.delayMs).sort((a, b) => a - b), [5, 5, 1000]);
  assert.ok(retries.some((r) => /429/.test(r.reason) && r.delayMs === 1000));
  const config = s.hub.requests.filter((r) => r.url.includes('config.json'));
  assert.equal(config[0]!.status, 429);
  assert.ok(config[1]!.at - config[0]!.at >= 900, 'the retry came after the server\'s Retry-After');
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now), 0, 'a date in the past means now');
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('retries stop after the configured attempts, naming the host and the status', { timeout: 30_000 }, async (t) => {
  const s = await setup(t);
  s.hub.addFault({ kind: 'status', path: 'config.json', status: 503, times: Infinity });
  await assert.rejects(downloadHubRepo(s.options({ retry: { attempts: 3, baseDelayMs: 1 } })), (err: unknown) => {
    assert.ok(err instanceof HubError);
    assert.equal(err.kind, 'server');
    assert.match(err.message, /127\.0\.0\.1:\d+ answered 503 for config\.json.*gave up after 3 tries/);
    return true;
  });
  assert.equal(s.hub.requests.filter((r) => r.url.includes('config.json')).length, 3);
  assert.ok(!existsSync(s.dest));
  await assertStagingEmpty(s.staging);
});

test('cancelling mid-download rejects as AbortError, installs nothing, and leaves an installed model as it was', { timeout: 30_000 }, async (t) => {
  const s = await setup(t);
  await mkdir(s.dest, { recursive: true });
  await writeFile(path.join(s.dest, 'config.json'), 'the installed model');
  const controller = new AbortController();
  s.hub.addFault({ kind: 'hold', path: BIG, afterBytes: 200_000, onHold: () => controller.abort() });
  await assert.rejects(downloadHubRepo(s.options({ replace: true, signal: controller.signal })), (err: unknown) => {
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'AbortError');
    assert.match(err.message, /cancelled/);
    return true;
  });
  assert.deepEqual(await listTree(s.dest), ['config.json'], 'the installed folder is untouched');
  assert.equal(await readFile(path.join(s.dest, 'config.json'), 'utf8'), 'the installed model');
  await assertStagingEmpty(s.staging);

  // Cancelled before it starts: nothing is asked of the Hub.
  const before = s.hub.requests.length;
  await assert.rejects(downloadHubRepo(s.options({ destDir: path.join(s.work, 'other'), signal: AbortSignal.abort() })), { name: 'AbortError' });
  assert.equal(s.hub.requests.length, before);
  assert.ok(!existsSync(path.join(s.work, 'other')));
});

test('an existing destination is refused before any request, and replaced atomically when asked', { timeout: 30_000 }, async (t) => {
  const s = await setup(t);
  await mkdir(s.dest, { recursive: true });
  await writeFile(path.join(s.dest, 'old.txt'), 'old');
  await assert.rejects(downloadHubRepo(s.options()), (err: unknown) => {
    assert.ok(err instanceof HubError);
    assert.equal(err.kind, 'destination');
    assert.ok(err.message.includes(s.dest));
    return true;
  });
  assert.equal(s.hub.requests.length, 0);

  await downloadHubRepo(s.options({ replace: true }));
  assert.deepEqual(await listTree(s.dest), Object.keys(s.files).sort());
  await assertInstalled(s.dest, s.files);
  await assertStagingEmpty(s.staging);

  // A caller may install into a folder of its own inside the staging folder (and move it on later);
  // the staging folder inside the destination is refused, since replacing would move it aside.
  const inStaging = path.join(s.staging, 'job-1', 'model');
  await downloadHubRepo(s.options({ destDir: inStaging }));
  await assertInstalled(inStaging, s.files);
  assert.deepEqual(await readdir(s.staging), ['job-1']);
  await assert.rejects(downloadHubRepo(s.options({ replace: true, stagingDir: path.join(s.dest, '.staging') })), /must not be inside the destination/);
});

test('an unreachable endpoint is named in the error', { timeout: 30_000 }, async (t) => {
  const s = await setup(t);
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  await assert.rejects(downloadHubRepo(s.options({ endpoint: `http://127.0.0.1:${port}`, retry: { attempts: 2, baseDelayMs: 1 } })), (err: unknown) => {
    assert.ok(err instanceof HubError);
    assert.equal(err.kind, 'unreachable');
    assert.ok(err.message.includes(`could not reach 127.0.0.1:${port}`), err.message);
    assert.match(err.message, /refused/);
    return true;
  });
  assert.ok(!existsSync(s.dest));
  await assertStagingEmpty(s.staging);
});

test('a hostile listing with paths outside the folder is refused before anything is written', { timeout: 30_000 }, async (t) => {
  const oid = '0'.repeat(40);
  const evil = ['../evil', '/etc/evil', 'a/../../evil', 'a\\..\\..\\evil', 'C:/evil', 'a//b', './x'];
  for (const bad of evil) {
    const s = await setup(t, { listings: { [REPO]: [{ type: 'file', path: 'config.json', oid, size: 2 }, { type: 'file', path: bad, oid, size: 4 }] } });
    await assert.rejects(downloadHubRepo(s.options()), (err: unknown) => {
      assert.ok(err instanceof HubError);
      assert.equal(err.kind, 'unsafe-path');
      assert.ok(err.message.includes(JSON.stringify(bad)), err.message);
      return true;
    });
    assert.ok(!s.hub.requests.some((r) => r.url.includes('/resolve/')), `${bad}: no file was requested`);
    assert.deepEqual(await readdir(s.work), ['models']);
    assert.deepEqual(await readdir(path.join(s.work, 'models')), ['.staging']);
    await assertStagingEmpty(s.staging);
  }
});

test('proxy variables from the environment route the traffic, and NO_PROXY bypasses it', { timeout: 30_000 }, async (t) => {
  const s = await setup(t);
  const proxy = await startProxy();
  t.after(() => proxy.close());
  await downloadHubRepo(s.options({ env: { HTTP_PROXY: proxy.url } }));
  await assertInstalled(s.dest, s.files);
  const hubHost = new URL(s.hub.endpoint).host;
  const cdnHost = new URL(s.hub.cdnOrigin).host;
  assert.ok(proxy.connects.includes(hubHost) && proxy.connects.includes(cdnHost), `tunnelled: ${proxy.connects.join(', ')}`);

  const seen = proxy.connects.length;
  await downloadHubRepo(s.options({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, destDir: path.join(s.work, 'direct') }));
  assert.equal(proxy.connects.length, seen, 'NO_PROXY hosts are reached directly');
});

test('a download killed mid-file resumes in the next process from its staging folder', { timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const held = new Promise<void>((resolve) => s.hub.addFault({ kind: 'hold', path: BIG, afterBytes: 300_000, onHold: resolve }));
  // .mts: the temp folder has no package.json saying "module", and the script uses top-level await.
  const script = path.join(s.work, 'child.mts');
  const entry = pathToFileURL(path.resolve(import.meta.dirname, '../../electron/core/models/hub/index.ts')).href;
  await writeFile(script, `import { downloadHubRepo } from ${JSON.stringify(entry)};\nawait downloadHubRepo(JSON.parse(process.argv[2]));\n`);
  const plain: HubDownloadOptions = { ...s.options() }; // only JSON-friendly options
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(plain)], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(() => child.kill('SIGKILL'));
  const first = await Promise.race([held.then(() => 'held'), exited.then(() => 'exited')]);
  assert.equal(first, 'held', `the child download reached the big file (stderr: ${stderr})`);

  // Kill it once the held bytes are on disk, as a crash would leave them.
  const part = async (): Promise<{ file: string; size: number } | undefined> => {
    for (const name of await readdir(s.staging, { recursive: true })) {
      if (name.endsWith('.part')) {
        const file = path.join(s.staging, name);
        return { file, size: (await stat(file)).size };
      }
    }
    return undefined;
  };
  for (let i = 0; i < 500 && (await part())?.size !== 300_000; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal((await part())?.size, 300_000, 'the killed download left its .part');
  child.kill('SIGKILL');
  await exited;
  assert.ok(!existsSync(s.dest));

  const before = s.hub.requests.length;
  await downloadHubRepo(s.options());
  await assertInstalled(s.dest, s.files);
  const later = s.hub.requests.slice(before);
  assert.ok(!later.some((r) => r.url.includes('config.json')), 'files finished before the crash are reused, not fetched again');
  const big = later.filter((r) => r.server === 'cdn' && r.url.includes(sha256(s.files[BIG]!)));
  assert.equal(rangeStart(big[0]?.headers.range), 300_000, 'the big file resumes where the crash left it');
  await assertStagingEmpty(s.staging);
});
