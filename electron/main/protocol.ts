// The two custom schemes: app:// serves the built renderer (dist/renderer) with the CSP header,
// and shoebox-media:// serves thumbnails and photos by id. A media URL is parsed strictly into
// (kind, id); the file then comes from the core (resolveMedia checks it lies in the thumbnail
// cache or a library folder), never from a path in the URL.
import { net, protocol, type Session } from 'electron';
import { pathToFileURL } from 'node:url';
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
    if (!media) return notFound();
    // A picture is never a document: if one is ever opened as a page, it runs nothing.
    return sendFile(media.file, { 'Content-Type': media.mime, 'Content-Security-Policy': "default-src 'none'; sandbox", 'Cache-Control': 'no-cache' });
  });
}
