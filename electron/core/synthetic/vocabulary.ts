// The closed world of the synthetic scene generator: the words a scene can be described with.
// Training (models/recipe), tests, benchmarks and the demo library all draw from these lists,
// so the bundled model's vocabulary and the test oracle stay in step.

export const COLOURS = ['red', 'blue', 'green', 'yellow', 'purple', 'orange', 'white', 'black'] as const;
export const SHAPES = ['circle', 'square', 'triangle', 'star', 'heart', 'cross'] as const;
export const BACKGROUNDS = ['beach', 'grass', 'snow', 'night', 'wall'] as const;
export const SIZES = ['small', 'large'] as const;

export type Colour = (typeof COLOURS)[number];
export type Shape = (typeof SHAPES)[number];
export type Background = (typeof BACKGROUNDS)[number];
export type Size = (typeof SIZES)[number];

/** sRGB fill for each colour word (before lighting and noise). */
export const COLOUR_RGB: Record<Colour, readonly [number, number, number]> = {
  red: [220, 30, 30],
  blue: [30, 70, 220],
  green: [30, 170, 50],
  yellow: [245, 215, 20],
  purple: [140, 40, 180],
  orange: [250, 130, 10],
  white: [245, 245, 245],
  black: [20, 20, 20],
};

/**
 * Colour–shape combinations that never appear in training scenes. Zero-shot evaluation on these
 * measures whether the model composes colour and shape rather than memorising pairs.
 * One per shape, each colour used at most once, so every word is still seen in training.
 */
export const HELD_OUT_COMBOS: ReadonlyArray<readonly [Colour, Shape]> = [
  ['red', 'star'],
  ['blue', 'triangle'],
  ['green', 'heart'],
  ['yellow', 'square'],
  ['purple', 'circle'],
  ['orange', 'cross'],
];

export function isHeldOut(colour: Colour, shape: Shape): boolean {
  return HELD_OUT_COMBOS.some(([c, s]) => c === colour && s === shape);
}

/** Phrases a caption may use for each background (the first is the canonical class name). */
export const BACKGROUND_PHRASES: Record<Background, readonly string[]> = {
  beach: ['on the beach', 'on the sand', 'at the beach'],
  grass: ['on the grass', 'in a meadow', 'on a lawn'],
  snow: ['in the snow', 'on snow', 'in a snowy field'],
  night: ['at night', 'in the night sky', 'under a night sky'],
  wall: ['against a wall', 'indoors by a wall', 'in front of a wall'],
};

/** Plural of each shape word ("two red crosses"). */
export const SHAPE_PLURALS: Record<Shape, string> = {
  circle: 'circles',
  square: 'squares',
  triangle: 'triangles',
  star: 'stars',
  heart: 'hearts',
  cross: 'crosses',
};

/** Short tag words for each background, for terse captions such as "red stars, sand". */
export const BACKGROUND_TAGS: Record<Background, readonly string[]> = {
  beach: ['beach', 'sand', 'seaside'],
  grass: ['grass', 'lawn', 'meadow'],
  snow: ['snow', 'winter', 'snowy field'],
  night: ['night', 'night sky', 'dark sky'],
  wall: ['wall', 'indoors', 'interior wall'],
};
