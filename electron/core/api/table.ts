// The Shoebox API: one table of named operations, assembled from one operations file per
// feature. The CLI, Electron's IPC and the browser-mode HTTP server all call `callApi` with a
// name from this table; the renderer's client types are derived from it (ApiInput / ApiOutput,
// through common/api-types.ts), so transports and UI cannot drift apart. A new feature adds its
// operations file here.
import type { z } from 'zod';
import type { Shoebox } from '../shoebox.js';
import { captionOperations } from './captions.js';
import { parseInput } from './define.js';
import { finetuneOperations } from './finetune.js';
import { jobOperations } from './jobs.js';
import { libraryOperations } from './library.js';
import { modelOperations } from './models.js';
import { originalOperations } from './originals.js';
import { searchOperations } from './search.js';
import { sortExportOperations } from './sort-export.js';
import { sortingOperations } from './sorting.js';
import { statusOperations } from './status.js';

export const api = {
  ...statusOperations,
  ...libraryOperations,
  ...originalOperations,
  ...jobOperations,
  ...searchOperations,
  ...modelOperations,
  ...sortingOperations,
  ...finetuneOperations,
  ...captionOperations,
  ...sortExportOperations,
};

export type Api = typeof api;
export type ApiName = keyof Api;
export type ApiInput<N extends ApiName> = z.input<Api[N]['input']>;
export type ApiOutput<N extends ApiName> = Awaited<ReturnType<Api[N]['run']>>;

export function isApiName(name: string): name is ApiName {
  return Object.hasOwn(api, name);
}

/** The one entry point of every transport: validates the input, then runs the operation. */
export async function callApi<N extends ApiName>(core: Shoebox, name: N, raw: unknown): Promise<ApiOutput<N>> {
  const op = api[name] as unknown as { input: z.ZodType; run(core: Shoebox, input: unknown): Promise<ApiOutput<N>> };
  const input = parseInput(name, op.input, raw);
  return op.run(core, input);
}
