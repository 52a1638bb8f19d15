// The four ways to export, each as a batch operation and its undo (one file per mode).
import type { ExportItemRow, ExportMode } from '../store/exports.js';
import { exportCopies, undoCopies } from './copy-mode.js';
import type { BatchResult, ItemEnv } from './env.js';
import { exportLinks, undoLinks } from './link-mode.js';
import { exportMoves, undoMoves } from './move-mode.js';
import { exportTags, undoTags } from './tags-mode.js';

export type Batch = (env: ItemEnv, items: readonly ExportItemRow[]) => Promise<BatchResult>;

export const MODES: Record<ExportMode, { run: Batch; undo: Batch }> = {
  copy: { run: exportCopies, undo: undoCopies },
  move: { run: exportMoves, undo: undoMoves },
  link: { run: exportLinks, undo: undoLinks },
  tags: { run: exportTags, undo: undoTags },
};
