// What an export needs from a sorting: each sorted photo with its categories, best first.
// Unsorted photos are not exported.
import type { SortAssignment } from '../sorting/types.js';

export interface ExportEntry {
  photoId: number;
  /** Category names, best first: a move puts the photo in the first only. */
  categories: string[];
}

/**
 * One entry per sorted photo, in the order of the categories and, within one, of the sorting. A
 * photo in several categories (multi-label) lists them by the person's corrections first, then by
 * confidence; ties keep the categories' order.
 */
export function exportEntries(assignment: SortAssignment): ExportEntry[] {
  const byPhoto = new Map<number, { name: string; corrected: boolean; confidence: number }[]>();
  for (const category of assignment.categories) {
    for (const photo of category.photos) {
      const list = byPhoto.get(photo.photoId) ?? [];
      list.push({ name: category.name, corrected: photo.corrected, confidence: photo.confidence });
      byPhoto.set(photo.photoId, list);
    }
  }
  return [...byPhoto].map(([photoId, list]) => ({
    photoId,
    // Array.prototype.sort is stable: equal ranks keep the categories' order.
    categories: list.sort((a, b) => Number(b.corrected) - Number(a.corrected) || b.confidence - a.confidence).map((c) => c.name),
  }));
}
