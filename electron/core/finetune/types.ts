// What fine-tuning makes and reports, as the API, the CLI and the renderer see it. The training
// room (train/, evaluate, versions) produces these; api/finetune.ts serves them.

export interface FinetuneParams {
  /** Passes over the training pairs. */
  epochs: number;
  seed: number;
}

/** Held-out caption → photo recall before (original space) and after (adapted space), as fractions 0..1. */
export interface RecallFigures {
  at1: number;
  at5: number;
}

export interface FinetuneFigures {
  /** Captioned photos used: trained on / held out. */
  trainPairs: number;
  heldOutPairs: number;
  before: RecallFigures;
  after: RecallFigures;
  /** Points (0..100) of zero-shot agreement lost on the probe that does not depend on the captions. */
  forgetting: number;
  /** The WiSE-style interpolation weight chosen on the held-out pairs (0 = original space, 1 = fully adapted). */
  mix: number;
  /** Mean training loss per epoch. */
  loss: number[];
  seconds: number;
}

export interface AdapterVersion {
  id: number;
  modelId: string;
  createdAt: number;
  /** Whether evaluation found it better without forgetting too much; refused versions cannot be activated. */
  accepted: boolean;
  /** Why it was refused, in words. */
  reason: string | null;
  params: FinetuneParams;
  figures: FinetuneFigures;
}

/** The job's result: the version it made and whether it became active. */
export interface FinetuneResult {
  version: AdapterVersion;
  activated: boolean;
}

/** The training job's progress beyond done/total (epochs): the latest loss, for the live curve. */
export interface FinetuneProgress {
  done: number;
  total?: number | null;
  currentFile?: string | null;
  epoch?: number;
  loss?: number;
}
