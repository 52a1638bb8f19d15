// POST /api/<operation>: the API table over HTTP. JSON in (size-limited), the same envelope out
// for every operation: { ok: true, result } or { ok: false, error: { code, message } }, with the
// status code of the error's kind. Unexpected errors become 500 with their message only; the
// stack goes to the server's log, never to the client.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Shoebox } from '../core/shoebox.js';
import { callApi, isApiName } from '../core/api/table.js';
import { errorEnvelope } from '../core/api/envelope.js';
import { sendError, sendJson, STATUS_OF } from './responses.js';
import { errorMessage } from '../common/error-message.js';

/** Inputs are small (paths, queries, ids); anything larger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the body as text. Past the limit it stops keeping the bytes and rejects at once, so the
 * 413 answer goes out while the client may still be sending; the request keeps being read (and
 * dropped) so that the answer is not lost to a connection reset, and the answer closes the
 * connection (see handleApi), which ends a client that would send forever.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) {
      req.resume();
      reject(new BodyError(413, `Request body too large (${declared} bytes; the limit is ${limit}).`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      chunks.length = 0;
      reject(new BodyError(413, `Request body too large (over ${limit} bytes).`));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function handleApi(core: Shoebox, name: string, req: IncomingMessage, res: ServerResponse, log: (line: string) => void): Promise<void> {
  if (req.method !== 'POST') {
    sendError(res, 405, 'bad-input', `Use POST for /api/${name}.`, { Allow: 'POST' });
    return;
  }
  if (!isApiName(name)) {
    sendError(res, 404, 'not-found', `No API operation named ${JSON.stringify(name)}.`);
    return;
  }
  // Requiring JSON also means a cross-site form post (text/plain, urlencoded) is refused.
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    sendError(res, 415, 'bad-input', `Send the input of ${name} as JSON (Content-Type: application/json).`);
    return;
  }
  let input: unknown;
  try {
    const text = await readBody(req, MAX_BODY_BYTES);
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    if (err instanceof BodyError) sendError(res, err.status, 'bad-input', err.message, { Connection: 'close' });
    else sendError(res, 400, 'bad-input', `The input of ${name} is not valid JSON: ${errorMessage(err)}`);
    return;
  }
  try {
    const result = await callApi(core, name, input);
    sendJson(res, 200, { ok: true, result });
  } catch (err) {
    const { error } = errorEnvelope(err);
    if (error.code === 'internal') log(`API ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    sendError(res, STATUS_OF[error.code], error.code, error.message);
  }
}
