// The zero-shot classes and prompt templates used to evaluate the bundled model (CLIP section 3.1.4:
// class name → "a photo of a {class}.", embeddings of several templates averaged per class).
// Shared by the dataset builder (which tokenises them for the training log), evaluate.ts and the tests.

import { BACKGROUNDS, COLOURS, SHAPES, type Background, type Colour, type Shape } from '../../electron/core/synthetic/vocabulary.js';

export const OBJECT_TEMPLATES = [
  'a photo of a {}.',
  'a {}.',
  'a picture of a {}.',
  'an image of a {}.',
  'a photo of the {}.',
] as const;

export const BACKGROUND_TEMPLATES = [
  '{}.',
  'a photo {}.',
  'a picture {}.',
  'an image {}.',
] as const;

export interface ObjectClass {
  colour: Colour;
  shape: Shape;
  name: string;
}

/** All 48 colour × shape classes, colour-major (index = colourIndex * SHAPES.length + shapeIndex). */
export const OBJECT_CLASSES: readonly ObjectClass[] = COLOURS.flatMap((colour) =>
  SHAPES.map((shape) => ({ colour, shape, name: `${colour} ${shape}` })),
);

export function objectClassIndex(colour: Colour, shape: Shape): number {
  return COLOURS.indexOf(colour) * SHAPES.length + SHAPES.indexOf(shape);
}

export function backgroundIndex(background: Background): number {
  return BACKGROUNDS.indexOf(background);
}

/** Prompts for every class, class-major: [class0 template0, class0 template1, …]. */
export function objectPrompts(): string[] {
  return OBJECT_CLASSES.flatMap((c) => OBJECT_TEMPLATES.map((t) => t.replace('{}', c.name)));
}

export function backgroundPrompts(phrases: Record<Background, readonly string[]>): string[] {
  return BACKGROUNDS.flatMap((b) => BACKGROUND_TEMPLATES.map((t) => t.replace('{}', phrases[b][0] as string)));
}

/**
 * The model's probe prompts (manifest.json `probePrompts`, see clip/model-record.ts): its headline
 * zero-shot task, one prompt per colour × shape class, for the fine-tuning job's forgetting probe.
 * One task only: mixing in the background prompts would count a photo moving from "a red star" to
 * "on the beach" (both right) as forgetting.
 */
export function probePrompts(): string[] {
  return OBJECT_CLASSES.map((c) => `a photo of a ${c.name}.`);
}
