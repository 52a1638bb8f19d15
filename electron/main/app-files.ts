// Which file of the built renderer (dist/renderer) an app://shoebox/… URL names. Pure path
// logic: only files under the renderer folder, only known web asset types, no dot segments or
// encoded separators; "/" is index.html.
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './policy.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface AppFile {
  file: string;
  contentType: string;
}

/** The file under `rendererRoot` that `url` names, or null (→ 404). */
export function resolveAppFile(rendererRoot: string, url: string): AppFile | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  const raw = u.pathname === '/' ? '/index.html' : u.pathname;
  if (/%(?:2e|2f|5c|00)/i.test(raw) || raw.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0'))) return null;
  const contentType = CONTENT_TYPES[path.extname(decoded).toLowerCase()];
  if (!contentType) return null;
  const root = path.resolve(rendererRoot);
  const file = path.join(root, ...segments);
  if (!file.startsWith(root + path.sep)) return null;
  return { file, contentType };
}
