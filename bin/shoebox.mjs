#!/usr/bin/env node
// Installed entry of the `shoebox` command: runs the compiled CLI (`npm run build:app`, done by
// `npm run setup`) when it is newer than every source file, else the TypeScript sources through
// tsx. Compiled, a command starts about a second sooner (tsx compiles ~250 modules on the fly),
// which is most of a small job's wait; an edited source is never shadowed by a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'dist', 'electron', 'cli', 'main.js');

/** The newest modification time of the .ts files under `dir` (0 when there are none, as in a packaged app). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const sources = path.join(root, 'electron');
const current = existsSync(compiled) && (!existsSync(sources) || statSync(compiled).mtimeMs >= newestSource(sources));
if (current) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'electron', 'cli', 'main.ts')).href);
}
