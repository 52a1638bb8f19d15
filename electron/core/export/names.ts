// Names on disk for an export: a category name made into a folder name that Windows, macOS and
// Linux all accept, and the "name (2).jpg" suffix that resolves a collision instead of overwriting.
import path from 'node:path';

// Forbidden on Windows (and "/" everywhere; ":" on classic macOS), plus control characters.
const FORBIDDEN = /[/\\:*?"<>|\u0000-\u001f\u007f]/g;
// Device names Windows reserves with any extension: "CON", "con.txt", "COM1.jpg".
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Most file systems allow 255 bytes per name; the rest is room for a " (12)" suffix.
const MAX_FOLDER_BYTES = 200;

/**
 * A category name as a folder name: forbidden characters become "_", no leading or trailing
 * spaces, no trailing dots, no leading dot (a hidden folder, which the library walk skips), no
 * reserved device name, at most 200 bytes; never empty.
 */
export function safeFolderName(name: string): string {
  let safe = name.normalize('NFC').replace(FORBIDDEN, '_').trim().replace(/[. ]+$/, '');
  if (safe.startsWith('.')) safe = `_${safe.slice(1)}`;
  const dot = safe.indexOf('.');
  const base = dot === -1 ? safe : safe.slice(0, dot);
  if (RESERVED.test(base)) safe = `${base}_${safe.slice(base.length)}`;
  safe = truncateBytes(safe, MAX_FOLDER_BYTES).replace(/[. ]+$/, '');
  return safe === '' ? '_' : safe;
}

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/**
 * Comparison key for names that one file system may treat as the same: case-insensitive ones
 * (macOS, Windows) and macOS's decomposed Unicode. Used everywhere, so a plan made on Linux does
 * not collide when the destination is a USB disk formatted for Windows.
 */
export function nameKey(p: string): string {
  return p.normalize('NFC').toLowerCase();
}

/** "photo.jpg" → "photo (2).jpg" for n = 2. */
export function withSuffix(fileName: string, n: number): string {
  const ext = path.extname(fileName);
  return `${fileName.slice(0, fileName.length - ext.length)} (${n})${ext}`;
}

/** A distinct folder name per category, in order: two names that clean to the same folder get " (2)". */
export function categoryFolders(names: readonly string[]): Map<string, string> {
  const folders = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    const safe = safeFolderName(name);
    let folder = safe;
    for (let n = 2; taken.has(nameKey(folder)); n++) folder = `${safe} (${n})`;
    taken.add(nameKey(folder));
    folders.set(name, folder);
  }
  return folders;
}
