// Smoke test of the training recipe end to end on a tiny dataset: build-dataset.ts → train.py (2 steps)
// → export.py → the exported folder loads and runs through the app's path. Needs python3 with
// torch (CI installs python3-torch); without it the test is skipped with the reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadOnnxClip } from '../../models/recipe/onnx-model.js';

/** A python interpreter that can import torch: $SHOEBOX_PYTHON, python3, or Debian's /usr/bin/python3. */
function findTorchPython(): string | null {
  const candidates = [process.env.SHOEBOX_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

const python = findTorchPython();

test('recipe smoke run: dataset, 2 training steps, ONNX export, app-path inference', { skip: python === null ? 'python3 with torch is not installed (apt install python3-torch)' : false, timeout: 120_000 }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-recipe-'));
  try {
    const model = path.join(dir, 'model');
    await cp('models/shoebox-mini/textual', path.join(model, 'textual'), { recursive: true });
    const data = path.join(dir, 'data');
    const run = path.join(dir, 'run');
    const tsx = path.resolve('node_modules/.bin/tsx');
    execFileSync(tsx, ['models/recipe/build-dataset.ts', '--out', data, '--model', model, '--train', '32', '--captions', '2',
      '--heldout-per-combo', '2', '--generic', '8', '--context-length', '24'], { stdio: 'pipe' });
    const tinyRun = ['models/recipe/train.py', '--data', data, '--steps', '2', '--batch', '8', '--eval-every', '2', '--warmup', '1'];
    const log = execFileSync(python as string, [...tinyRun, '--out', run], { encoding: 'utf8' });
    const done = JSON.parse(log.trim().split('\n').at(-1) as string) as { event: string; steps: number };
    assert.equal(done.event, 'done');
    assert.equal(done.steps, 2);
    // --bf16 (autocast forward, float32 weights) with --soft-targets (the dataset's group labels
    // and the place captions reach the loss): the same run trains and its loss stays finite.
    // --ema 0.5: the first step's weights are copied, each later step averaged in by half, so after
    // two steps checkpoint-ema.pt holds the mean of step 1's weights (a one-step run with the same
    // seed) and step 2's (checkpoint.pt).
    const bf16Run = path.join(dir, 'run-bf16');
    const bf16Soft = ['--bf16', '--ema', '0.5', '--soft-targets', '0.2', '--soft-other-place', '0.1', '--place-captions', '0.3'];
    const bf16Log = execFileSync(python as string, [...tinyRun, '--out', bf16Run, ...bf16Soft], { encoding: 'utf8' });
    const bf16Lines = bf16Log.trim().split('\n').map((l) => JSON.parse(l) as { event?: string; steps?: number; loss?: number });
    assert.equal(bf16Lines.at(-1)?.event, 'done');
    assert.equal(bf16Lines.at(-1)?.steps, 2);
    const losses = bf16Lines.filter((l) => typeof l.loss === 'number').map((l) => l.loss as number);
    assert.ok(losses.length > 0 && losses.every(Number.isFinite), `bf16 losses ${losses.join(', ')}`);
    assert.ok(bf16Lines.some((l) => l.event === 'eval-ema'), 'the --ema run logs the average\'s figures');
    const oneStep = path.join(dir, 'run-bf16-1');
    execFileSync(python as string, [...tinyRun, '--steps', '1', '--out', oneStep, ...bf16Soft], { stdio: 'pipe' });
    const compare = `
import sys, json, torch
load = lambda p: torch.load(p)["state_dict"]
w1, w2, ema = load(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
floats = [k for k in w2 if w2[k].is_floating_point()]
print(json.dumps({"keys": sorted(ema) == sorted(w2), "moved": sum(not torch.equal(w1[k], w2[k]) for k in floats),
  "offMean": [k for k in floats if not torch.allclose(ema[k], (w1[k] + w2[k]) / 2, atol=1e-6)]}))`;
    const ema = JSON.parse(execFileSync(python as string, ['-c', compare, path.join(oneStep, 'checkpoint.pt'),
      path.join(bf16Run, 'checkpoint.pt'), path.join(bf16Run, 'checkpoint-ema.pt')], { encoding: 'utf8' })) as
      { keys: boolean; moved: number; offMean: string[] };
    assert.ok(ema.keys, 'checkpoint-ema.pt has the model\'s tensors');
    assert.ok(ema.moved > 10, `step 2 changed only ${ema.moved} tensors`);
    assert.deepEqual(ema.offMean, [], 'tensors of checkpoint-ema.pt that are not the mean of steps 1 and 2');
    execFileSync(python as string, ['models/recipe/export.py', '--checkpoint', path.join(run, 'checkpoint.pt'), '--out', model,
      '--fixture', path.join(dir, 'fixture'), '--data', data], { stdio: 'pipe' });
    const manifest = JSON.parse(await readFile(path.join(model, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    assert.ok(manifest.files.some((f) => f.path === 'visual/model.onnx'));
    const clip = await loadOnnxClip(model);
    const t = await clip.embedTexts(['a red star', 'two blue circles']);
    assert.equal(t.length, 2 * clip.dim);
    assert.ok(Number.isFinite(t[0]));
    await clip.release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('augment.py: share 0 changes nothing; otherwise values stay in 0..1, the seed fixes the result, and zoom-out and shift keep a centred square whole and smaller', { skip: python === null ? 'python3 with torch is not installed (apt install python3-torch)' : false, timeout: 60_000 }, () => {
  const check = `
import sys, json; sys.path.insert(0, 'models/recipe')
import torch
from augment import augment, zoom_out_and_shift
x = torch.rand(64, 3, 64, 64)
same = augment(x, 0.0, torch.Generator().manual_seed(1))
a = augment(x, 1.0, torch.Generator().manual_seed(2))
b = augment(x, 1.0, torch.Generator().manual_seed(2))
grey = x.mean(dim=1, keepdim=True).expand(-1, 3, -1, -1)
g = augment(grey, 1.0, torch.Generator().manual_seed(4))
# A 16 x 16 white square in the middle of a black frame, through the geometric step alone.
sq = torch.zeros(32, 3, 64, 64); sq[:, :, 24:40, 24:40] = 1.0
z = zoom_out_and_shift(sq, torch.Generator().manual_seed(3))
area = (z[:, 0] > 0.5).flatten(1).sum(dim=1).float()
print(json.dumps({"identity": bool(torch.equal(same, x)), "changed": float((a - x).abs().mean()),
  "lo": float(a.min()), "hi": float(a.max()), "repeatable": bool(torch.equal(a, b)),
  "greyStaysGrey": float((g[:, 0] - g[:, 1]).abs().max() + (g[:, 1] - g[:, 2]).abs().max()),
  "minArea": float(area.min()), "maxArea": float(area.max()), "meanArea": float(area.mean())}))
`;
  const r = JSON.parse(execFileSync(python as string, ['-c', check], { encoding: 'utf8' })) as Record<string, number | boolean>;
  assert.equal(r.identity, true);
  assert.ok((r.changed as number) > 0.01, `augmentation changed the images by only ${r.changed}`);
  assert.ok((r.lo as number) >= 0 && (r.hi as number) <= 1, `values out of 0..1: ${r.lo}..${r.hi}`);
  assert.equal(r.repeatable, true);
  assert.ok((r.greyStaysGrey as number) < 1e-6, `greyscale pictures got colour: ${r.greyStaysGrey}`);
  // Zoom 0.8–1.0: the square's area is 0.64–1.0 of 256 px (a pixel either way at the edges), never cut.
  assert.ok((r.minArea as number) >= 0.64 * 256 - 16 && (r.maxArea as number) <= 256 + 16, `areas ${r.minArea}..${r.maxArea}`);
  assert.ok((r.meanArea as number) < 240, `zoom-out did not shrink the square on average (${r.meanArea} px)`);
});

test('--soft-targets: partial_matches finds the images that show what a caption names in its place, and clip_loss then favours them over unrelated images', { skip: python === null ? 'python3 with torch is not installed (apt install python3-torch)' : false, timeout: 60_000 }, () => {
  const check = `
import sys, json; sys.path.insert(0, 'models/recipe')
import torch
from model import caption_targets, clip_loss, image_targets, partial_matches, soft_targets
# Classes are colour-major, 6 shapes per colour: red circle 0, red square 1, blue circle 6.
# Samples on the beach (0): a red circle; three red circles; a red circle and a blue circle; a red
# square whose caption names only the beach (--place-captions); a blue circle; the first scene
# again in greyscale (its caption "a circle"). Then a red circle on the grass (1).
shown = torch.tensor([[0, -1], [0, -1], [0, 6], [1, -1], [6, -1], [0, -1], [0, -1]])
named = shown.clone(); named[3] = -1
place_only = torch.tensor([False, False, False, True, False, False, False])
backgrounds = torch.tensor([0, 0, 0, 0, 0, 0, 1])
grey = torch.tensor([False, False, False, False, False, True, False])
m = partial_matches(named, shown, backgrounds, grey, 6, 48)
# --soft-other-place 0.1: the grass picture of a red circle counts a tenth for the beach captions that name objects.
weak = partial_matches(named, shown, backgrounds, grey, 6, 48, 0.1)
# Caption 0 and the images of three red circles (1) and of a red square (3) at the same similarity:
# the derivative of the loss says which of the two the targets pull towards caption 0.
def grads(soft):
    sim = torch.eye(7).mul(0.5).add(0.1).requires_grad_()
    clip_loss(sim, torch.eye(7), torch.tensor(10.0), m, soft).backward()
    return float(sim.grad[1, 0]), float(sim.grad[3, 0])
plain, soft = grads(0.0), grads(0.2)
e = torch.eye(7)
r6 = lambda t: [round(float(x), 6) for x in t]
print(json.dumps({"matches": m.int().tolist(), "weak": [r6(weak[3]), r6(weak[6])],
  "grassTargets": r6(soft_targets(weak, 0.2)[6]), "greyTargets": r6(soft_targets(weak, 0.2)[5]),
  "placeTargets": r6(caption_targets(weak, 0.2, place_only)[3]),
  "imageTargets": [r6(image_targets(m, 0.2)[0]), r6(image_targets(m, 0.2, place_only)[0])], "plain": plain, "soft": soft,
  "sameAtZero": float(clip_loss(e, e, torch.tensor(10.0), m, 0.0) - clip_loss(e, e, torch.tensor(10.0)))}))
`;
  const r = JSON.parse(execFileSync(python as string, ['-c', check], { encoding: 'utf8' })) as {
    matches: number[][]; weak: number[][]; grassTargets: number[]; greyTargets: number[]; placeTargets: number[]; imageTargets: number[][];
    plain: [number, number]; soft: [number, number]; sameAtZero: number;
  };
  assert.deepEqual(r.matches, [
    [0, 1, 1, 0, 0, 0, 0], // "a red circle on the beach": the other red circles there, alone or with a blue circle; not the greyscale image nor the grass
    [1, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0], // "a red circle and a blue circle": no other image shows both
    [1, 1, 1, 0, 1, 1, 0], // "on the beach": every other beach picture, greyscale too
    [0, 0, 1, 0, 0, 0, 0],
    [1, 1, 1, 0, 1, 0, 0], // "a circle on the beach" (greyscale): every beach image with a circle, whatever its colour
    [0, 0, 0, 0, 0, 0, 0], // "a red circle on the grass": no other grass image
  ]);
  const round = (xs: number[]) => xs.map((x) => Math.round(x * 1e6) / 1e6);
  assert.deepEqual(r.weak, [[1, 1, 1, 0, 1, 1, 0], [0.1, 0.1, 0.1, 0, 0, 0, 0]], 'another place counts a tenth, but not for a caption of the place alone');
  // The grass caption has weak matches only, 0.3 in all: each gets 0.2 × 0.1, its own image the rest.
  assert.deepEqual(r.grassTargets, [0.02, 0.02, 0.02, 0, 0, 0, 0.94]);
  // "a circle on the beach": four beach circles at 1 and the grass one at 0.1, 4.1 in all.
  const full = 0.2 / 4.1;
  assert.deepEqual(r.greyTargets, round([full, full, full, 0, full, 0.8, 0.1 * full]));
  // "on the beach" is as true of the six beach pictures as of its own.
  assert.deepEqual(r.placeTargets, round([1, 1, 1, 1, 1, 1, 0].map((x) => x / 6)));
  // The first image (a red circle on the beach) over the captions: "three red circles", "on the
  // beach" and "a circle" match it; as a target the caption of the place alone is left out.
  assert.deepEqual(r.imageTargets[0], round([0.8, 0.2 / 3, 0, 0.2 / 3, 0, 0.2 / 3, 0]));
  assert.deepEqual(r.imageTargets[1], [0.8, 0.1, 0, 0, 0, 0.1, 0]);
  assert.equal(r.sameAtZero, 0, 'share 0 is CLIP\'s loss');
  // CLIP's loss pushes both images away from caption 0 alike; with soft targets, the one showing red circles is pulled closer.
  assert.ok(r.plain[0] > 0 && Math.abs(r.plain[0] - r.plain[1]) < 1e-6, `plain loss gradients ${r.plain}`);
  assert.ok(r.soft[0] < 0 && r.soft[1] > 0, `soft-target gradients ${r.soft}`);
});
