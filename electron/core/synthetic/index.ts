// The synthetic scene generator's public surface: vocabulary, seeded sampling, captions,
// rendering and the demo library. Import from here rather than from the individual files.

export * from './vocabulary.js';
export { Rng } from './rng.js';
export {
  sampleScene,
  type ObjectGroup,
  type PlacedObject,
  type Lighting,
  type SceneLayout,
  type SceneSpec,
  type SampleOptions,
} from './scene.js';
export { canonicalCaption, captionsFor } from './captions.js';
export {
  renderScene,
  renderSceneRaw,
  renderSceneEncoded,
  sceneSvg,
  type RawImage,
  type RenderOptions,
  type EncodedFormat,
  type EncodeOptions,
} from './render.js';
export { writeDemoLibrary, type DemoFile, type DemoLibraryOptions, type DemoManifest } from './demo-library.js';
export { decompressionBombPng, type BadFileKind } from './bad-files.js';
