// Optional rendering variety for training the bundled model (issue 12): how a scene is drawn, not
// what it shows. Without a style a scene renders exactly as before (the demo library, the tests'
// fixtures and the benchmarks stay byte-identical); with one, shapes change proportions, the grey
// outline and drop shadow may go or change, objects may be shaded, and the background may lose its
// texture or be seen another way. The point is that the model learns "star" and "grass" rather than
// this renderer's habits.

import type { Rng } from './rng.js';
import type { Shape } from './vocabulary.js';

export type OutlineStyle = 'grey' | 'none' | 'dark' | 'light';

export interface SceneStyle {
  /** Per group: 0..1, 0.5 is the standard shape (see shapes.ts shapePath for what it changes). */
  proportions: number[];
  outline: OutlineStyle;
  /** Stroke width as a fraction of the object's radius. */
  outlineWidth: number;
  shadow: boolean;
  /** 0: flat fill; otherwise how much lighter/darker the two ends of a linear shading are. */
  shading: number;
  shadingAngle: number;
  /** false: the background without its texture marks (blades, specks, flakes, stars, joints). */
  backgroundDetail: boolean;
  /** The place from another viewpoint or in other weather (backgrounds-other.ts). */
  otherView: boolean;
}

/**
 * Draws a style. sampleScene calls it (and draws the wider sizes, rotations and JPEG qualities) only
 * when asked for variety, so scenes sampled without it take exactly the draws they always did.
 */
export function sampleStyle(rng: Rng, groups: number): SceneStyle {
  return {
    proportions: Array.from({ length: groups }, () => rng.range(0, 1)),
    outline: rng.pick(['grey', 'grey', 'none', 'none', 'dark', 'light'] as const),
    outlineWidth: rng.range(0.02, 0.1),
    shadow: rng.next() < 0.5,
    shading: rng.next() < 0.5 ? 0 : rng.range(0.08, 0.3),
    shadingAngle: rng.range(0, 360),
    backgroundDetail: rng.next() < 0.5,
    otherView: rng.next() < 0.4,
  };
}
