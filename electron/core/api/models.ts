// Model operations: what is installed and offered, importing a folder, switching the active model
// (a background job that embeds the library first) and removing an installed model.
import { z } from 'zod';
import { MODEL_ID } from '../clip/model-record.js';
import { CATALOGUE, IMMICH_FIGURES_SOURCE, modelIdOfRepo } from '../models/catalogue.js';
import { startDownloadJob } from '../models/download-job.js';
import { importModelFolder } from '../models/import.js';
import { listModels, removeModelFolder, type InstalledModel } from '../models/installed.js';
import { forgetSpeed, measureModel, storedSpeed } from '../models/measure.js';
import { int8Refusal, int8SourceOf, startQuantizeJob } from '../models/quantize-job.js';
import { startSwitchJob } from '../models/switch-job.js';
import { bundledModelsDir } from '../paths.js';
import type { Shoebox } from '../shoebox.js';
import { ApiError, defineOperation } from './define.js';
import { errorMessage } from '../../common/error-message.js';

const modelId = z.string().regex(MODEL_ID, 'a model id: letters, digits, ".", "_" or "-"');

/** Refuses work on models while a switch is embedding: the choice is in flux. */
function refuseDuringSwitch(core: Shoebox, what: string): void {
  if (core.jobs.active().some((j) => j.kind === 'model-switch')) {
    throw new ApiError('conflict', `A model switch is running: wait for it or cancel it, then ${what}.`);
  }
}

/** An installed or bundled model by id, with its disk use; not-found otherwise. */
async function installedModel(core: Shoebox, id: string): Promise<InstalledModel> {
  const { models } = await listModels(core.paths.models, bundledModelsDir());
  const model = models.find((m) => m.id === id);
  if (!model) throw new ApiError('not-found', `No installed model has the id ${id}: see \`shoebox models\` for the installed ones.`);
  return model;
}

/** The live job making an int8 copy of the model, if any. */
function quantizing(core: Shoebox, id: string): { id: number } | undefined {
  return core.jobs.liveOf('model-quantize').find((j) => j.params.modelId === id);
}

export const modelOperations = {
  'models.list': defineOperation({
    summary: 'Installed models with their disk use, the active one, and the catalogue of downloadable models',
    input: z.object({}).strict(),
    async run(core) {
      const { models, broken } = await listModels(core.paths.models, bundledModelsDir());
      const installedIds = new Set(models.map((m) => m.id));
      return {
        activeId: core.models.chosenId(),
        /** Set when this run uses --model <folder> instead of the stored choice. */
        overrideDir: core.models.overrideDir() ?? null,
        installed: await Promise.all(
          models.map(async (m) => ({
            ...m,
            embedded: core.store.embeddings.countIndexed(m.id),
            speed: storedSpeed(core.store.settings, m.id),
            /** Set on an int8 copy Shoebox made: the id of the model it was made from. */
            int8Of: await int8SourceOf(m.dir),
            /** Why no int8 copy can be made of it (null: models.quantize would start). */
            int8Refusal: await int8Refusal(core.models, m),
          })),
        ),
        broken,
        catalogue: CATALOGUE.map((e) => ({
          ...e,
          id: modelIdOfRepo(e.repo),
          installed: installedIds.has(modelIdOfRepo(e.repo)),
          /** '' for the plain export, else the variant's name. */
          installedVariants: ['', ...e.variants].filter((v) => installedIds.has(modelIdOfRepo(e.repo, v))),
        })),
        figuresSource: IMMICH_FIGURES_SOURCE,
      };
    },
  }),

  'models.download': defineOperation({
    summary: 'Download a model from the Hugging Face Hub (verified, resumable) and install it, as a background job',
    input: z
      .object({
        repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'a repository id such as immich-app/ViT-B-32__openai'),
        revision: z.string().min(1).max(200).optional(),
        variant: z.string().regex(/^\w{1,32}$/, 'a variant name such as quantized').optional(),
      })
      .strict(),
    async run(core, input) {
      const id = modelIdOfRepo(input.repo, input.variant ?? '');
      if (core.models.folderOf(id)) throw new ApiError('conflict', `${input.repo} is already installed as ${id}: remove it first to download it again.`);
      return { jobId: startDownloadJob({ jobs: core.jobs, installedDir: core.paths.models, ...(core.hub ? { hub: core.hub } : {}) }, { repo: input.repo, revision: input.revision ?? null, variant: input.variant ?? null }) };
    },
  }),

  'models.import': defineOperation({
    summary: 'Copy a model folder (either published layout) into the data folder and record its checksums',
    input: z.object({ path: z.string().min(1).max(4096), id: modelId.optional() }).strict(),
    async run(core, input) {
      try {
        return await importModelFolder(input.path, { installedDir: core.paths.models, ...(input.id ? { id: input.id } : {}) });
      } catch (err) {
        throw new ApiError('bad-input', errorMessage(err));
      }
    },
  }),

  'models.use': defineOperation({
    summary: 'Switch to an installed model: embeds the library with it in the background, then makes it active',
    input: z.object({ id: modelId }).strict(),
    async run(core, input) {
      refuseDuringSwitch(core, 'switch again');
      if (!core.models.folderOf(input.id)) throw new ApiError('not-found', `No installed model has the id ${input.id}: see \`shoebox models\` for the installed ones.`);
      const override = core.models.overrideDir();
      if (override) throw new ApiError('conflict', `Shoebox was started with --model ${override}: start it without --model to switch models.`);
      return { jobId: startSwitchJob(core, input.id) };
    },
  }),

  'models.measure': defineOperation({
    summary: 'Time an installed model’s image and text encoders on this machine (e.g. an int8 variant beside fp32)',
    input: z.object({ id: modelId }).strict(),
    async run(core, input) {
      const dir = core.models.folderOf(input.id);
      if (!dir) throw new ApiError('not-found', `No installed model has the id ${input.id}.`);
      return measureModel(core.models, core.store.settings, dir);
    },
  }),

  'models.quantize': defineOperation({
    summary: 'Make a faster, slightly less exact int8 copy of an installed fp32 model (installed as <id>-int8 and timed), as a background job',
    input: z.object({ id: modelId }).strict(),
    async run(core, input) {
      refuseDuringSwitch(core, 'make the int8 copy');
      const model = await installedModel(core, input.id);
      const making = quantizing(core, input.id);
      if (making) throw new ApiError('conflict', `An int8 copy of ${model.displayName} is being made already (job ${making.id}).`);
      const refusal = await int8Refusal(core.models, model);
      if (refusal) throw new ApiError('conflict', refusal);
      const deps = { jobs: core.jobs, models: core.models, settings: core.store.settings, installedDir: core.paths.models };
      return { jobId: startQuantizeJob(deps, input.id) };
    },
  }),

  'models.remove': defineOperation({
    summary: 'Delete an installed model and its embeddings (not the active one, not a bundled one)',
    input: z.object({ id: modelId }).strict(),
    async run(core, input) {
      refuseDuringSwitch(core, 'remove the model');
      const model = await installedModel(core, input.id);
      if (model.bundled) throw new ApiError('conflict', `${model.displayName} comes with Shoebox and cannot be removed.`);
      if (quantizing(core, input.id)) {
        throw new ApiError('conflict', `An int8 copy of ${model.displayName} is being made: wait for it or cancel it, then remove the model.`);
      }
      if (core.models.chosenId() === input.id || core.models.overrideDir() === model.dir) {
        throw new ApiError('conflict', `${model.displayName} is the active model: switch to another one first.`);
      }
      await removeModelFolder(model);
      forgetSpeed(core.store.settings, input.id);
      return { removed: input.id, bytesFreed: model.bytes, embeddingsDeleted: core.store.embeddings.deleteModel(input.id) };
    },
  }),
};
