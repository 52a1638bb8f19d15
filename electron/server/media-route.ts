// GET /media/thumb/<id>, /media/photo/<id> and /media/file/<rootId>/<path>: photo files for the
// UI. Which file may be sent is decided by core/api/media.ts alone (the Electron protocol uses the
// same module); this route only parses the URL and streams the file with a validator for caching.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Shoebox } from '../core/shoebox.js';
import { resolveMedia, resolveMediaPath } from '../core/api/media.js';
import type { MediaFile } from '../common/media.js';
import { sendText } from './responses.js';

const ID = /^[1-9]\d{0,15}$/;

/** `rawPath` is the request path as sent (not decoded, dot segments not resolved), after /media/. */
async function lookup(core: Shoebox, rawPath: string): Promise<MediaFile | null> {
  const slash = rawPath.indexOf('/');
  if (slash < 0) return null;
  const kind = rawPath.slice(0, slash);
  const rest = rawPath.slice(slash + 1);
  if (kind === 'file') return resolveMediaPath(core, rest);
  if ((kind === 'thumb' || kind === 'photo') && ID.test(rest)) return resolveMedia(core, kind, Number(rest));
  return null;
}

export async function handleMedia(core: Shoebox, rawPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendText(res, 405, 'Use GET for media.');
    return;
  }
  const media = await lookup(core, rawPath);
  const info = media && (await stat(media.file).catch(() => null));
  if (!media || !info) {
    sendText(res, 404, 'No such photo, or it is not inside a library folder.');
    return;
  }
  // A photo id can point at new content after a re-index, so revalidate rather than cache blindly.
  const etag = `"${info.size.toString(36)}-${Math.trunc(info.mtimeMs).toString(36)}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': media.mime, 'Content-Length': info.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // pipeline closes the file when the browser drops the request (the viewer cancels loads
  // while a person arrows through photos); pipe() would leave the descriptor open.
  pipeline(createReadStream(media.file), res, () => undefined);
}
