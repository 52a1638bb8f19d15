// Making an int8 copy of an installed fp32 model, as a background job (kind 'model-quantize'):
// "faster, slightly less exact". Both towers go through the dynamic quantiser (onnx/quantize.ts)
// in a worker thread (decoding a ViT-B/32 tower takes seconds of CPU, which must not stall the
// API), the other files are copied, the copy is timed beside its original (models/measure.ts), and
// it is installed as a new model `<id>-int8` in one rename. Everything happens in a staging folder:
// the original is only read, and a failure, a cancel or a crash installs nothing.
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { loadModelFolder, type ModelFolder } from '../clip/model-folder.js';
import { describeFiles, RECORD_FILE, writeModelRecord } from '../clip/model-record.js';
import { readJsonFile } from '../clip/json-file.js';
import type { JobProgress } from '../jobs/kinds.js';
import type { JobContext, JobRunner } from '../jobs/runner.js';
import type { QuantizeReport } from '../onnx/quantize.js';
import type { SettingsRepo } from '../store/settings.js';
import { RpcClient } from '../workers/rpc.js';
import { startWorker, workerEntry } from '../workers/start-worker.js';
import { installStaged, stagingFolder, type RecordFields } from './import.js';
import { folderBytes } from './installed.js';
import { forgetSpeed, measureModel, storedSpeed, type ModelSpeed } from './measure.js';
import type { ModelHost } from './model-host.js';

export type QuantizeParams = { modelId: string };

export const QUANTIZE_STEPS = ['image tower', 'text tower', 'other files', 'speed'] as const;
export type QuantizeStep = (typeof QUANTIZE_STEPS)[number];

/** done/total count the steps above. */
export interface QuantizeProgress extends JobProgress {
  step?: QuantizeStep;
}

/** What the quantiser did to one tower. */
export interface TowerReport {
  /** The tower's file, relative to the model folder. */
  file: string;
  weightFormat: string;
  quantized: { MatMul: number; Gemm: number };
  /** MatMul/Gemm nodes left in float (small or unusual weights). */
  skipped: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface QuantizeResult {
  id: string;
  displayName: string;
  dir: string;
  sourceId: string;
  towers: { visual: TowerReport; textual: TowerReport };
  /** Both model folders on disk, every file. */
  bytesBefore: number;
  bytesAfter: number;
  speed: ModelSpeed;
  /** The original's speed: the stored figure, or measured by this job when there was none. */
  sourceSpeed: ModelSpeed;
}

/** The quantiser worker's one method (electron/workers/quantize-worker.ts). */
export type QuantizerMethods = {
  quantize: { params: { source: string; destination: string }; result: QuantizeReport };
};

/** The record field that marks an int8 copy, beside the usual ones (manifest.json is open to more fields). */
const CopyMark = z.looseObject({ quantization: z.object({ from: z.string(), weightFormat: z.string() }).optional() });

export function int8IdOf(id: string): string {
  return `${id}-int8`;
}

/** The id a model folder was quantised from, when it is an int8 copy made by Shoebox. */
export async function int8SourceOf(dir: string): Promise<string | null> {
  const record = await readJsonFile(path.join(dir, RECORD_FILE), CopyMark, 'model record', true).catch(() => null);
  return record?.quantization?.from ?? null;
}

/** Why no int8 copy can be made of this model (whatever else runs), or null when it can. */
export async function int8Refusal(models: ModelHost, model: { id: string; displayName: string; dir: string; variant: string }): Promise<string | null> {
  const from = await int8SourceOf(model.dir);
  if (from !== null) return `${model.displayName} is already an int8 copy (of ${from}): quantising it again would only add error. Make the copy from ${from} instead.`;
  if (model.variant !== '') {
    return `${model.displayName} loads its "${model.variant}" weights, not the plain fp32 export: Shoebox makes int8 copies of fp32 models only.`;
  }
  const copy = int8IdOf(model.id);
  if (models.folderOf(copy)) return `${model.displayName} already has an int8 copy, ${copy}: remove it first to make it again.`;
  return null;
}

export interface QuantizeDeps {
  jobs: JobRunner;
  models: ModelHost;
  settings: SettingsRepo;
  installedDir: string;
}

/** Starts making the int8 copy of an installed or bundled model (checked by the caller); returns its job id. */
export function startQuantizeJob(deps: QuantizeDeps, modelId: string): number {
  return deps.jobs.start('model-quantize', { modelId }, (ctx) => makeInt8Copy(deps, modelId, ctx)).id;
}

/** One worker for the job's towers; a cancel terminates it in the middle of a tower. */
function startQuantizer(signal: AbortSignal): { quantize(source: string, destination: string): Promise<QuantizeReport>; stop(): Promise<void> } {
  const worker = startWorker(workerEntry('quantize-worker', import.meta.url), null);
  const rpc = new RpcClient<QuantizerMethods>(worker);
  worker.on('message', (m: unknown) => rpc.receive(m));
  worker.on('error', (err) => rpc.fail(`The quantiser crashed: ${err.message}`));
  worker.on('exit', (code) => rpc.fail(signal.aborted ? 'cancelled' : `The quantiser stopped unexpectedly (code ${code})`));
  const stop = (): void => {
    rpc.fail('cancelled');
    void worker.terminate();
  };
  signal.addEventListener('abort', stop, { once: true });
  return {
    quantize: (source, destination) => rpc.call('quantize', { source, destination }),
    // Awaited before the staging folder is removed: a write still in flight must not race the delete.
    stop: async () => {
      signal.removeEventListener('abort', stop);
      await worker.terminate();
    },
  };
}

/** Quantises both towers into `staging`, under the same relative paths (either layout). */
async function quantizeTowers(folder: ModelFolder, staging: string, ctx: JobContext<QuantizeProgress>): Promise<QuantizeResult['towers']> {
  const quantizer = startQuantizer(ctx.signal);
  try {
    const reports: TowerReport[] = [];
    for (const [i, source] of [folder.files.visualModel, folder.files.textualModel].entries()) {
      ctx.signal.throwIfAborted();
      const file = path.relative(folder.dir, source).split(path.sep).join('/');
      ctx.progress({ done: i, total: QUANTIZE_STEPS.length, currentFile: file, step: QUANTIZE_STEPS[i] });
      const destination = path.join(staging, file);
      await mkdir(path.dirname(destination), { recursive: true });
      const r = await quantizer.quantize(source, destination);
      reports.push({ file, weightFormat: r.weightFormat, quantized: r.quantized, skipped: r.skipped.length, bytesBefore: r.bytesBefore, bytesAfter: r.bytesAfter });
    }
    return { visual: reports[0]!, textual: reports[1]! };
  } finally {
    await quantizer.stop();
  }
}

/** Every file but the record and ONNX weights (the towers, other variants, external data): configs, tokenizer, preprocessing. */
async function copyOtherFiles(from: string, to: string): Promise<void> {
  const onnx = /\.onnx(_data(_\d+)?|\.data)?$/;
  await cp(from, to, {
    recursive: true,
    dereference: true,
    // The quantised towers are already there: never overwrite them.
    force: false,
    filter: (src) => {
      const rel = path.relative(from, src);
      return rel !== RECORD_FILE && !onnx.test(rel);
    },
  });
}

async function makeInt8Copy(deps: QuantizeDeps, sourceId: string, ctx: JobContext<QuantizeProgress>): Promise<QuantizeResult> {
  const sourceDir = deps.models.folderOf(sourceId);
  if (!sourceDir) throw new Error(`No installed model has the id ${sourceId} any more.`);
  const folder = await loadModelFolder(sourceDir);
  // Checked again here: the job may have waited behind another while the list changed.
  const refusal = await int8Refusal(deps.models, { id: folder.id, displayName: folder.displayName, dir: folder.dir, variant: folder.variant });
  if (refusal) throw new Error(refusal);
  const id = int8IdOf(folder.id);
  const staging = await stagingFolder(deps.installedDir, id);
  let installed = false;
  try {
    // The towers first: a model Shoebox cannot quantise (external data, already quantised) is refused before anything is copied.
    const towers = await quantizeTowers(folder, staging, ctx);
    ctx.signal.throwIfAborted();
    ctx.progress({ done: 2, total: QUANTIZE_STEPS.length, currentFile: null, step: 'other files' });
    await copyOtherFiles(folder.dir, staging);
    const files = await describeFiles(staging);
    // A plain object (not a literal at the call) so the record keeps fields RecordFields does not name.
    const fields: RecordFields & { quantization: { from: string; weightFormat: string }; probePrompts?: string[] } = {
      id,
      displayName: `${folder.displayName} (int8)`,
      source: `int8 copy of ${folder.id}, made by Shoebox (dynamic quantisation of MatMul/Gemm weights)`,
      license: folder.manifest?.license ?? 'unknown (see the original model’s documentation)',
      ...(folder.manifest?.revision ? { revision: folder.manifest.revision } : {}),
      quantization: { from: folder.id, weightFormat: towers.visual.weightFormat },
      // The fine-tuning probe's prompts suit the copy as they suit the original.
      ...(folder.manifest?.probePrompts ? { probePrompts: folder.manifest.probePrompts } : {}),
    };
    // Timed before it is installed (the record names it), so a cancel while timing installs nothing.
    await writeModelRecord(staging, { ...fields, files });
    ctx.signal.throwIfAborted();
    ctx.progress({ done: 3, total: QUANTIZE_STEPS.length, currentFile: null, step: 'speed' });
    const sourceSpeed = storedSpeed(deps.settings, folder.id) ?? (await measureModel(deps.models, deps.settings, folder.dir));
    const speed = await measureModel(deps.models, deps.settings, staging);
    ctx.signal.throwIfAborted();
    const dir = await installStaged(staging, deps.installedDir, fields, files);
    installed = true;
    ctx.progress({ done: QUANTIZE_STEPS.length, total: QUANTIZE_STEPS.length, currentFile: null });
    return {
      id,
      displayName: fields.displayName,
      dir,
      sourceId: folder.id,
      towers,
      bytesBefore: await folderBytes(folder.dir),
      bytesAfter: await folderBytes(dir),
      speed: figures(speed),
      sourceSpeed: figures(sourceSpeed),
    };
  } finally {
    // The copy's figure goes with it when it is not installed.
    if (!installed) forgetSpeed(deps.settings, id);
    await rm(staging, { recursive: true, force: true });
  }
}

/** The figures alone (measureModel adds the model's id). */
function figures(s: ModelSpeed): ModelSpeed {
  return { imagesPerSecond: s.imagesPerSecond, textsPerSecond: s.textsPerSecond, provider: s.provider, batch: s.batch, measuredAt: s.measuredAt };
}
