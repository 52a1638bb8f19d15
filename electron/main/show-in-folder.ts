// "Show in folder" for Electron's window: the page names a photo by id only; its path comes from
// the core (an indexed photo of the library), and the system file manager opens on it
// (shell.showItemInFolder, handed in as `reveal` so this stays testable without Electron).
import { stat } from 'node:fs/promises';
import type { ApiReply } from '../common/bridge-contract.js';
import { id } from '../core/api/schemas.js';
import type { PhotoRow } from '../core/store/photos.js';
import { isTrustedSender } from './policy.js';

/** The part of the core host this needs: one API call. */
export interface PhotoLookup {
  call(name: 'photos.get', input: { id: number }): Promise<ApiReply>;
}

export async function showPhotoInFolder(frameUrl: string | null, photoId: unknown, core: PhotoLookup, reveal: (path: string) => void): Promise<ApiReply<null>> {
  if (!isTrustedSender(frameUrl)) return { ok: false, error: { code: 'forbidden', message: 'Only Shoebox’s own window may open the file manager.' } };
  const parsed = id.safeParse(photoId);
  if (!parsed.success) return { ok: false, error: { code: 'bad-input', message: 'Show in folder needs a photo’s id (a positive whole number).' } };
  const reply = await core.call('photos.get', { id: parsed.data });
  if (!reply.ok) return reply;
  const photo = reply.result as PhotoRow;
  if (photo.status !== 'indexed') return { ok: false, error: { code: 'not-found', message: `${photo.path} is not in the library any more.` } };
  try {
    await stat(photo.path);
  } catch {
    return { ok: false, error: { code: 'not-found', message: `${photo.path} is no longer on disk: it was moved or deleted since it was indexed.` } };
  }
  reveal(photo.path);
  return { ok: true, result: null };
}
