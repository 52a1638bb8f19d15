// What a media request asks for and what the core answers: a photo's thumbnail or its original,
// and the real path and type of the file to send. Shared by the core (api/media.ts), the core
// host's protocol, Electron's protocol handler and the renderer's media URLs.

export type MediaKind = 'thumb' | 'photo';

export interface MediaFile {
  /** Real path of the file to send. */
  file: string;
  mime: string;
}
