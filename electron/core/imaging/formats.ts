// The photo file types Shoebox handles, by extension, with the MIME type each is served as.
// One table: the library walk indexes exactly these files and the media resolver shows exactly
// these, so a format added here is both found and viewable.
import path from 'node:path';

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
};

/** The MIME type of a photo file by its extension (any case); null for anything that is not a photo type. */
export function photoMimeType(file: string): string | null {
  // extname always starts with ".", which no Object.prototype key does.
  return MIME_BY_EXTENSION[path.extname(file).toLowerCase()] ?? null;
}
