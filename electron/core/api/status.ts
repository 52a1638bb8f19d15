// The status operation: what the status line, `shoebox status` and a first look at a library show.
import { z } from 'zod';
import type { ClipModelInfo } from '../clip/clip-model.js';
import { defineOperation } from './define.js';
import { errorMessage } from '../../common/error-message.js';

export const statusOperations = {
  status: defineOperation({
    summary: 'Library size, roots, active model and execution provider, errors, running jobs',
    input: z.object({ loadModel: z.boolean().default(true) }).strict(),
    async run(core, input) {
      const counts = core.store.photos.countByStatus();
      let model: ClipModelInfo | null = null;
      let modelError: string | null = null;
      if (input.loadModel) {
        try {
          model = await core.models.info();
        } catch (err) {
          modelError = errorMessage(err);
        }
      }
      return {
        dataDir: core.paths.root,
        photos: counts,
        roots: core.store.roots.list(),
        model,
        modelDir: core.models.dir(),
        modelError,
        errors: core.store.errors.count(),
        jobs: core.jobs.active(),
      };
    },
  }),
};
