// The built renderer (dist/renderer), served from memory. The file list is read once at start, so a
// request can only ever name one of those files: no path is joined from the URL, which rules out
// traversal, and there is no directory listing.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface StaticFile {
  body: Buffer;
  type: string;
  /** Vite puts a content hash in the names under assets/, so those never change. */
  immutable: boolean;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** URL path (e.g. /assets/index-3f2a.js) → file. Files of other types (source maps …) are left out. */
export async function loadStaticFiles(dir: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const type = TYPES[path.extname(entry.name).toLowerCase()];
    if (!type) continue;
    const urlPath = '/' + path.relative(dir, full).split(path.sep).join('/');
    files.set(urlPath, { body: await readFile(full), type, immutable: urlPath.startsWith('/assets/') });
  }
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}
