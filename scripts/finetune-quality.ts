// `npm run finetune-quality`: does fine-tuning teach the bundled model a word it cannot know,
// without forgetting what it knew? Measured through the real app path (captions.set,
// finetune.start, finetune.use, the search index) and written into docs/FINETUNING.md between its
// markers.
//
// A pool of one-object generated scenes is indexed by a real Shoebox. Every scene of one
// colour–shape pair ("orange heart") is "Pip"; the others are ordinary. 80 % of the photos are
// captioned (Pip's as "a photo of pip", the others with their canonical caption, e.g. "a large
// red star on the beach") and the job trains on those; the other 20 % are never captioned and
// are the test set. On the test set, before (no adapter) and after (the new version active):
// - Pip recall@1: for each test Pip photo, "a photo of pip" must rank it above every test
//   photo that is not Pip (the other Pip photos are left out of that ranking); chance is
//   1 / (non-Pip test photos + 1);
// - ordinary-caption recall@1: the same for each non-Pip test photo and its canonical caption,
//   photos with the identical caption left out;
// - zero-shot accuracy: the 48 colour × shape classes (models/recipe/zero-shot.ts, prompt
//   ensembling), forgetting = before − after, in points.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { callApi } from '../electron/core/api/table.js';
import { Shoebox } from '../electron/core/shoebox.js';
import { canonicalCaption, renderScene, Rng, sampleScene, type SceneSpec } from '../electron/core/synthetic/index.js';
import { COLOURS, SHAPES, type Colour, type Shape } from '../electron/core/synthetic/vocabulary.js';
import { OBJECT_TEMPLATES } from '../models/recipe/zero-shot.js';

const REPO = path.resolve(import.meta.dirname, '..');
const SEED = 20261210;
const PIP: readonly [Colour, Shape] = ['orange', 'heart'];
const PIP_PHOTOS = 80;
const OTHER_PHOTOS = 520;
const TEST_SHARE = 0.2;
const START = '<!-- finetune-quality:start -->';
const END = '<!-- finetune-quality:end -->';

interface Photo {
  file: string;
  pip: boolean;
  caption: string;
  colour: Colour;
  shape: Shape;
  test: boolean;
}

async function renderLibrary(dir: string): Promise<Photo[]> {
  await mkdir(dir, { recursive: true });
  const rng = new Rng(SEED);
  const combos = COLOURS.flatMap((c) => SHAPES.map((s) => [c, s] as const)).filter(([c, s]) => c !== PIP[0] || s !== PIP[1]);
  const specs: { spec: SceneSpec; pip: boolean }[] = [
    ...Array.from({ length: PIP_PHOTOS }, () => ({ spec: sampleScene(rng.fork(), { allowHeldOut: true, onlyCombos: [PIP], maxGroups: 1, minSide: 160, maxSide: 256 }), pip: true })),
    ...Array.from({ length: OTHER_PHOTOS }, () => ({ spec: sampleScene(rng.fork(), { allowHeldOut: true, onlyCombos: combos, maxGroups: 1, minSide: 160, maxSide: 256 }), pip: false })),
  ];
  const photos: Photo[] = [];
  for (const [i, { spec, pip }] of specs.entries()) {
    const file = `scene-${String(i).padStart(4, '0')}.jpg`;
    await writeFile(path.join(dir, file), await renderScene(spec, { format: 'jpeg' }));
    const group = spec.groups[0]!;
    // Every fifth photo of each kind is a test photo: never captioned, never trained on.
    photos.push({ file, pip, caption: pip ? 'a photo of pip' : canonicalCaption(spec), colour: group.colour, shape: group.shape, test: (pip ? i : i - PIP_PHOTOS) % Math.round(1 / TEST_SHARE) === 0 });
  }
  return photos;
}

interface Measure {
  pipRecall1: number;
  ordinaryRecall1: number;
  zeroShot: number;
}

/** Scores every indexed photo against each text through the search index, so the active adapter applies. */
async function scoreTexts(core: Shoebox, texts: readonly string[]): Promise<{ row: Map<number, number>; columns: Float32Array[] }> {
  const model = await core.models.active();
  const vectors = await model.client.encodeTexts([...texts]);
  const { service } = await core.search.service();
  const { ids, text } = service.scoreColumns(vectors, []);
  return { row: new Map(Array.from(ids, (id, r) => [id, r])), columns: text };
}

/** Share of `queries` whose own photo outranks every competitor it is ranked against. */
function recallAt1(queries: readonly { photoId: number; column: Float32Array; competitors: readonly number[] }[], row: Map<number, number>): number {
  let hits = 0;
  for (const q of queries) {
    const own = q.column[row.get(q.photoId)!]!;
    if (q.competitors.every((c) => q.column[row.get(c)!]! < own)) hits++;
  }
  return queries.length === 0 ? 0 : hits / queries.length;
}

async function measure(core: Shoebox, photos: readonly Photo[], idOf: Map<string, number>): Promise<Measure> {
  const test = photos.filter((p) => p.test);
  const ordinary = test.filter((p) => !p.pip);
  const captions = [...new Set(ordinary.map((p) => p.caption))];
  const classes = COLOURS.flatMap((c) => SHAPES.map((s) => `${c} ${s}`));
  const prompts = classes.flatMap((name) => OBJECT_TEMPLATES.map((t) => t.replace('{}', name)));
  const { row, columns } = await scoreTexts(core, ['a photo of pip', ...captions, ...prompts]);
  const pipColumn = columns[0]!;
  const captionColumn = new Map(captions.map((c, i) => [c, columns[1 + i]!]));
  const id = (p: Photo): number => idOf.get(p.file)!;
  const pipRecall1 = recallAt1(
    test.filter((p) => p.pip).map((p) => ({ photoId: id(p), column: pipColumn, competitors: ordinary.map(id) })),
    row,
  );
  const ordinaryRecall1 = recallAt1(
    ordinary.map((p) => ({ photoId: id(p), column: captionColumn.get(p.caption)!, competitors: test.filter((o) => o.caption !== p.caption).map(id) })),
    row,
  );
  // Zero-shot: the mean of each class's prompt scores stands for its ensemble (same ranking as
  // averaging the normalised prompt vectors up to each class's norm; good enough as a probe).
  let correct = 0;
  for (const p of test) {
    const r = row.get(id(p))!;
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < classes.length; c++) {
      let s = 0;
      for (let t = 0; t < OBJECT_TEMPLATES.length; t++) s += columns[1 + captions.length + c * OBJECT_TEMPLATES.length + t]![r]!;
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    if (classes[best] === `${p.colour} ${p.shape}`) correct++;
  }
  return { pipRecall1, ordinaryRecall1, zeroShot: correct / test.length };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const work = await mkdtemp(path.join(os.tmpdir(), 'shoebox-finetune-quality-'));
  try {
    const library = path.join(work, 'library');
    const photos = await renderLibrary(library);
    const core = await Shoebox.open({ dataDir: path.join(work, 'data') });
    try {
      const root = await callApi(core, 'roots.add', { path: library });
      const indexed = await callApi(core, 'jobs.wait', { jobId: (await callApi(core, 'index.start', { rootIds: [root.id] })).jobId });
      if (indexed.state !== 'done') throw new Error(`indexing ended ${indexed.state}`);
      const page = await callApi(core, 'photos.list', { limit: 1000 });
      const idOf = new Map(page.photos.map((p) => [path.basename(p.path), p.id]));
      for (const p of photos.filter((x) => !x.test)) await callApi(core, 'captions.set', { photoIds: [idOf.get(p.file)!], text: p.caption });

      const before = await measure(core, photos, idOf);
      const job = await callApi(core, 'finetune.start', { seed: 1 });
      const result = await callApi(core, 'jobs.wait', { jobId: job.jobId });
      if (result.state !== 'done' || result.kind !== 'finetune') throw new Error(`fine-tuning ended ${result.state}${result.state === 'failed' ? `: ${result.error}` : ''}`);
      const { version, activated } = result.value;
      const after = activated ? await measure(core, photos, idOf) : null;
      const test = photos.filter((p) => p.test);
      const chance = 1 / (test.filter((p) => !p.pip).length + 1);
      const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
      const lines = [
        `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run finetune-quality\` (seed ${SEED}; ${photos.length} photos, ${photos.length - test.length} captioned, ${test.length} test photos never captioned; ${((performance.now() - t0) / 1000).toFixed(0)} s on this machine).`,
        '',
        `Version ${version.id}: trained on ${version.figures.trainPairs} pairs, ${version.figures.heldOutPairs} held out by the job, in ${version.figures.seconds.toFixed(1)} s; mix ${version.figures.mix.toFixed(2)}; the job's own figures: held-out recall@1 ${pct(version.figures.before.at1)} → ${pct(version.figures.after.at1)}, forgetting ${version.figures.forgetting.toFixed(1)} points. ${activated ? 'Activated.' : `Refused: ${version.reason}.`}`,
        '',
        '| on the test photos | before | after | target |',
        '| --- | --- | --- | --- |',
        `| "a photo of pip" recall@1 (chance ${pct(chance)}) | ${pct(before.pipRecall1)} | ${after ? pct(after.pipRecall1) : '—'} | ≥ 80 % |`,
        `| ordinary-caption recall@1 | ${pct(before.ordinaryRecall1)} | ${after ? pct(after.ordinaryRecall1) : '—'} | not lower |`,
        `| zero-shot accuracy, 48 colour × shape classes | ${pct(before.zeroShot)} | ${after ? pct(after.zeroShot) : '—'} | forgetting ≤ 2 points |`,
        '',
        after ? `Forgetting on the zero-shot classes: ${((before.zeroShot - after.zeroShot) * 100).toFixed(1)} points.` : 'Nothing changed: the version was not activated.',
      ];
      console.log(lines.join('\n'));
      const doc = path.join(REPO, 'docs', 'FINETUNING.md');
      const text = await readFile(doc, 'utf8');
      const [head, rest] = text.split(START);
      const tail = rest?.split(END)[1];
      if (head === undefined || tail === undefined) throw new Error(`${doc} lacks the markers ${START} … ${END}`);
      await writeFile(doc, `${head}${START}\n${lines.join('\n')}\n${END}${tail}`);
    } finally {
      await core.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
