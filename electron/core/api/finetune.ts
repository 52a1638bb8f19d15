// Fine-tuning operations: how many photos are captioned and what a job would take, starting the
// training job, the versions it made with their figures, and which one is active (activate any
// accepted version, none, or roll back). Captions themselves: captions.ts.
import { z } from 'zod';
import { FinetuneRefusal } from '../finetune/finetune-host.js';
import { ApiError, defineOperation } from './define.js';
import { id } from './schemas.js';

/** Runs a host call; its refusals (FinetuneRefusal) reach the person as API errors with the same words. */
async function asked<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof FinetuneRefusal) throw new ApiError(err.code, err.message);
    throw err;
  }
}

export const finetuneOperations = {
  'finetune.status': defineOperation({
    summary: 'Captioned photos, how many the active model can train on, a time estimate and the active version',
    input: z.object({}).strict(),
    async run(core) {
      return core.finetune.status();
    },
  }),

  'finetune.start': defineOperation({
    summary: 'Train an adapter on the captioned photos (a background job); it becomes active only if it evaluates better',
    input: z.object({ epochs: z.number().int().min(1).max(500).optional(), seed: z.number().int().min(0).max(2 ** 31 - 1).optional() }).strict(),
    async run(core, input) {
      const params = { ...(input.epochs !== undefined ? { epochs: input.epochs } : {}), ...(input.seed !== undefined ? { seed: input.seed } : {}) };
      return { jobId: await asked(() => core.finetune.start(params)) };
    },
  }),

  'finetune.list': defineOperation({
    summary: 'Every adapter version, newest first, with its figures and whether it is active',
    input: z.object({}).strict(),
    async run(core) {
      return core.finetune.list();
    },
  }),

  'finetune.use': defineOperation({
    summary: 'Make an accepted version active for its model, or none (version null); applies to search and sorting at once',
    input: z.object({ version: id.nullable() }).strict(),
    async run(core, input) {
      // The adapter changes the search index's space, which sorting keys its cache on.
      await asked(() => core.finetune.use(input.version));
      return { active: input.version };
    },
  }),

  'finetune.rollback': defineOperation({
    summary: 'Go back to the version that was active before the current one (or to none)',
    input: z.object({}).strict(),
    async run(core) {
      return asked(() => core.finetune.rollback());
    },
  }),
};
