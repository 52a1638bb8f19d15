// The fine-tuning loss's hand-written gradients against central finite differences in float64,
// for every parameter block (image W, b; text W, b) and the log-temperature, with and without the
// L2 pull; and the kernels the loss is built on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contrastiveLoss, identityParams, Workspace, type AdapterParams } from '../../electron/core/finetune/contrastive.js';
import { gemmNT } from '../../electron/core/finetune/linalg.js';
import { Rng } from '../../electron/core/synthetic/rng.js';

function unitRows(n: number, d: number, rng: Rng): Float64Array {
  const m = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += (m[i * d + k] = rng.normal()) ** 2;
    for (let k = 0; k < d; k++) m[i * d + k]! /= Math.sqrt(s);
  }
  return m;
}

function randomParams(d: number, rng: Rng): AdapterParams {
  const p = identityParams(d, Math.log(8));
  for (const key of ['imageW', 'imageB', 'textW', 'textB'] as const) for (let i = 0; i < p[key].length; i++) p[key][i] = 0.2 * rng.normal();
  return p;
}

test('gemmNT matches a naive product on odd shapes', () => {
  const rng = new Rng(3);
  for (const [m, n, p] of [[1, 1, 1], [5, 3, 7], [9, 6, 4], [4, 2, 8]] as const) {
    const a = Float64Array.from({ length: m * p }, () => rng.normal());
    const b = Float64Array.from({ length: n * p }, () => rng.normal());
    const c = new Float64Array(m * n);
    gemmNT(a, b, c, m, n, p);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += a[i * p + k]! * b[j * p + k]!;
      assert.ok(Math.abs(s - c[i * n + j]!) < 1e-12, `${m}×${n}×${p} [${i},${j}]`);
    }
  }
});

for (const l2 of [0, 0.3]) {
  test(`every gradient matches finite differences (float64, L2 ${l2})`, () => {
    const rng = new Rng(11);
    const n = 5;
    const d = 6;
    const x = unitRows(n, d, rng);
    const t = unitRows(n, d, rng);
    const p = randomParams(d, rng);
    const ws = new Workspace(n, d);
    const g = identityParams(d);
    contrastiveLoss(p, x, t, n, l2, ws, g);
    const h = 1e-6;
    let checked = 0;
    for (const key of ['imageW', 'imageB', 'textW', 'textB'] as const) {
      for (let i = 0; i < p[key].length; i++) {
        const keep = p[key][i]!;
        p[key][i] = keep + h;
        const up = contrastiveLoss(p, x, t, n, l2, ws);
        p[key][i] = keep - h;
        const down = contrastiveLoss(p, x, t, n, l2, ws);
        p[key][i] = keep;
        const numeric = (up - down) / (2 * h);
        const analytic = g[key][i]!;
        assert.ok(Math.abs(numeric - analytic) <= 1e-6 + 1e-5 * Math.abs(numeric), `${key}[${i}]: analytic ${analytic}, numeric ${numeric}`);
        checked++;
      }
    }
    const keep = p.logScale;
    p.logScale = keep + h;
    const up = contrastiveLoss(p, x, t, n, l2, ws);
    p.logScale = keep - h;
    const down = contrastiveLoss(p, x, t, n, l2, ws);
    p.logScale = keep;
    const numeric = (up - down) / (2 * h);
    assert.ok(Math.abs(numeric - g.logScale) <= 1e-6 + 1e-5 * Math.abs(numeric), `logScale: analytic ${g.logScale}, numeric ${numeric}`);
    assert.equal(checked, 2 * d * d + 2 * d);
  });
}
