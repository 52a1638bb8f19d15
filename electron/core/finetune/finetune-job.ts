// The 'finetune' job: gathers the captioned photos' stored image embeddings and their captions'
// text embeddings (encoded once per model and cached in text_embeddings), a sample of the library
// and the probe prompts, runs the engine in a worker thread (electron/workers/finetune-worker.ts)
// with progress per epoch (loss; the runner derives the ETA from done/total), and writes the
// finished version whole, in one transaction with its activation when it was accepted. A cancel
// terminates the worker; a kill -9 leaves no row and the previous active version in place.
import type { JobContext } from '../jobs/runner.js';
import type { ActiveModel } from '../models/model-host.js';
import type { Store } from '../store/index.js';
import { loadModelFolder } from '../clip/model-folder.js';
import { cachedTextEmbeddings } from '../models/text-embedding-cache.js';
import { RpcClient } from '../workers/rpc.js';
import { startWorker, workerEntry } from '../workers/start-worker.js';
import { setActiveVersion } from './activation.js';
import { captionGroups, FINETUNE_DEFAULTS, MIN_PAIRS, type EngineInput, type EngineOptions } from './engine.js';
import { evenSample, PROBE_PROMPTS } from './evaluate.js';
import { EPOCH_EVENT, trainTransferList, type FinetuneWorkerMethods, type TrainReply } from './finetune-protocol.js';
import type { EpochReport } from './train.js';
import type { AdapterVersion, FinetuneParams, FinetuneProgress, FinetuneResult } from './types.js';

// A type alias (not an interface) so that it is a JsonValue for the job row.
export type FinetuneJobParams = { modelId: string; epochs: number; seed: number };

/** Library photos sampled for the forgetting probe and as recall distractors. */
export const PROBE_PHOTOS = 1000;

/** Everything the engine needs, from the store (and the text encoder for captions not cached yet). */
export async function gatherInput(store: Store, model: ActiveModel, signal: AbortSignal): Promise<EngineInput> {
  const pairs = store.adapterVersions.captionedPairs(model.id);
  if (pairs.length < MIN_PAIRS) {
    throw new Error(`Fine-tuning needs at least ${MIN_PAIRS} captioned photos that ${model.id} has indexed; there are ${pairs.length}. Caption more photos, or index the ones you captioned.`);
  }
  const dim = pairs[0]!.vector.length;
  // The model's own classes when its record names them (a narrow model knows no dogs), else the generic list.
  const probe = (await loadModelFolder(model.dir)).manifest?.probePrompts ?? PROBE_PROMPTS;
  const texts = await cachedTextEmbeddings(store, model, [...pairs.map((p) => p.text), ...probe], signal);
  const images = new Float32Array(pairs.length * dim);
  const captions = new Float32Array(pairs.length * dim);
  pairs.forEach((p, i) => {
    if (p.vector.length !== dim) throw new Error(`The embedding of photo ${p.photoId} has ${p.vector.length} values, expected ${dim}: re-index the library.`);
    const t = texts.get(p.text);
    if (!t || t.length !== dim) throw new Error(`The caption of photo ${p.photoId} has no ${dim}-value embedding`);
    images.set(p.vector, i * dim);
    captions.set(t, i * dim);
  });
  const prompts = new Float32Array(probe.length * dim);
  probe.forEach((p, i) => prompts.set(texts.get(p)!, i * dim));
  // The probe's photos: an even sample of the library (captioned or not: the prompts do not depend
  // on the captions); the first ones also serve as recall distractors.
  // Uncaptioned photos first: only they may serve as distractors.
  // In photo order, not storage order (indexing commits in whatever order decoding finishes), so
  // the same library gives the same sample; only the sampled photos' vectors are read.
  const ids = store.embeddings.indexedIds(model.id);
  const captioned = new Set(pairs.map((p) => p.photoId));
  const sample = Array.from(evenSample(ids.length, PROBE_PHOTOS), (k) => ids[k] as number);
  const free = sample.filter((id) => !captioned.has(id));
  const rows = [...free, ...sample.filter((id) => captioned.has(id))];
  const library = new Float32Array(rows.length * dim);
  rows.forEach((id, i) => {
    const v = store.embeddings.get(id, model.id);
    if (!v || v.length !== dim) throw new Error(`The embedding of photo ${id} has ${v?.length ?? 0} values, expected ${dim}: re-index the library.`);
    library.set(v, i * dim);
  });
  return {
    dim,
    pairs: pairs.length,
    images,
    texts: captions,
    library,
    libraryCount: rows.length,
    prompts,
    promptCount: probe.length,
    distractorRows: free.length,
    groups: captionGroups(pairs.map((p) => p.text)),
  };
}

/** Runs the engine in a worker thread; the signal terminates it. */
export async function trainInWorker(input: EngineInput, options: EngineOptions, signal: AbortSignal, onEpoch: (e: EpochReport) => void): Promise<TrainReply> {
  signal.throwIfAborted();
  const worker = startWorker(workerEntry('finetune-worker', import.meta.url), null);
  const rpc = new RpcClient<FinetuneWorkerMethods>(worker, (event, data) => {
    if (event === EPOCH_EVENT) onEpoch(data as EpochReport);
  });
  worker.on('message', (m: unknown) => rpc.receive(m));
  worker.on('error', (err) => rpc.fail(`The fine-tuning worker crashed: ${err.message}`));
  worker.on('exit', (code) => rpc.fail(signal.aborted ? 'cancelled' : `The fine-tuning worker exited unexpectedly (code ${code})`));
  const stop = (): void => {
    rpc.fail('cancelled');
    void worker.terminate();
  };
  signal.addEventListener('abort', stop, { once: true });
  try {
    return await rpc.call('train', { input, options }, trainTransferList(input));
  } finally {
    signal.removeEventListener('abort', stop);
    void worker.terminate();
  }
}

export interface FinetuneJobDeps {
  store: Store;
  model: () => Promise<ActiveModel>;
  /** Called after the version (and its activation) is committed. */
  committed: (version: AdapterVersion, activated: boolean) => void;
}

export function resolveParams(p: Partial<FinetuneParams>): FinetuneParams {
  return { epochs: p.epochs ?? FINETUNE_DEFAULTS.epochs, seed: p.seed ?? FINETUNE_DEFAULTS.seed };
}

export async function runFinetuneJob(deps: FinetuneJobDeps, params: FinetuneJobParams, ctx: JobContext<FinetuneProgress>): Promise<FinetuneResult> {
  const model = await deps.model();
  if (model.id !== params.modelId) throw new Error(`The active model changed from ${params.modelId} to ${model.id} before training started; start it again.`);
  ctx.progress({ done: 0, total: params.epochs, currentFile: 'reading captions' });
  const input = await gatherInput(deps.store, model, ctx.signal);
  const options: EngineOptions = { ...FINETUNE_DEFAULTS, epochs: params.epochs, seed: params.seed };
  const reply = await trainInWorker(input, options, ctx.signal, (e) =>
    ctx.progress({ done: e.epoch, total: e.epochs, epoch: e.epoch, loss: e.loss, currentFile: `epoch ${e.epoch} of ${e.epochs}` }),
  );
  ctx.signal.throwIfAborted();
  const finetuneParams: FinetuneParams = { epochs: params.epochs, seed: params.seed };
  const createdAt = Date.now();
  const { store } = deps;
  const id = store.adapterVersions.transaction(() => {
    const versionId = store.adapterVersions.insert({
      modelId: model.id,
      createdAt,
      accepted: reply.accepted,
      reason: reply.reason,
      params: finetuneParams,
      figures: reply.figures,
      dim: input.dim,
      weights: reply.weights,
    });
    if (reply.accepted) setActiveVersion(store.settings, model.id, versionId);
    return versionId;
  });
  const version: AdapterVersion = { id, modelId: model.id, createdAt, accepted: reply.accepted, reason: reply.reason, params: finetuneParams, figures: reply.figures };
  deps.committed(version, reply.accepted);
  return { version, activated: reply.accepted };
}
