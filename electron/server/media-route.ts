// GET /media/thumb/<id>, /media/photo/<id> and /media/file/<rootId>/<path>: photo files for the
// UI. Which file may be sent is decided by core/api/media.ts alone (the Electron protocol uses the
// same module); this route only parses the URL and streams the file with a validator for caching.
// The file is opened and verified by the core before anything is sent, and everything sent is read
// from that one descriptor: the path is never opened again (a folder on it may have been swapped
// for a symlink since the check). The descriptor is closed on every way out.
// A photo's original that cannot be sent says why, in a status and the X-Shoebox-Problem header:
// 404 `missing` (gone from disk since indexing), 422 `unreadable` (there, but not a readable
// file); any other refusal stays a plain 404 that tells nothing about the disk.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Shoebox } from '../core/shoebox.js';
import { openMedia, openMediaPath, originalProblem, type OpenedMedia, type OriginalDiagnosis } from '../core/api/media.js';
import { MEDIA_RESPONSE_HEADERS } from '../common/media.js';
import { sendText } from './responses.js';

const ID = /^[1-9]\d{0,15}$/;

/** `rawPath` is the request path as sent (not decoded, dot segments not resolved), after /media/. */
async function open(core: Shoebox, rawPath: string): Promise<OpenedMedia | null> {
  const slash = rawPath.indexOf('/');
  if (slash < 0) return null;
  const kind = rawPath.slice(0, slash);
  const rest = rawPath.slice(slash + 1);
  if (kind === 'file') return openMediaPath(core, rest);
  if ((kind === 'thumb' || kind === 'photo') && ID.test(rest)) return openMedia(core, kind, Number(rest));
  return null;
}

/** Why `/media/photo/<id>` could not be opened, when the disk says so (an unknown id, or a file outside the library folders, does not). */
async function photoProblem(core: Shoebox, rawPath: string): Promise<OriginalDiagnosis | null> {
  const m = /^photo\/(.+)$/.exec(rawPath);
  return m && ID.test(m[1]!) ? originalProblem(core, Number(m[1])) : null;
}

export async function handleMedia(core: Shoebox, rawPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  for (const [name, value] of Object.entries(MEDIA_RESPONSE_HEADERS)) res.setHeader(name, value);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendText(res, 405, 'Use GET for media.');
    return;
  }
  const media = await open(core, rawPath);
  if (!media) {
    const problem = await photoProblem(core, rawPath);
    if (problem) {
      res.setHeader('X-Shoebox-Problem', problem.problem);
      sendText(res, problem.problem === 'missing' ? 404 : 422, `The photo's file cannot be shown: ${problem.reason}.`);
    } else {
      sendText(res, 404, 'No such photo, or it is not inside a library folder.');
    }
    return;
  }
  let streaming = false;
  try {
    // A photo id can point at new content after a re-index, so revalidate rather than cache blindly.
    const etag = `"${media.size.toString(36)}-${Math.trunc(media.mtimeMs).toString(36)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': media.mime, 'Content-Length': media.size });
    if (req.method === 'HEAD' || media.size === 0 || res.destroyed) {
      res.end();
      return;
    }
    // Exactly the bytes announced, even if the file grows meanwhile. pipeline destroys the stream
    // when the browser drops the request (the viewer cancels loads while a person arrows through
    // photos), and the stream closes the descriptor when it ends or is destroyed (autoClose).
    const stream = media.handle.createReadStream({ start: 0, end: media.size - 1 });
    streaming = true;
    pipeline(stream, res, () => undefined);
  } finally {
    if (!streaming) await media.handle.close();
  }
}
