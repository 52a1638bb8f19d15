// The one map of job kinds: each kind's parameters (stored with its row), its progress (the
// common counters plus any fields of its own) and its result. The runner, the API, the CLI and
// the renderer all type their jobs from it; a new feature adds one entry here.
import type { CaptionImportParams, CaptionImportSummary } from '../captions/import.js';
import type { FinetuneJobParams } from '../finetune/finetune-job.js';
import type { FinetuneProgress, FinetuneResult } from '../finetune/types.js';
import type { SortExportParams, SortUndoParams } from '../export/export-job.js';
import type { ExportResult } from '../export/run.js';
import type { UndoResult } from '../export/undo.js';
import type { IndexParams, IndexSummary } from '../library/index-job.js';
import type { DownloadJobProgress, DownloadParams, DownloadResult } from '../models/download-job.js';
import type { QuantizeParams, QuantizeProgress, QuantizeResult } from '../models/quantize-job.js';
import type { SwitchParams, SwitchResult } from '../models/switch-job.js';
import type { SortParams, SortSummary } from '../sorting/sort-job.js';
import type { JsonValue } from '../store/json.js';

/** What every job reports as it goes. */
export interface JobProgress {
  done: number;
  /** Leave out to keep the previous total; null when not known yet. */
  total?: number | null;
  currentFile?: string | null;
}

export interface JobKindSpec {
  params: JsonValue;
  progress: JobProgress;
  result: unknown;
}

// A type alias, not an interface: the runner's `Record<string, JobKindSpec>` bound needs one.
export type JobKinds = {
  /** Scan the library folders and index what changed (library/index-job.ts). */
  index: { params: IndexParams; progress: JobProgress; result: IndexSummary };
  /** Embed the library with another model, then make it the active one (models/switch-job.ts). */
  'model-switch': { params: SwitchParams; progress: JobProgress; result: SwitchResult };
  /** Download a model from the Hugging Face Hub and install it (models/download-job.ts); done/total count bytes. */
  'model-download': { params: DownloadParams; progress: DownloadJobProgress; result: DownloadResult };
  /** Make an installed fp32 model's int8 copy and time it (models/quantize-job.ts); done/total count steps. */
  'model-quantize': { params: QuantizeParams; progress: QuantizeProgress; result: QuantizeResult };
  /** Sort the library into the categories (sorting/sort-job.ts); done/total count steps. */
  sort: { params: SortParams; progress: JobProgress; result: SortSummary };
  /** Export a sorting to disk, or resume an unfinished export (export/run.ts); done/total count files. */
  'sort-export': { params: SortExportParams; progress: JobProgress; result: ExportResult };
  /** Undo the newest export (export/undo.ts); done/total count files. */
  'sort-undo': { params: SortUndoParams; progress: JobProgress; result: UndoResult };
  /** Import captions from sidecars and the photos' metadata (captions/import.ts); done/total count photos. */
  'caption-import': { params: CaptionImportParams; progress: JobProgress; result: CaptionImportSummary };
  /** Train and evaluate an adapter pair on the captioned photos (finetune/finetune-job.ts); done/total count epochs. */
  finetune: { params: FinetuneJobParams; progress: FinetuneProgress; result: FinetuneResult };
};

export type JobKind = keyof JobKinds;
