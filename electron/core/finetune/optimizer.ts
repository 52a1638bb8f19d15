// Adam (Kingma & Ba 2015) over the adapter's parameter arrays and its log-temperature, with bias
// correction; the update is deterministic (no randomness, fixed order).
import type { AdapterGrads, AdapterParams } from './contrastive.js';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** The log-temperature's own learning rate (one scalar; default: lr × 10). */
  lrLogScale?: number;
  /** Upper bound on the log-temperature (CLIP clips the logit scale at 100). */
  maxLogScale?: number;
}

const KEYS = ['imageW', 'imageB', 'textW', 'textB'] as const;

export class Adam {
  private readonly m: Record<(typeof KEYS)[number], Float64Array>;
  private readonly v: Record<(typeof KEYS)[number], Float64Array>;
  private mS = 0;
  private vS = 0;
  private step = 0;
  private readonly lr: number;
  private readonly lrS: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly maxS: number;

  constructor(params: AdapterParams, o: AdamOptions) {
    this.lr = o.lr;
    this.lrS = o.lrLogScale ?? o.lr * 10;
    this.b1 = o.beta1 ?? 0.9;
    this.b2 = o.beta2 ?? 0.999;
    this.eps = o.eps ?? 1e-8;
    this.maxS = o.maxLogScale ?? Math.log(100);
    this.m = { imageW: new Float64Array(params.imageW.length), imageB: new Float64Array(params.imageB.length), textW: new Float64Array(params.textW.length), textB: new Float64Array(params.textB.length) };
    this.v = { imageW: new Float64Array(params.imageW.length), imageB: new Float64Array(params.imageB.length), textW: new Float64Array(params.textW.length), textB: new Float64Array(params.textB.length) };
  }

  update(p: AdapterParams, g: AdapterGrads): void {
    this.step++;
    const { b1, b2, eps } = this;
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    const rate = this.lr / c1;
    const sc2 = 1 / Math.sqrt(c2);
    for (const key of KEYS) {
      const param = p[key];
      const grad = g[key];
      const m = this.m[key];
      const v = this.v[key];
      for (let i = 0; i < param.length; i++) {
        const gi = grad[i] as number;
        const mi = b1 * (m[i] as number) + (1 - b1) * gi;
        const vi = b2 * (v[i] as number) + (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        param[i] = (param[i] as number) - (rate * mi) / (Math.sqrt(vi) * sc2 + eps);
      }
    }
    this.mS = b1 * this.mS + (1 - b1) * g.logScale;
    this.vS = b2 * this.vS + (1 - b2) * g.logScale * g.logScale;
    p.logScale -= ((this.lrS / c1) * this.mS) / (Math.sqrt(this.vS) * sc2 + eps);
    if (p.logScale > this.maxS) p.logScale = this.maxS;
  }
}
