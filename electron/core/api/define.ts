// The shape of one API operation: a name, an input schema and a handler. Every transport (CLI,
// Electron IPC, HTTP/WebSocket) validates its input against the same schema before calling the
// handler, so no transport can pass unchecked data into the core.
import { z } from 'zod';
import type { ApiErrorCode } from '../../common/api-envelope.js';
import type { Shoebox } from '../shoebox.js';

export interface Operation<S extends z.ZodType, R> {
  /** One line for help texts and the HTTP index. */
  summary: string;
  input: S;
  run(core: Shoebox, input: z.output<S>): Promise<R>;
}

export function defineOperation<S extends z.ZodType, R>(op: Operation<S, R>): Operation<S, R> {
  return op;
}


/** An error meant for the person using Shoebox: the message says what happened and what to do. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Validates raw input against an operation's schema; the error lists each bad field. */
export function parseInput<S extends z.ZodType>(name: string, schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
  throw new ApiError('bad-input', `Invalid input for ${name}: ${details}`);
}
