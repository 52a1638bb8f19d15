// Switching the active model, as a background job (kind 'model-switch'): the new model embeds
// every photo it has not embedded yet, while search keeps answering from the current model; when
// the job finishes the new model becomes active and search reloads from its embeddings. Each
// model's embeddings stay in the store, so switching back finds nothing to embed and is instant.
// After a cancel, a crash or kill -9 the choice is unchanged and what was committed is kept: the
// same switch started again resumes from there.
import { embedLibrary, type IndexDeps, type IndexSummary } from '../library/index-job.js';
import type { JobContext } from '../jobs/runner.js';
import { arrived } from './model-host.js';

export type SwitchParams = { modelId: string };

export interface SwitchResult {
  modelId: string;
  /** The embedding pass over the library (indexed = photos the new model embedded now). */
  embedding: IndexSummary;
}

/** Starts a switch to an installed or bundled model; returns its job id. */
export function startSwitchJob(deps: IndexDeps, modelId: string): number {
  const dir = deps.models.folderOf(modelId);
  if (!dir) throw new Error(`No installed model has the id ${modelId}: see \`shoebox models\` for the installed ones.`);
  if (deps.models.overrideDir()) throw new Error(`Shoebox was started with --model ${deps.models.overrideDir()}: start it without --model to switch models.`);
  return deps.jobs.start('model-switch', { modelId }, (ctx) => switchModel(deps, dir, ctx)).id;
}

async function switchModel(deps: IndexDeps, dir: string, ctx: JobContext): Promise<SwitchResult> {
  const model = await deps.models.open(dir);
  let handedOver = false;
  try {
    const embedding = await embedLibrary(deps, arrived(model), ctx, undefined, { feedsSearch: false });
    // A cancelled pass leaves the choice as it was; the next switch resumes.
    ctx.signal.throwIfAborted();
    // Activation tells its listeners; search drops its index and reloads from the new model's embeddings.
    await deps.models.activate(model);
    handedOver = true;
    return { modelId: model.id, embedding };
  } finally {
    if (!handedOver) await model.client.close();
  }
}
