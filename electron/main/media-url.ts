// Parsing of shoebox-media:// URLs, the only way the renderer names a picture to show:
// `shoebox-media://thumb/<photo id>` or `shoebox-media://photo/<photo id>`, optionally with a
// cache-busting query. The URL carries an id, never a path; the file comes from the core.
import type { MediaKind } from '../common/media.js';
import { MEDIA_SCHEME } from './policy.js';

export interface MediaRequest {
  kind: MediaKind;
  photoId: number;
}

// Checked on the raw string, before any URL parser can fold `..`, `%2e` or a second slash away:
// exactly one id segment of digits without a leading zero, an optional query of harmless
// characters, nothing else.
const MEDIA_URL = new RegExp(`^${MEDIA_SCHEME}://(thumb|photo)/([1-9][0-9]{0,15})/?(?:\\?[A-Za-z0-9=&._-]{0,200})?$`);

/** The media request a URL names, or null for anything that is not exactly such a URL. */
export function parseMediaUrl(url: string): MediaRequest | null {
  const m = MEDIA_URL.exec(url);
  if (!m) return null;
  const photoId = Number(m[2]);
  if (!Number.isSafeInteger(photoId)) return null;
  return { kind: m[1] === 'thumb' ? 'thumb' : 'photo', photoId };
}
