// Input pieces that several operations files share: ids, result limits and the photo filter.
import { z } from 'zod';

export const id = z.number().int().positive();
export const limit = z.number().int().min(1).max(1000);
export const photoFilter = z
  .object({
    rootId: id.optional(),
    takenFrom: z.number().int().optional(),
    takenTo: z.number().int().optional(),
  })
  .strict();
