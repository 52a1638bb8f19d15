// What a sorting of the library is, as the rest of Shoebox sees it: the export, the API, the CLI
// and the renderer read these shapes; assign.ts makes them.

export interface SortedPhoto {
  photoId: number;
  /** 0..1: how sure the rule is that the photo belongs where it was put (see assign.ts). */
  confidence: number;
  /** The person put it there (a correction or a confirmation), not the model. */
  corrected: boolean;
}

export interface CategoryResult {
  id: number;
  name: string;
  /** Ordered by confidence, highest first (corrected photos first); ties by photo id. */
  photos: SortedPhoto[];
}

export interface SortAssignment {
  /** The model whose embeddings were sorted. */
  modelId: string;
  /** A photo may sit in every category it passes (multi-label) or only in its best one. */
  multiLabel: boolean;
  categories: CategoryResult[];
  /** Photos no category took, ordered by confidence of their best category, lowest first. */
  unsorted: SortedPhoto[];
}
