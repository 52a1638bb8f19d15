// The synthetic scene generator's public surface: vocabulary, seeded sampling, captions,
// rendering and the demo library. Import from here rather than from the individual files.
// Only what some caller imports is listed; add a name here when a caller needs it.

export {
  BACKGROUND_PHRASES,
  BACKGROUNDS,
  COLOUR_RGB,
  COLOURS,
  HELD_OUT_COMBOS,
  isHeldOut,
  SHAPE_PLURALS,
  SHAPES,
} from './vocabulary.js';
export { Rng } from './rng.js';
export { sampleScene, type SceneSpec } from './scene.js';
export { canonicalCaption, captionsFor, placeCaptions } from './captions.js';
export { renderScene, renderSceneRaw } from './render.js';
export { writeDemoLibrary, type DemoManifest } from './demo-library.js';
