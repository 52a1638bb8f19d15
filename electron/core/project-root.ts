// The Shoebox checkout's root folder, for code that runs from source (electron/…) or from the
// compiled copy (dist/electron/…): the nearest folder above this file whose package.json is
// Shoebox's own. Checking the name skips nested package.json files such as
// electron/preload/package.json, which only sets the module type.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function isShoeboxPackage(dir: string): boolean {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'shoebox';
  } catch {
    return false; // unreadable or not JSON: not ours
  }
}

/** The checkout's root, or null when this file is not inside one (e.g. a packaged app without it). */
export function findProjectRoot(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isShoeboxPackage(dir)) return dir;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The checkout's root; throws, saying where it looked, when there is none above this file. */
export function projectRoot(): string {
  const root = findProjectRoot();
  if (root === null) throw new Error(`Cannot find the Shoebox checkout (no Shoebox package.json above ${path.dirname(fileURLToPath(import.meta.url))}).`);
  return root;
}
