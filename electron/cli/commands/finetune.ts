// The finetune command: train an adapter on the captioned photos (a job with a progress bar that
// shows the loss; it becomes active only if held-out recall improves without forgetting too
// much), the versions with their figures, and switching between them or back.
import { callApi, type ApiOutput } from '../../core/api/table.js';
import type { FinetuneResult } from '../../core/finetune/types.js';
import { EXIT_OK, UsageError, defineCommand, wholeNumber } from '../command.js';
import { printResult } from '../format.js';
import { waitForJob } from './indexing.js';

const USAGE = 'finetune [--epochs N] | finetune list | finetune use <version|none> | finetune rollback';

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

function printOutcome(r: FinetuneResult): void {
  const { figures: f } = r.version;
  console.log(`Version ${r.version.id}: trained on ${f.trainPairs} captioned photos in ${f.seconds.toFixed(1)} s, evaluated on ${f.heldOutPairs} held out.`);
  console.log(`  caption → photo recall@1  ${pct(f.before.at1)} → ${pct(f.after.at1)}`);
  console.log(`  caption → photo recall@5  ${pct(f.before.at5)} → ${pct(f.after.at5)}`);
  console.log(`  forgetting (generic prompts' zero-shot agreement lost): ${f.forgetting.toFixed(1)} points; mix ${f.mix.toFixed(2)}`);
  console.log(r.activated ? `Active now: search and sorting use version ${r.version.id}. Undo with: shoebox finetune rollback` : `Not activated: ${r.version.reason ?? 'it did not evaluate better'}. Nothing changed.`);
}

function printVersions(list: ApiOutput<'finetune.list'>): void {
  if (list.length === 0) {
    console.log('No versions yet. Caption some photos (shoebox caption <photo> <text>), then run: shoebox finetune');
    return;
  }
  for (const v of list) {
    const f = v.figures;
    const state = v.active ? 'active' : v.accepted ? 'accepted' : `refused: ${v.reason ?? ''}`;
    console.log(
      `${v.active ? '*' : ' '} ${String(v.id).padStart(3)}  ${v.modelId}  ${new Date(v.createdAt).toISOString().slice(0, 16).replace('T', ' ')}  ` +
        `R@1 ${pct(f.before.at1)} → ${pct(f.after.at1)}, forgetting ${f.forgetting.toFixed(1)}  (${state})`,
    );
  }
}

export const finetuneCommand = defineCommand({
  name: 'finetune',
  args: '[list | use <version|none> | rollback]',
  summary: 'teach the model your captions (trains in seconds, activates only if it helps); versions, use, rollback',
  options: {
    epochs: { type: 'string', placeholder: '<n>', help: 'finetune: passes over the captioned photos (default: chosen by Shoebox)' },
  },
  async run({ args, options, json, open }) {
    const [action, value, ...extra] = args;
    if (extra.length > 0) throw new UsageError(USAGE);
    if (action !== undefined && options.epochs !== undefined) throw new UsageError('--epochs goes with finetune itself (the training)');
    switch (action) {
      case undefined: {
        const epochs = options.epochs === undefined ? undefined : wholeNumber('--epochs', options.epochs, 1, 500);
        const core = await open();
        const { jobId } = await callApi(core, 'finetune.start', epochs === undefined ? {} : { epochs });
        const done = await waitForJob(core, jobId, json, { label: 'Training', unit: 'epochs' });
        if (done.kind !== 'finetune') throw new Error(`Job ${jobId} is a ${done.kind} job, not fine-tuning.`);
        printResult(json, done.value, printOutcome);
        return EXIT_OK;
      }
      case 'list':
        if (value !== undefined) throw new UsageError(USAGE);
        printResult(json, await callApi(await open(), 'finetune.list', {}), printVersions);
        return EXIT_OK;
      case 'use': {
        if (value === undefined) throw new UsageError('finetune use takes a version number (see shoebox finetune list), or "none"');
        const version = value === 'none' ? null : wholeNumber('version', value, 1, Number.MAX_SAFE_INTEGER);
        const r = await callApi(await open(), 'finetune.use', { version });
        printResult(json, r, () => console.log(version === null ? 'No adapter is active: search and sorting use the model as it is.' : `Version ${version} is active.`));
        return EXIT_OK;
      }
      case 'rollback': {
        if (value !== undefined) throw new UsageError(USAGE);
        const r = await callApi(await open(), 'finetune.rollback', {});
        printResult(json, r, () => console.log(`Rolled back from ${r.from === null ? 'none' : `version ${r.from}`} to ${r.to === null ? 'none (the model as it is)' : `version ${r.to}`}.`));
        return EXIT_OK;
      }
      default:
        throw new UsageError(USAGE);
    }
  },
});
