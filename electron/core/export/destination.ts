// The destination of an export: resolved to a real path (the folders still to create noted), and
// checked against the library folders and the data folder before anything is planned there.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside, requireAbsolute } from '../library/roots.js';
import type { ExportMode } from '../store/exports.js';
import type { Store } from '../store/index.js';
import { errorCode, reason } from './disk.js';
import { ExportRefused } from './errors.js';

/** The destination as a real path (symlinks resolved in the part that exists) and the folders still to create, parents first. */
export async function resolveDestination(input: string): Promise<{ real: string; existing: string; missing: string[] }> {
  try {
    requireAbsolute(input);
  } catch (err) {
    throw new ExportRefused((err as Error).message);
  }
  let existing = path.resolve(input);
  const rest: string[] = [];
  for (;;) {
    try {
      if (!(await stat(existing)).isDirectory()) throw new ExportRefused(`${existing} is a file, not a folder: choose a folder as the destination.`);
      break;
    } catch (err) {
      if (err instanceof ExportRefused) throw err;
      if (errorCode(err) !== 'ENOENT' || path.dirname(existing) === existing) throw new ExportRefused(`Cannot use ${existing} as the destination: ${reason(err)}.`);
      rest.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
  const realExisting = await realpath(existing);
  const missing = rest.map((_, i) => path.join(realExisting, ...rest.slice(0, i + 1)));
  return { real: path.join(realExisting, ...rest), existing: realExisting, missing };
}

/**
 * Refuses a destination in the data folder; for a copy or a link, category folders in a library
 * folder (every photo would show twice) or in the data folder; for a move, a destination holding
 * a library folder or the data folder (it becomes a library folder itself). Returns the folder a
 * move must add to the library (null when it is inside one already).
 */
export async function checkDestination(store: Store, dataDir: string, dest: string, mode: ExportMode, categoryDirs: string[]): Promise<string | null> {
  const data = await realpath(dataDir).catch(() => path.resolve(dataDir));
  const inData = (dir: string): ExportRefused => new ExportRefused(`${dir} is inside Shoebox's data folder ${data}: choose another destination.`);
  if (isInside(dest, data)) throw inData(dest);
  const roots = store.roots.list();
  if (mode === 'move') {
    if (roots.some((r) => isInside(dest, r.path))) return null;
    const held = roots.find((r) => isInside(r.path, dest));
    if (held) throw new ExportRefused(`${dest} holds the library folder ${held.path}: move into a folder inside that library folder (to reorganise it) or outside the library.`);
    if (isInside(data, dest)) throw new ExportRefused(`${dest} holds Shoebox's data folder ${data}, and a move makes it a library folder: choose a folder that does not hold it.`);
    return dest;
  }
  for (const dir of categoryDirs) {
    const root = roots.find((r) => isInside(dir, r.path));
    if (root) {
      throw new ExportRefused(
        `${dir} is inside the library folder ${root.path}: a ${mode} there would show every photo twice in the library. Choose a destination outside the library, or --move to reorganise it.`,
      );
    }
    if (isInside(dir, data)) throw inData(dir);
  }
  return null;
}
