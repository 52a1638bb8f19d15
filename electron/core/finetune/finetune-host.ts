// Fine-tuning for the active model: the job that trains and evaluates an adapter pair on the
// captioned photos' stored embeddings, the versions it made, and which one is active per model
// (a setting per model, so switching models deactivates it and switching back restores it).
// Search asks the host for a model's adapter whenever its index loads (search-host.ts useAdapters);
// the host tells it when a version is activated, used or rolled back.
//
// Defaults (engine.ts FINETUNE_DEFAULTS; the evidence is in docs/FINETUNING.md): the captions'
// side is adapted and photos keep their vectors; about 40 Adam steps (defaultEpochs: 5..30
// epochs), batch 128, lr 1e-3, L2 0.1 toward the identity, mix grid 0..1 by 0.1, forgetting bound
// 2 points, 20 % held out (≥ 4), at least 10 usable captioned photos.
import type { JobRunner } from '../jobs/runner.js';
import type { ModelHost } from '../models/model-host.js';
import { identityAdapter, type EmbeddingAdapter } from '../search/adapter.js';
import type { SearchHost } from '../search/search-host.js';
import type { AdapterVersionRow } from '../store/adapter-versions.js';
import type { Store } from '../store/index.js';
import { activeVersion, rollbackVersion, setActiveVersion } from './activation.js';
import { AdapterPair } from './adapter-pair.js';
import { defaultEpochs, FINETUNE_DEFAULTS, MIN_PAIRS } from './engine.js';
import { PROBE_PHOTOS, resolveParams, runFinetuneJob } from './finetune-job.js';
import type { AdapterVersion, FinetuneFigures, FinetuneParams } from './types.js';

/** A request the person made that cannot be done as asked (too few captions, a refused version …); the message says why. */
export class FinetuneRefusal extends Error {
  constructor(
    readonly code: 'conflict' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'FinetuneRefusal';
  }
}

export interface FinetuneDeps {
  store: Store;
  models: ModelHost;
  search: SearchHost;
  jobs: JobRunner;
}

export interface FinetuneStatus {
  modelId: string;
  /** Photos with a caption. */
  captioned: number;
  /** Captioned photos the active model has embedded (what training can use). */
  usable: number;
  /** The fewest usable captioned photos a job needs. */
  minimum: number;
  /** Rough time a job would take on this machine, seconds. */
  estimateSeconds: number;
  /** The active version for the active model, or null. */
  activeVersion: number | null;
}

/** Multiply-adds per second the training kernels reach on one core of the build machine (measured ~0.9 G). */
const MACS_PER_SECOND = 0.8e9;

/** Seconds a run over `pairs` captioned photos of `dim` dimensions takes, roughly (training + evaluation). */
export function estimateSeconds(pairs: number, dim: number, epochs = FINETUNE_DEFAULTS.epochs): number {
  const train = Math.round(pairs * (1 - FINETUNE_DEFAULTS.heldOutFraction));
  const batch = Math.min(FINETUNE_DEFAULTS.batchSize, Math.max(2, train));
  const perEpoch = train * (4 * dim * dim + 3 * batch * dim);
  const held = pairs * FINETUNE_DEFAULTS.heldOutFraction;
  const evaluation = (held + PROBE_PHOTOS) * dim * dim * 2 + 4 * held * (held + FINETUNE_DEFAULTS.distractors) * dim;
  return Math.max(1, Math.round(((epochs * perEpoch + evaluation) / MACS_PER_SECOND) * 10) / 10);
}

export class FinetuneHost {
  private readonly pairs = new Map<number, AdapterPair>();

  constructor(private readonly deps: FinetuneDeps) {
    // Search asks for a model's adapter when it loads (at the first search, after a switch or a
    // restart), so nothing is read at start-up.
    deps.search.useAdapters((modelId) => this.adapterFor(modelId));
  }

  async status(): Promise<FinetuneStatus> {
    const model = await this.deps.models.active();
    const usable = this.deps.store.adapterVersions.countUsable(model.id);
    return {
      modelId: model.id,
      captioned: this.deps.store.adapterVersions.countCaptioned(),
      usable,
      minimum: MIN_PAIRS,
      estimateSeconds: estimateSeconds(Math.max(usable, MIN_PAIRS), model.client.info().embedDim, defaultEpochs(Math.max(usable, MIN_PAIRS))),
      activeVersion: activeVersion(this.deps.store.settings, model.id),
    };
  }

  /** Starts a training job; returns its id. Throws (with a message for the person) when there are too few captions. */
  async start(params: Partial<FinetuneParams>): Promise<number> {
    const modelId = (await this.deps.models.active()).id;
    const usable = this.deps.store.adapterVersions.countUsable(modelId);
    if (usable < MIN_PAIRS) {
      throw new FinetuneRefusal('conflict', `Fine-tuning needs at least ${MIN_PAIRS} captioned photos that ${modelId} has indexed; there are ${usable}. Caption more photos first.`);
    }
    const { epochs, seed } = resolveParams({ epochs: defaultEpochs(usable), ...params });
    const handle = this.deps.jobs.start('finetune', { modelId, epochs, seed }, (ctx) =>
      runFinetuneJob(
        {
          store: this.deps.store,
          model: () => this.deps.models.active(),
          committed: (version, activated) => {
            if (activated) this.deps.search.refreshAdapter();
          },
        },
        { modelId, epochs, seed },
        ctx,
      ),
    );
    return handle.id;
  }

  /** Every version, newest first, each with whether it is the active one for its model. */
  list(): (AdapterVersion & { active: boolean })[] {
    const active = new Map<string, number | null>();
    return this.deps.store.adapterVersions.list().map((row) => {
      if (!active.has(row.modelId)) active.set(row.modelId, activeVersion(this.deps.store.settings, row.modelId));
      return { ...toVersion(row), active: active.get(row.modelId) === row.id };
    });
  }

  /** Makes a version active for its model (null: none for the active model); refused versions and other models' versions are refused with a message. */
  async use(versionId: number | null): Promise<void> {
    const model = await this.deps.models.active();
    if (versionId !== null) {
      const row = this.deps.store.adapterVersions.get(versionId);
      if (!row) throw new FinetuneRefusal('not-found', `There is no adapter version ${versionId}: see shoebox finetune list.`);
      if (!row.accepted) throw new FinetuneRefusal('conflict', `Version ${versionId} was refused when it was trained (${row.reason ?? 'it did not evaluate better'}), so it cannot be made active.`);
      if (row.modelId !== model.id) throw new FinetuneRefusal('conflict', `Version ${versionId} was trained for ${row.modelId}, but ${model.id} is active: switch to ${row.modelId} first.`);
      this.pairFor(versionId); // load and check the weights before the setting changes
    }
    setActiveVersion(this.deps.store.settings, model.id, versionId);
    this.deps.search.refreshAdapter();
  }

  /** Back to the version that was active before the current one (or none). */
  async rollback(): Promise<{ from: number | null; to: number | null }> {
    const model = await this.deps.models.active();
    const r = this.deps.store.adapterVersions.transaction(() => rollbackVersion(this.deps.store.settings, model.id));
    this.deps.search.refreshAdapter();
    return r;
  }

  /** The adapter search should use for a model now: its active version's pair, or the identity. */
  adapterFor(modelId: string): EmbeddingAdapter {
    const id = activeVersion(this.deps.store.settings, modelId);
    return id === null ? identityAdapter : this.pairFor(id);
  }

  private pairFor(versionId: number): AdapterPair {
    let pair = this.pairs.get(versionId);
    if (!pair) {
      const w = this.deps.store.adapterVersions.weights(versionId);
      if (!w) throw new Error(`Adapter version ${versionId} is active but missing from the library; use another version or none.`);
      pair = new AdapterPair(versionId, w.dim, w.weights);
      this.pairs.set(versionId, pair);
    }
    return pair;
  }
}

function toVersion(row: AdapterVersionRow): AdapterVersion {
  return {
    id: row.id,
    modelId: row.modelId,
    createdAt: row.createdAt,
    accepted: row.accepted,
    reason: row.reason,
    params: row.params as FinetuneParams,
    figures: row.figures as FinetuneFigures,
  };
}
