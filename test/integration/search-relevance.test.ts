// The relevance floor on the real demo library with the real bundled model: nonsense and words the
// model never learnt find no good match; real queries keep their right photos above the floor;
// results page past the first 200; "similar" is not judged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Shoebox } from '../../electron/core/shoebox.js';
import { callApi } from '../../electron/core/api/table.js';
import type { DemoManifest } from '../../electron/core/synthetic/demo-library.js';

// Measured with the bundled model on the default demo (seeded): 6, 5 and 6 of the top 10 show the
// object; 7 of 7, 1 of 1 and 1 of 1 exact photos kept (the model before soft targets: 4, 5 and 4;
// 6 of 7, 1 and 1). The floors were set just below the earlier model's figures.
const TOP = 10;
const MIN_OBJECT_ON_TOP = 0.4;
const MIN_EXACT_KEPT = 0.8;
// Three queries are a small sample (one photo more or less moves their sum by 3 %), so the ranking is
// also measured over every colour × shape pair the demo shows, "a {colour} {shape}": the photos among
// the top 10 good matches that show the pair, summed over the 42 pairs (of 420). Measured 308 (run s7,
// soft targets, and 17 of 30 on the three queries; g28-bf16 before it: 130 and 13; run 3: 122 and 14).
const OBJECT_IN_ALL_MEASURED = 308;
const MIN_OBJECT_IN_ALL = 290;

test('the relevance floor on the demo library', { timeout: 300_000 }, async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-relevance-'));
  const core = await Shoebox.open({ dataDir });
  t.after(async () => {
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const { root, jobId } = await callApi(core, 'library.addDemo', {});
  assert.equal((await callApi(core, 'jobs.wait', { jobId })).state, 'done');
  const manifest = JSON.parse(await readFile(path.join(root.path, 'manifest.json'), 'utf8')) as DemoManifest;
  const captionOf = new Map(manifest.files.map((f) => [path.join(root.path, f.path), f.caption ?? '']));

  for (const query of ['zzzz', 'qwxv', 'xylophone', 'dog', 'sunset']) {
    const r = await callApi(core, 'search.text', { query, limit: 20 });
    assert.equal(r.strong, 0, `"${query}" has no good match`);
    assert.equal(r.hits.length, 20, 'the closest photos are still there to see');
    assert.ok(r.hits.every((h) => !h.strong));
    assert.equal((await callApi(core, 'search.text', { query, show: 'strong' })).total, 0);
  }

  // Each query, its exact photos (caption), and the object it names (colour and shape, any background).
  const real: [string, RegExp, string, string][] = [
    ['a red circle', /\bred circles?\b/, 'red', 'circle'],
    ['two blue squares on the beach', /\bblue squares? on the beach\b/, 'blue', 'square'],
    ['a yellow star in the snow', /\byellow stars? in the snow\b/, 'yellow', 'star'],
  ];
  const groupsOf = new Map(manifest.files.map((f) => [path.join(root.path, f.path), f.spec?.groups ?? []]));
  const shows = (photo: string, colour: string, shape: string) => groupsOf.get(photo)!.some((g) => g.colour === colour && g.shape === shape);
  let objectsOnTop = 0;
  for (const [query, right, colour, shape] of real) {
    const r = await callApi(core, 'search.text', { query, show: 'strong', limit: 100 });
    assert.ok(r.understood && r.strong > 0, `"${query}" has good matches`);
    assert.equal(r.total, r.strong);
    assert.ok(r.hits.every((h) => h.strong));
    const rightPhotos = [...captionOf].filter(([, c]) => right.test(c)).map(([p]) => p);
    assert.ok(rightPhotos.length > 0, `the demo has photos for "${query}"`);
    // Most of the top good matches show the object the query names (the demo's specs are the
    // ground truth), and the photos that match it exactly are good matches.
    const top = r.hits.slice(0, TOP);
    const showsObject = top.filter((h) => shows(h.path, colour, shape)).length;
    objectsOnTop += showsObject;
    const kept = rightPhotos.filter((p) => r.hits.some((h) => h.path === p)).length;
    t.diagnostic(`"${query}": ${showsObject} of the top ${top.length} good matches show a ${colour} ${shape}; ${kept} of ${rightPhotos.length} exact photos are good matches (${r.strong} good matches)`);
    assert.ok(showsObject / top.length >= MIN_OBJECT_ON_TOP, `"${query}": ${showsObject} of the top ${top.length} good matches show a ${colour} ${shape}: ${top.map((h) => captionOf.get(h.path)).join(' | ')}`);
    assert.ok(kept / rightPhotos.length >= MIN_EXACT_KEPT, `"${query}": ${kept} of the ${rightPhotos.length} exact photos are good matches`);
    assert.ok(r.strong < 0.4 * 300, `"${query}": the floor keeps out most of the library (${r.strong})`);
  }

  t.diagnostic(`the three queries: ${objectsOnTop} of the top ${TOP * real.length} good matches show the object`);
  const pairs = [...new Set(manifest.files.flatMap((f) => (f.spec?.groups ?? []).map((g) => `${g.colour} ${g.shape}`)))].sort();
  let pairsOnTop = 0;
  for (const pair of pairs) {
    const [colour, shape] = pair.split(' ') as [string, string];
    const r = await callApi(core, 'search.text', { query: `a ${pair}`, show: 'strong', limit: TOP });
    pairsOnTop += r.hits.filter((h) => shows(h.path, colour, shape)).length;
  }
  t.diagnostic(`"a {colour} {shape}" over the ${pairs.length} pairs the demo shows: ${pairsOnTop} of the top ${TOP} good matches show the pair, summed`);
  assert.ok(pairsOnTop >= MIN_OBJECT_IN_ALL, `the top good matches show the pair: ${pairsOnTop} in all over ${pairs.length} pairs (measured ${OBJECT_IN_ALL_MEASURED})`);

  // The good matches are the top of the ranking: no weaker photo scores above a good one.
  for (const query of ['a red circle', 'beach', 'blue heart', 'a photo at night']) {
    const { hits } = await callApi(core, 'search.text', { query, show: 'all', limit: 300 });
    const firstWeaker = hits.findIndex((h) => !h.strong);
    assert.ok(firstWeaker < 0 || hits.slice(firstWeaker).every((h) => !h.strong), `"${query}": a good match ranks below a weaker one`);
  }

  // Paging: the first 200 and the rest follow on, in order, without repeats.
  const first = await callApi(core, 'search.text', { query: 'a red circle', limit: 200 });
  const next = await callApi(core, 'search.text', { query: 'a red circle', limit: 200, offset: 200 });
  assert.equal(first.total, 300);
  assert.equal(first.hits.length, 200);
  assert.equal(next.hits.length, 100);
  assert.ok(next.hits[0]!.score <= first.hits[199]!.score);
  assert.equal(new Set([...first.hits, ...next.hits].map((h) => h.id)).size, 300);

  // "Similar" ranks by a photo's own vector and is not judged.
  const similar = await callApi(core, 'search.similar', { photoId: first.hits[0]!.id, limit: 5 });
  assert.equal(similar.hits.length, 5);
  assert.ok(!('strong' in similar.hits[0]!));
});
