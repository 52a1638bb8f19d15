// Fine-tuning as the interface knows it: how many photos are captioned and what a job would take
// (finetune.status), the training job (kind 'finetune') with its loss per epoch gathered from the
// job events for the live curve, the job's outcome (the version it made, whether it became active,
// through jobs.wait), the versions with their figures, and which one is active (use, rollback).
// A change of the active version changes search and sorting at once: `onActiveChanged` runs then.
import type { ApiOutput, ShoeboxClient } from '../api/client.js';
import { listenForKey } from '../util/global-keys.js';
import { isLive, type JobOf, type JobsState } from './jobs.svelte.js';
import { errorMessage } from '../../../../electron/common/error-message.js';

export type FinetuneStatus = ApiOutput<'finetune.status'>;
export type AdapterVersion = ApiOutput<'finetune.list'>[number];
export type FinetuneJob = JobOf<'finetune'>;
type Finished = ApiOutput<'jobs.wait'>;
export type FinetuneResult = Extract<Finished, { kind: 'finetune'; state: 'done' }>['value'];

/** One point of the loss curve: an epoch (from 1) and its mean training loss. */
export interface LossPoint {
  epoch: number;
  loss: number;
}

/** A version's losses as points of the curve. */
export function lossPoints(version: Pick<AdapterVersion, 'figures'>): LossPoint[] {
  return version.figures.loss.map((loss, i) => ({ epoch: i + 1, loss }));
}

export class FinetuneState {
  status = $state.raw<FinetuneStatus | null>(null);
  versions = $state.raw<readonly AdapterVersion[]>([]);
  /** Why the status or the versions could not be read. */
  loadError = $state<string | null>(null);
  starting = $state(false);
  /** Why the job could not start (too few captions, a job running), next to Start. */
  startError = $state<string | null>(null);
  /** A use or rollback in flight. */
  changing = $state(false);
  /** Why a use or rollback was refused, next to the versions. */
  actionError = $state<string | null>(null);
  /** What the last action did, for a screen reader (and the eye). */
  announcement = $state('');
  /** The curve of the job shown: its epochs so far, from the job events, then from its version. */
  curve = $state.raw<readonly LossPoint[]>([]);
  /** The outcome of the job shown, once it is done. */
  result = $state.raw<FinetuneResult | null>(null);
  /** The version whose figures are shown; null: the newest. */
  shownId = $state<number | null>(null);

  readonly job: FinetuneJob | null;
  readonly training: boolean;
  /** The job the curve belongs to. */
  #curveJob: number | null = null;
  #opened = false;

  constructor(
    private readonly client: ShoeboxClient,
    private readonly jobs: JobsState,
    /** Runs after the active version changed (the search shown is run again). */
    private readonly onActiveChanged: () => void,
  ) {
    this.job = $derived(jobs.byKind('finetune'));
    this.training = $derived(isLive(this.job));
  }

  readonly active: AdapterVersion | null = $derived(this.versions.find((v) => v.active) ?? null);
  /** The version the figures are about: the one chosen, else the newest. */
  readonly shown: AdapterVersion | null = $derived(this.versions.find((v) => v.id === this.shownId) ?? this.versions[0] ?? null);
  /** Enough captioned photos for a job. */
  readonly ready = $derived(this.status !== null && this.status.usable >= this.status.minimum);

  /** The panel opened: read the status and the versions. */
  async open(): Promise<void> {
    this.#opened = true;
    await this.refresh();
  }

  close(): void {
    this.#opened = false;
  }

  async refresh(): Promise<void> {
    try {
      const [status, versions] = await Promise.all([this.client.call('finetune.status', {}), this.client.call('finetune.list', {})]);
      this.status = status;
      this.versions = versions;
      this.loadError = null;
    } catch (err) {
      this.loadError = errorMessage(err);
    }
    // A job that was running when the page opened: its curve so far is not known, its epochs are.
    if (this.job && this.#curveJob === null) this.#curveJob = this.job.jobId;
  }

  /** Follows the training job (and model switches, which change what is active); returns the unsubscribe function. */
  listen(): () => void {
    const stops = [
      this.jobs.on('finetune', (event) => {
        this.#follow(event);
        if (!isLive(event)) void this.#ended(event);
      }),
      this.jobs.on('model-switch', (event) => {
        if (event.state === 'done' && this.#opened) void this.refresh();
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** Starts training on the captioned photos; the job's events draw the curve. */
  async start(): Promise<void> {
    this.starting = true;
    this.startError = null;
    this.actionError = null;
    this.announcement = '';
    try {
      const { jobId } = await this.client.call('finetune.start', {});
      if (this.#curveJob !== jobId) this.#newCurve(jobId);
    } catch (err) {
      this.startError = errorMessage(err);
    } finally {
      this.starting = false;
    }
  }

  cancel(jobId: number): Promise<void> {
    return this.jobs.cancel(jobId);
  }

  /** Forgets a finished job's outcome (its card). */
  dismiss(): void {
    if (this.job && !isLive(this.job)) this.jobs.dismiss('finetune');
    this.result = null;
  }

  /** Makes `version` active (null: the model as it came, no version). */
  async use(version: AdapterVersion | null): Promise<void> {
    await this.#change(async () => {
      await this.client.call('finetune.use', { version: version?.id ?? null });
      return version ? `Version ${version.id} is active: search and sorting use it.` : 'No version is active: search and sorting use the model as it came.';
    });
  }

  /** Goes back to the version that was active before the current one (or to none). */
  async rollback(): Promise<void> {
    await this.#change(async () => {
      const r = await this.client.call('finetune.rollback', {});
      return r.to === null ? 'Rolled back: no version is active, search and sorting use the model as it came.' : `Rolled back to version ${r.to}.`;
    });
  }

  /** Shows a version's figures and its loss curve. */
  show(version: AdapterVersion): void {
    this.shownId = version.id;
    if (!this.training) this.curve = lossPoints(version);
  }

  async #change(call: () => Promise<string>): Promise<void> {
    this.changing = true;
    this.actionError = null;
    try {
      this.announcement = await call();
      this.onActiveChanged();
    } catch (err) {
      this.actionError = errorMessage(err);
    } finally {
      this.changing = false;
    }
    await this.refresh();
  }

  #newCurve(jobId: number): void {
    this.#curveJob = jobId;
    this.curve = [];
    this.result = null;
    this.shownId = null;
  }

  /** Adds the event's epoch to the curve of its job (a new job starts a new curve). */
  #follow(event: FinetuneJob): void {
    if (event.jobId !== this.#curveJob) this.#newCurve(event.jobId);
    const loss = event.loss;
    if (loss === undefined || !Number.isFinite(loss)) return;
    const epoch = event.epoch ?? (this.curve.at(-1)?.epoch ?? 0) + 1;
    this.curve = [...this.curve.filter((p) => p.epoch !== epoch), { epoch, loss }].sort((a, b) => a.epoch - b.epoch);
  }

  async #ended(event: FinetuneJob): Promise<void> {
    try {
      const r = await this.client.call('jobs.wait', { jobId: event.jobId });
      if (r.kind === 'finetune' && r.state === 'done') {
        this.result = r.value;
        this.shownId = r.value.version.id;
        this.curve = lossPoints(r.value.version);
        if (r.value.activated) this.onActiveChanged();
      }
    } catch {
      // A job of another session (the CLI) has no outcome here; its event still shows how it ended.
    }
    await this.refresh();
  }
}

/** "F" anywhere (unless keys go to a field or a dialog or menu is open: lib/util/global-keys.ts) opens the fine-tuning panel; returns the function that stops listening. */
export function listenForFinetuneShortcut(open: () => void): () => void {
  return listenForKey(['f', 'F'], open);
}
