// The models command: what is installed and offered, and downloading, importing, switching to,
// removing, timing a model and making its int8 copy. Downloads, switches and int8 copies are jobs
// with a progress bar (Ctrl-C cancels; a download or a copy never leaves a half-installed model,
// a switch leaves the active model as it was).
import { callApi, type ApiOutput } from '../../core/api/table.js';
import type { Shoebox } from '../../core/shoebox.js';
import { EXIT_OK, UsageError, defineCommand } from '../command.js';
import { formatBytes } from '../../common/format-bytes.js';
import type { ModelSpeed } from '../../core/models/measure.js';
import type { QuantizeResult } from '../../core/models/quantize-job.js';
import { printResult } from '../format.js';
import { waitForJob } from './indexing.js';

const ARGS = '[download <repo-id> | import <folder> | use <id> | remove <id> | measure <id> | quantize <id>]';
const USAGE = `models ${ARGS}`;

function printModels(r: ApiOutput<'models.list'>): void {
  const active = r.overrideDir ?? r.activeId;
  console.log('Installed:');
  for (const m of r.installed) {
    const mark = m.id === r.activeId && !r.overrideDir ? '*' : ' ';
    const variant = m.variant ? `, ${m.variant}` : m.int8Of ? `, int8 copy of ${m.int8Of}` : '';
    const speed = m.speed ? `, ${m.speed.imagesPerSecond.toFixed(1)} photos/s on ${m.speed.provider} (measured)` : '';
    console.log(`${mark} ${m.id.padEnd(44)} ${m.displayName} (${m.embedDim}-d, ${m.layout}${variant}, ${formatBytes(m.bytes)}${m.bundled ? ', bundled' : ''}), ${m.embedded} photos embedded${speed}`);
  }
  for (const b of r.broken) console.log(`  ✗ ${b.dir}: ${b.error}`);
  console.log(`Active: ${active}${r.overrideDir ? ' (--model)' : ''}`);
  console.log('\nDownloadable (shoebox models download <repo-id>):');
  for (const e of r.catalogue) {
    const size = e.approxBytes === null ? 'size listed when downloading' : `~${formatBytes(e.approxBytes)}`;
    const quality = e.immich ? `recall ${e.immich.recallEnglish} %, ${e.immich.msPerImage} ms/photo` : 'no published figures';
    const variants = e.variants.length > 0 ? `; also ${e.variants.join(', ')}` : '';
    console.log(`${e.installed ? '✓' : ' '} ${e.repo.padEnd(56)} ${e.embedDim}-d, ${e.languages}, ${e.license}, ${size}, ${quality}${variants}`);
  }
  console.log(`\nQuality and speed: Immich's published figures (${r.figuresSource}).`);
}

const photosPerSecond = (s: ModelSpeed): string => `${s.imagesPerSecond.toFixed(1)} photos/s`;

function printInt8Copy(r: QuantizeResult): void {
  const ratio = r.speed.imagesPerSecond / r.sourceSpeed.imagesPerSecond;
  console.log(`Installed ${r.id} (${r.displayName}) in ${r.dir}.`);
  console.log(`On disk: ${formatBytes(r.bytesBefore)} → ${formatBytes(r.bytesAfter)}.`);
  console.log(`Speed here (${r.speed.provider}): ${r.sourceId} ${photosPerSecond(r.sourceSpeed)}, ${r.id} ${photosPerSecond(r.speed)} (${ratio.toFixed(2)}×).`);
  console.log(`Switch to it with: shoebox models use ${r.id}`);
}

async function switchTo(core: Shoebox, id: string, json: boolean): Promise<unknown> {
  const { jobId } = await callApi(core, 'models.use', { id });
  const result = await waitForJob(core, jobId, json, { label: `Embedding with ${id}`, unit: 'photos' });
  if (result.kind !== 'model-switch') throw new Error(`Job ${jobId} is a ${result.kind} job, not a model switch.`);
  return result.value;
}

export const modelsCommand = defineCommand({
  name: 'models',
  args: ARGS,
  summary: 'installed and downloadable models; download, import, switch to (re-embeds the library), remove, time one or make its faster int8 copy',
  options: {
    revision: { type: 'string', placeholder: '<rev>', help: 'models download: the branch, tag or commit (default main)' },
    variant: { type: 'string', placeholder: '<name>', help: 'models download: a weight variant the repository offers, e.g. "quantized"' },
  },
  async run({ args, options, json, open }) {
    const [action, value, ...extra] = args;
    if (extra.length > 0 || (action !== undefined && value === undefined)) throw new UsageError(USAGE);
    if (action !== 'download' && (options.revision !== undefined || options.variant !== undefined)) {
      throw new UsageError('--revision and --variant go with models download');
    }
    const core = await open();
    switch (action) {
      case undefined:
        printResult(json, await callApi(core, 'models.list', {}), printModels);
        return EXIT_OK;
      case 'download': {
        const { jobId } = await callApi(core, 'models.download', {
          repo: value!,
          ...(options.revision ? { revision: options.revision } : {}),
          ...(options.variant ? { variant: options.variant } : {}),
        });
        const result = await waitForJob(core, jobId, json, {
          label: 'Downloading',
          unit: 'MB',
          // A download's done/total count bytes: shown in MB.
          view: (e) =>
            e.total ? { done: Math.round(e.done / 1e6), total: Math.round(e.total / 1e6), rate: (e.rate ?? 0) / 1e6, etaSeconds: e.etaSeconds, currentFile: e.currentFile } : null,
        });
        if (result.kind !== 'model-download') throw new Error(`Job ${jobId} is a ${result.kind} job, not a download.`);
        printResult(json, result.value, (r) => console.log(`Installed ${r.id} (${formatBytes(r.bytes)}, revision ${r.revision}) in ${r.dir}.\nSwitch to it with: shoebox models use ${r.id}`));
        return EXIT_OK;
      }
      case 'import': {
        const r = await callApi(core, 'models.import', { path: value! });
        printResult(json, r, () => console.log(`Imported as ${r.id} into ${r.dir}.\nSwitch to it with: shoebox models use ${r.id}`));
        return EXIT_OK;
      }
      case 'use': {
        const r = await switchTo(core, value!, json);
        printResult(json, r, () => console.log(`${value} is now the active model.`));
        return EXIT_OK;
      }
      case 'remove': {
        const r = await callApi(core, 'models.remove', { id: value! });
        printResult(json, r, () => console.log(`Removed ${r.removed}: ${formatBytes(r.bytesFreed)} and ${r.embeddingsDeleted} embeddings freed.`));
        return EXIT_OK;
      }
      case 'quantize': {
        const { jobId } = await callApi(core, 'models.quantize', { id: value! });
        const result = await waitForJob(core, jobId, json, {
          label: `Making an int8 copy of ${value}`,
          unit: 'steps',
          view: (e) => ({ done: e.done, total: e.total ?? 4, rate: e.rate ?? 0, etaSeconds: e.etaSeconds, currentFile: 'step' in e && e.step ? e.step : e.currentFile }),
        });
        if (result.kind !== 'model-quantize') throw new Error(`Job ${jobId} is a ${result.kind} job, not an int8 copy.`);
        printResult(json, result.value, printInt8Copy);
        return EXIT_OK;
      }
      case 'measure': {
        const r = await callApi(core, 'models.measure', { id: value! });
        printResult(json, r, () =>
          console.log(`${r.id} on ${r.provider}: ${r.imagesPerSecond.toFixed(1)} photos/s (batch ${r.batch}), ${r.textsPerSecond.toFixed(1)} texts/s.`),
        );
        return EXIT_OK;
      }
      default:
        throw new UsageError(USAGE);
    }
  },
});
