// Job operations: what runs now, waiting for a job of this session, and cancelling one.
import { z } from 'zod';
import type { JobResult } from '../../common/job-events.js';
import { ApiError, defineOperation } from './define.js';
import { id } from './schemas.js';

export const jobOperations = {
  'jobs.list': defineOperation({
    summary: 'Running jobs with progress, and recent finished ones',
    input: z.object({}).strict(),
    async run(core) {
      // From the runner: a job whose final row could not be written (a full disk) still shows how it ended.
      return { active: core.jobs.active(), recent: core.jobs.recent(20) };
    },
  }),

  'jobs.wait': defineOperation({
    summary: 'Wait for a job of this session to finish and return its result',
    input: z.object({ jobId: id }).strict(),
    async run(core, input): Promise<JobResult> {
      const finished = core.jobs.outcomeOf(input.jobId);
      if (!finished) throw new ApiError('not-found', `Job ${input.jobId} was not started in this session.`);
      const { kind, outcome } = await finished;
      // An Error does not cross a transport: its message does. The runner pairs each kind with its
      // own result type (FinishedJob); TypeScript cannot follow that pairing through the
      // destructuring, so it is restated here, at the one place a finished job becomes a JobResult.
      return (outcome.state === 'failed' ? { kind, state: 'failed', error: outcome.error.message } : { kind, ...outcome }) as JobResult;
    },
  }),

  'jobs.cancel': defineOperation({
    summary: 'Cancel a running job (work already committed is kept)',
    input: z.object({ jobId: id }).strict(),
    async run(core, input) {
      return { cancelled: core.jobs.cancel(input.jobId) };
    },
  }),
};
