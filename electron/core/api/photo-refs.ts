// Photos named by id or by full path, as the sorting and caption operations take them: every one
// must be an indexed photo of this library. A relative path is refused (it would mean whatever this
// process's working folder is); the CLI resolves relative paths before it calls.
import path from 'node:path';
import { z } from 'zod';
import { resolvePhotoPath } from '../library/roots.js';
import type { Shoebox } from '../shoebox.js';
import { ApiError } from './define.js';
import { id } from './schemas.js';

export const photoPath = z.string().min(1).max(4096);

export interface PhotoRefs {
  photoIds?: number[] | undefined;
  paths?: string[] | undefined;
}

/** The ids of the photos named (each once, in the order given); not-found or bad-input otherwise. */
export async function indexedPhotoIds(core: Shoebox, refs: PhotoRefs): Promise<number[]> {
  const ids = [...(refs.photoIds ?? [])];
  for (const p of refs.paths ?? []) {
    if (!path.isAbsolute(p)) throw new ApiError('bad-input', `${JSON.stringify(p)} is a relative path: give the photo's full path.`);
    const photo = core.store.photos.getByPath(await resolvePhotoPath(p));
    if (!photo || photo.status !== 'indexed') throw new ApiError('not-found', `${p} is not an indexed photo of this library.`);
    ids.push(photo.id);
  }
  const unique = [...new Set(ids)];
  for (const photoId of refs.photoIds ?? []) {
    const photo = core.store.photos.getById(photoId);
    if (!photo || photo.status !== 'indexed') throw new ApiError('not-found', `Photo ${photoId} is not an indexed photo of this library.`);
  }
  return unique;
}

/** At least one photo, by ids and/or full paths. */
export const photoRefs = z
  .object({ photoIds: z.array(id).max(100_000).optional(), paths: z.array(photoPath).max(10_000).optional() })
  .refine((v) => (v.photoIds?.length ?? 0) + (v.paths?.length ?? 0) > 0, 'give photoIds or paths');
