// Caption operations: one photo's caption, setting (or clearing) the caption of one photo or a
// multi-selection, a page of every caption, importing them from sidecars and the photos' own
// metadata (a job), and exporting them back to a file or to .txt sidecars. Fine-tuning on them: finetune.ts.
import { z } from 'zod';
import { CaptionExportError, exportCaptionSidecars, exportCaptionsToFile } from '../captions/export.js';
import { captionFolder, startCaptionImportJob } from '../captions/import.js';
import { MAX_CAPTION_CHARS, normaliseCaption } from '../captions/sidecars.js';
import { requireAbsolute } from '../library/roots.js';
import { ApiError, defineOperation } from './define.js';
import { indexedPhotoIds, photoPath } from './photo-refs.js';
import { id, limit } from './schemas.js';
import { errorMessage } from '../../common/error-message.js';


const text = z
  .string()
  .max(4 * MAX_CAPTION_CHARS)
  .transform(normaliseCaption)
  .refine((t) => t.length <= MAX_CAPTION_CHARS, `a caption holds at most ${MAX_CAPTION_CHARS} characters`);

export const captionOperations = {
  'captions.get': defineOperation({
    summary: "A photo's caption (by id or full path) with where it came from (user, txt, xmp, exif), or null",
    input: z
      .object({ photoId: id.optional(), path: photoPath.optional() })
      .strict()
      .refine((v) => (v.photoId === undefined) !== (v.path === undefined), 'give exactly one of photoId or path'),
    async run(core, input) {
      const [photoId] = await indexedPhotoIds(core, input.photoId !== undefined ? { photoIds: [input.photoId] } : { paths: [input.path!] });
      return core.store.captions.get(photoId!);
    },
  }),

  'captions.set': defineOperation({
    summary: 'Caption one photo or several at once, by ids or full paths (an empty text clears); an import never replaces it',
    input: z
      .object({ photoIds: z.array(id).max(10_000).optional(), paths: z.array(photoPath).max(10_000).optional(), text })
      .strict()
      .refine((v) => {
        const n = (v.photoIds?.length ?? 0) + (v.paths?.length ?? 0);
        return n >= 1 && n <= 10_000;
      }, 'give 1 to 10,000 photos (photoIds or paths)'),
    async run(core, input) {
      const photoIds = await indexedPhotoIds(core, input);
      const { set, cleared } = core.store.captions.set(photoIds, input.text);
      return { photoIds, text: input.text === '' ? null : input.text, set, cleared };
    },
  }),

  'captions.list': defineOperation({
    summary: 'A page of the captions with their photos, by path',
    input: z.object({ offset: z.number().int().min(0).default(0), limit: limit.default(200) }).strict(),
    async run(core, input) {
      return { total: core.store.captions.count(), captions: core.store.captions.page(input.offset, input.limit) };
    },
  }),

  'captions.import': defineOperation({
    summary: "Read captions from .txt and XMP sidecars and the photos' metadata (one photo, a folder inside the library, or all), as a job",
    input: z
      .object({ folder: z.string().min(1).max(4096).optional(), photoId: id.optional() })
      .strict()
      .refine((v) => v.folder === undefined || v.photoId === undefined, 'give a folder or a photo, not both'),
    async run(core, input) {
      if (input.photoId !== undefined) await indexedPhotoIds(core, { photoIds: [input.photoId] });
      let folder: string | null = null;
      if (input.folder !== undefined) {
        try {
          folder = await captionFolder(core.store, input.folder);
        } catch (err) {
          throw new ApiError('bad-input', errorMessage(err));
        }
      }
      return { jobId: startCaptionImportJob(core, { folder, photoId: input.photoId ?? null }) };
    },
  }),

  'captions.export': defineOperation({
    summary: 'Write the captions to a new CSV or JSON-lines file (never overwriting), and/or as .txt sidecars where a photo has none',
    input: z
      .object({ path: z.string().min(1).max(4096).optional(), format: z.enum(['csv', 'jsonl']).optional(), sidecars: z.boolean().default(false) })
      .strict()
      .refine((v) => v.path !== undefined || v.sidecars, 'give a file path, or sidecars: true')
      .refine((v) => v.format === undefined || v.path !== undefined, 'a format goes with a file path'),
    async run(core, input) {
      let file = null;
      if (input.path !== undefined) {
        try {
          requireAbsolute(input.path);
        } catch (err) {
          throw new ApiError('bad-input', (err as Error).message.replace("the folder's full path", "the file's full path"));
        }
        try {
          file = await exportCaptionsToFile(core.store, input.path, input.format);
        } catch (err) {
          if (err instanceof CaptionExportError) throw new ApiError(err.code === 'exists' ? 'conflict' : 'bad-input', err.message);
          throw err;
        }
      }
      const sidecars = input.sidecars ? await exportCaptionSidecars(core.store) : null;
      return { file, sidecars };
    },
  }),
};
