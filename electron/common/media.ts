// What a media request asks for and what the core answers: a photo's thumbnail or its original,
// the real path and type of the file to send, and the headers every media answer carries. Shared
// by the core (api/media.ts), the core host's protocol, Electron's protocol handler, the browser-mode
// media route and the renderer's media URLs.

export type MediaKind = 'thumb' | 'photo';

export interface MediaFile {
  /**
   * Real path of the file to send, checked by the core to lie inside a library folder or the
   * thumbnail cache. Whoever opens it must verify the opened file is at exactly this path
   * (core/library/open-inside.ts, openVerified): a folder on the way may be swapped meanwhile.
   */
  file: string;
  mime: string;
}

/**
 * Headers on every media answer, in browser mode and in Electron alike: a picture opened as a
 * page runs nothing (sandbox, no sources), and its declared type is never second-guessed.
 */
export const MEDIA_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'X-Content-Type-Options': 'nosniff',
};
