// Captions on a real library with the bundled model: read at indexing from .txt and XMP sidecars
// and EXIF (precedence txt > xmp > exif; bad sidecars reported and skipped), the person's caption
// kept on re-import, import of one folder, captions for a multi-selection and clearing, export
// that never overwrites and never touches a photo, and the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { callApi } from '../../electron/core/api/table.js';
import type { CaptionImportSummary } from '../../electron/core/captions/import.js';
import type { IndexSummary } from '../../electron/core/library/index-job.js';
import { Shoebox } from '../../electron/core/shoebox.js';
import { tempDir } from '../support/temp-dir.js';

const repo = path.resolve(import.meta.dirname, '../..');

function runCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'electron/cli/main.ts'), ...args], { cwd: repo, encoding: 'utf8' });
}

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const DC = 'http://purl.org/dc/elements/1.1/';
function xmpSidecar(lis: Record<string, string>): string {
  const items = Object.entries(lis).map(([lang, text]) => `<rdf:li xml:lang="${lang}">${text}</rdf:li>`).join('');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="${RDF}"><rdf:Description rdf:about="" xmlns:dc="${DC}">
<dc:description><rdf:Alt>${items}</rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`;
}

let hue = 0;
async function photo(file: string, description?: string): Promise<void> {
  hue += 37;
  const image = sharp({ create: { width: 96, height: 72, channels: 3, background: { r: hue % 256, g: (hue * 3) % 256, b: (hue * 7) % 256 } } }).jpeg();
  await writeFile(file, await (description ? image.withExif({ IFD0: { ImageDescription: description } }) : image).toBuffer());
}

const sha = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');

test('captions: sidecars and EXIF at indexing and on demand, user captions kept, export never overwrites', { timeout: 180_000 }, async (t) => {
  // Real paths: the library stores photos by real path.
  const work = await realpath(await tempDir(t, 'shoebox-captions-'));
  const lib = path.join(work, 'Pictures');
  const a = path.join(lib, 'a');
  const b = path.join(lib, 'b');
  await mkdir(a, { recursive: true });
  await mkdir(b, { recursive: true });
  const at = (name: string): string => path.join(a, name);

  await photo(at('txt.jpg'));
  await writeFile(at('txt.txt'), '\uFEFFa brown dog\r\non the beach\n');
  await photo(at('xmp.jpg'));
  await writeFile(at('xmp.jpg.xmp'), xmpSidecar({ de: 'Ein Hund im Schnee', 'x-default': 'a dog in the snow' }));
  await photo(at('lightroom.jpg'));
  await writeFile(at('lightroom.xmp'), xmpSidecar({ 'en-GB': 'a red bus' }));
  await photo(at('exif.jpg'), 'a lighthouse at dusk');
  await photo(at('filler.jpg'), 'OLYMPUS DIGITAL CAMERA');
  // All three sources: the .txt wins, then the XMP, then EXIF.
  await photo(at('all.jpg'), 'from exif');
  await writeFile(at('all.txt'), 'from the text file');
  await writeFile(at('all.jpg.xmp'), xmpSidecar({ 'x-default': 'from xmp' }));
  await photo(at('both.jpg'), 'from exif');
  await writeFile(at('both.jpg.xmp'), xmpSidecar({ 'x-default': 'from xmp' }));
  // A binary .txt (falls back to EXIF) and a huge one: reported, skipped, the run goes on.
  await photo(at('binary.jpg'), 'binary fallback from exif');
  await writeFile(at('binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
  await photo(at('huge.jpg'));
  await writeFile(at('huge.txt'), 'word '.repeat(100_000));
  await photo(at('none.jpg'));
  await photo(path.join(b, 'other.jpg'));
  const hashes = new Map(await Promise.all([...(await readdir(a)).filter((n) => n.endsWith('.jpg')).map(async (n) => [n, await sha(at(n))] as const)]));

  const dataDir = path.join(work, 'data');
  const core = await Shoebox.open({ dataDir });
  let closed = false;
  t.after(async () => {
    if (!closed) await core.close();
  });
  await callApi(core, 'roots.add', { path: lib });

  // 1. Indexing reads the captions of the photos it indexes.
  const { jobId } = await callApi(core, 'index.start', {});
  const outcome = await callApi(core, 'jobs.wait', { jobId });
  assert.equal(outcome.state, 'done', JSON.stringify(outcome));
  const summary = (outcome as { value: IndexSummary }).value;
  assert.equal(summary.indexed, 11);
  assert.equal(summary.captions?.added, 7);
  const reasons = new Map(summary.captions!.failed.map((f) => [path.basename(f.path), f.reason]));
  assert.equal(reasons.size, 2, JSON.stringify(summary.captions));
  assert.match(reasons.get('binary.txt') ?? '', /not a text file/);
  assert.match(reasons.get('huge.txt') ?? '', /too big for a caption file \(500,000 bytes/);

  const idOf = async (file: string): Promise<number> => {
    const page = await callApi(core, 'photos.list', { limit: 100 });
    const found = page.photos.find((p) => p.path === file);
    assert.ok(found, `${file} is indexed`);
    return found.id;
  };
  const captionOf = async (name: string) => callApi(core, 'captions.get', { photoId: await idOf(at(name)) });
  const expected: [string, string | null, string | null][] = [
    ['txt.jpg', 'a brown dog on the beach', 'txt'],
    ['xmp.jpg', 'a dog in the snow', 'xmp'],
    ['lightroom.jpg', 'a red bus', 'xmp'],
    ['exif.jpg', 'a lighthouse at dusk', 'exif'],
    ['filler.jpg', null, null],
    ['all.jpg', 'from the text file', 'txt'],
    ['both.jpg', 'from xmp', 'xmp'],
    ['binary.jpg', 'binary fallback from exif', 'exif'],
    ['huge.jpg', null, null],
    ['none.jpg', null, null],
  ];
  for (const [name, text, source] of expected) {
    const c = await captionOf(name);
    assert.deepEqual(c && { text: c.text, source: c.source }, text === null ? null : { text, source }, name);
  }
  assert.equal((await callApi(core, 'captions.get', { path: at('txt.jpg') }))?.text, 'a brown dog on the beach');

  // A second index run reads nothing: no photo is new.
  const again = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'index.start', {})).jobId });
  assert.deepEqual((again as { value: IndexSummary }).value.captions, { added: 0, updated: 0, failed: [] });

  // 2. The person's caption is never replaced by an import; a changed sidecar updates its caption.
  const txtId = await idOf(at('txt.jpg'));
  await callApi(core, 'captions.set', { photoIds: [txtId], text: '  my   own words\n' });
  await writeFile(at('txt.txt'), 'an edited text file');
  await writeFile(at('xmp.jpg.xmp'), xmpSidecar({ 'x-default': 'a dog in deep snow' }));
  const imported = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'captions.import', {})).jobId });
  assert.equal(imported.state, 'done');
  const s = (imported as { value: CaptionImportSummary }).value;
  assert.equal(s.photos, 11);
  assert.deepEqual([s.added, s.updated, s.keptUser, s.unchanged, s.failed.length], [0, 1, 1, 5, 2]);
  assert.deepEqual({ ...(await captionOf('txt.jpg')), updatedAt: 0 }, { text: 'my own words', source: 'user', updatedAt: 0 });
  assert.equal((await captionOf('xmp.jpg'))?.text, 'a dog in deep snow');

  // 3. One folder: only its photos; a folder outside the library is refused.
  await writeFile(path.join(b, 'other.txt'), 'the other folder');
  const folder = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'captions.import', { folder: b })).jobId });
  assert.deepEqual(
    [(folder as { value: CaptionImportSummary }).value.photos, (folder as { value: CaptionImportSummary }).value.added],
    [1, 1],
  );
  await assert.rejects(callApi(core, 'captions.import', { folder: work }), { name: 'ApiError', code: 'bad-input' });
  await assert.rejects(callApi(core, 'captions.import', { folder: 'Pictures/a' }), { name: 'ApiError', code: 'bad-input' });
  // One photo.
  await writeFile(at('none.txt'), 'now captioned');
  await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'captions.import', { photoId: await idOf(at('none.jpg')) })).jobId });
  assert.deepEqual((await captionOf('none.jpg'))?.source, 'txt');

  // 4. A multi-selection at once, then cleared; too long or unknown photos are refused.
  const several = [await idOf(at('huge.jpg')), await idOf(at('filler.jpg')), await idOf(at('exif.jpg'))];
  const set = await callApi(core, 'captions.set', { photoIds: several, text: 'holiday 2021' });
  assert.equal(set.set, 3);
  for (const id of several) assert.deepEqual((await callApi(core, 'captions.get', { photoId: id }))?.source, 'user');
  const cleared = await callApi(core, 'captions.set', { photoIds: several.slice(0, 2), text: '' });
  assert.deepEqual([cleared.cleared, cleared.text], [2, null]);
  assert.equal(await captionOf('huge.jpg'), null);
  assert.equal((await captionOf('exif.jpg'))?.text, 'holiday 2021');
  await assert.rejects(callApi(core, 'captions.set', { photoIds: [999_999], text: 'x' }), { name: 'ApiError', code: 'not-found' });
  await assert.rejects(callApi(core, 'captions.set', { photoIds: [txtId], text: 'x'.repeat(2001) }), { name: 'ApiError', code: 'bad-input' });
  await assert.rejects(callApi(core, 'captions.set', { photoIds: [], text: 'x' }), { name: 'ApiError', code: 'bad-input' });

  const list = await callApi(core, 'captions.list', { offset: 0, limit: 3 });
  assert.equal(list.total, 9);
  assert.deepEqual(list.captions.map((c) => path.basename(c.path)), ['all.jpg', 'binary.jpg', 'both.jpg']);
  assert.equal(core.store.captions.textsByPhoto().size, 9);

  // 5. Export: a new file only; .txt sidecars only where none exists; no photo touched.
  const csv = path.join(work, 'captions.csv');
  const exported = await callApi(core, 'captions.export', { path: csv });
  assert.deepEqual(exported.file, { path: csv, format: 'csv', captions: 9 });
  const csvText = await readFile(csv, 'utf8');
  assert.match(csvText, /^path,caption,source\r\n/);
  assert.ok(csvText.includes(`${at('txt.jpg')},my own words,user\r\n`));
  await assert.rejects(callApi(core, 'captions.export', { path: csv }), { name: 'ApiError', code: 'conflict' });
  assert.equal(await readFile(csv, 'utf8'), csvText, 'the existing file is untouched');
  await assert.rejects(callApi(core, 'captions.export', { path: path.join(work, 'captions.txt') }), { name: 'ApiError', code: 'bad-input' });
  const jsonl = await callApi(core, 'captions.export', { path: path.join(work, 'out.data'), format: 'jsonl' });
  assert.equal(jsonl.file?.captions, 9);

  const sidecars = await callApi(core, 'captions.export', { sidecars: true });
  // Written: xmp, lightroom, exif, both (no .txt yet); kept: txt, all, binary, none, other (.txt exists).
  assert.deepEqual(sidecars.sidecars, { written: 4, existing: 5, failed: [] });
  assert.equal(await readFile(at('exif.txt'), 'utf8'), 'holiday 2021\n');
  assert.equal(await readFile(at('txt.txt'), 'utf8'), 'an edited text file', 'an existing .txt is never overwritten');
  assert.deepEqual((await readFile(at('binary.txt'))).subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  for (const [name, hash] of hashes) assert.equal(await sha(at(name)), hash, `${name} is untouched`);

  await core.close();
  closed = true;

  // 6. The CLI: a caption of several unquoted words, shown back, import with failures (exit 3), export.
  const set1 = runCli('caption', at('none.jpg'), 'a', 'grey', 'cat', '--data-dir', dataDir);
  assert.equal(set1.status, 0, set1.stderr);
  const shown = runCli('caption', at('none.jpg'), '--data-dir', dataDir, '--json');
  assert.equal(shown.status, 0, shown.stderr);
  assert.deepEqual({ ...(JSON.parse(shown.stdout) as object), updatedAt: 0 }, { text: 'a grey cat', source: 'user', updatedAt: 0 });
  const imp = runCli('caption', 'import', a, '--data-dir', dataDir, '--json');
  assert.equal(imp.status, 3, imp.stderr);
  assert.equal((JSON.parse(imp.stdout) as CaptionImportSummary).failed.length, 2);
  const exp = runCli('caption', 'export', csv, '--data-dir', dataDir);
  assert.equal(exp.status, 1);
  assert.match(exp.stderr, /exists already/);
});
