// The two custom schemes: app:// serves the built renderer (dist/renderer) with the CSP header,
// and shoebox-media:// serves thumbnails and photos by id. A media URL is parsed strictly into
// (kind, id); the file then comes from the core (resolveMedia checks it lies in the thumbnail
// cache or a library folder), never from a path in the URL.
//
// The core answers with a real path, and this process opens it: a descriptor cannot be handed
// across processes here, and between the core's check and our open a folder on that path can be
// swapped for a symlink to elsewhere. So the handler opens first and then verifies, with the
// core's openVerified, that the opened file is a regular file at exactly the path the core
// checked (Linux: /proc/self/fd; macOS: opened with O_NOFOLLOW_ANY; Windows: realpath + device/
// inode, best effort, see open-inside.ts). The core's check was on that exact string, so a file
// verified to be there is inside the folders the core allows; anything else is a 404. The main
// process needs no list of roots for this, so the media contract (common/media.ts) is unchanged.
// The picture is streamed from that descriptor, which the stream closes when it ends, fails or
// is cancelled (the page dropped the image).
import { net, protocol, type Session } from 'electron';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { MEDIA_RESPONSE_HEADERS, type MediaFile } from '../common/media.js';
import { openVerified } from '../core/library/open-inside.js';
import { resolveAppFile } from './app-files.js';
import type { CoreHost } from './core-host-client.js';
import { parseMediaUrl } from './media-url.js';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, MEDIA_SCHEME } from './policy.js';

/** Must run before the app is ready. Standard + secure: real origins, so CSP 'self' and relative URLs work. */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    // corsEnabled: Vite's module scripts are fetched in CORS mode (same origin, yet the scheme must allow it).
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const NO_SNIFF = { 'X-Content-Type-Options': 'nosniff' };

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...NO_SNIFF } });
}

function readOnly(request: Request): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
}

/** Streams a local file with our own headers (the file's type is decided by us, not sniffed). */
async function sendFile(file: string, headers: Record<string, string>): Promise<Response> {
  const res = await net.fetch(pathToFileURL(file).href);
  if (!res.ok) return notFound();
  return new Response(res.body, { status: 200, headers: { ...headers, ...NO_SNIFF } });
}

/** Streams a picture the core chose, from a descriptor verified to be that very file. */
async function sendMedia(media: MediaFile, request: Request): Promise<Response> {
  const opened = await openVerified(media.file);
  if (!opened) return notFound();
  // A picture is never a document: if one is ever opened as a page, it runs nothing.
  const headers = { 'Content-Type': media.mime, 'Content-Length': String(opened.size), 'Cache-Control': 'no-cache', ...MEDIA_RESPONSE_HEADERS };
  if (request.method === 'HEAD' || opened.size === 0) {
    await opened.handle.close();
    return new Response(null, { status: 200, headers });
  }
  // Exactly the bytes announced; the read stream closes the descriptor (autoClose) on end,
  // error or destroy, and a cancelled web stream destroys it.
  const body = Readable.toWeb(opened.handle.createReadStream({ start: 0, end: opened.size - 1 }));
  return new Response(body, { status: 200, headers });
}

export interface ProtocolOptions {
  /** Folder of the built renderer (dist/renderer). */
  rendererRoot: string;
  host: CoreHost;
}

export function registerProtocols(session: Session, options: ProtocolOptions): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const target = readOnly(request) ? resolveAppFile(options.rendererRoot, request.url) : null;
    if (!target) return notFound();
    return sendFile(target.file, { 'Content-Type': target.contentType, 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
  });

  session.protocol.handle(MEDIA_SCHEME, async (request) => {
    const target = readOnly(request) ? parseMediaUrl(request.url) : null;
    if (!target) return notFound();
    const media = await options.host.resolveMedia(target.kind, target.photoId);
    return media ? sendMedia(media, request) : notFound();
  });
}
