// A loaded CLIP model: its folder, one shared session per encoder (on the best execution provider that
// starts), the tokenizer, and a summary of what is running. Used in-process and inside the
// inference worker alike.
import { ClipImageEncoder, ClipTextEncoder } from './encoders.js';
import type { LayoutName } from './folder-layouts.js';
import { loadModelFolder, type ModelFolder } from './model-folder.js';
import { loadOrt } from './ort.js';
import { defaultThreads, describeFallback, providerPreference, type ProviderName } from './providers.js';
import { acquireSession, type SharedSession } from './session.js';
import { loadClipTokenizer } from './tokenizer.js';

export interface ClipModelOptions {
  /** A provider name or comma-separated list ("cuda", "dml,cpu"); default SHOEBOX_EP, else the platform's list. */
  provider?: string | readonly string[];
  /** ONNX Runtime intra-op threads per session; default: the number of cores. */
  threads?: number;
  /** Images per run when the model's batch axis is dynamic (default 8). */
  imageBatchSize?: number;
  /** Texts per run when the model's batch axis is dynamic (default 32). */
  textBatchSize?: number;
  /** Busy-waiting ONNX Runtime threads (default off; see SessionSettings.spinning). */
  spinning?: boolean;
  /** A weight variant of the folder ('quantized', 'fp16' …); default: its record's, else the plain export. */
  variant?: string;
}

export interface ClipModelInfo {
  modelId: string;
  displayName: string;
  layout: LayoutName;
  /** The weight variant running ('' = the plain export). */
  variant: string;
  embedDim: number;
  imageSize: number;
  contextLength: number;
  /** The execution provider the image encoder runs on (the text encoder starts from the same one). */
  provider: ProviderName;
  /** Why preferred providers were skipped, when they were. */
  providerFallbackReason?: string;
  /** The image encoder's batch axis. */
  batch: 'dynamic' | number;
  threads: number;
}

export interface ClipModel {
  readonly folder: ModelFolder;
  readonly image: ClipImageEncoder;
  /** The text encoder, loaded on first use (indexing never needs it). */
  text(): Promise<ClipTextEncoder>;
  info(): ClipModelInfo;
  close(): Promise<void>;
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

export async function openClipModel(modelDir: string, options: ClipModelOptions = {}): Promise<ClipModel> {
  const folder = await loadModelFolder(modelDir, options.variant === undefined ? {} : { variant: options.variant });
  const threads = positiveInt(options.threads, defaultThreads(), 'threads');
  const imageBatchSize = positiveInt(options.imageBatchSize, 8, 'imageBatchSize');
  const textBatchSize = positiveInt(options.textBatchSize, 32, 'textBatchSize');
  const providers = providerPreference(options.provider);
  const spinning = options.spinning === true;
  const ort = await loadOrt();

  const visual = await acquireSession(folder.files.visualModel, folder.embedDim, { providers, threads, spinning });
  let image: ClipImageEncoder;
  try {
    image = new ClipImageEncoder(ort, visual, folder.files.visualModel, folder.imageSize, folder.embedDim, imageBatchSize);
  } catch (err) {
    await visual.release();
    throw err;
  }
  // The text tower (and its tokenizer) loads on the first text: indexing never needs it, and for
  // ViT-B/32 it is 250 MB and about a second of a small job's start. It starts from the provider
  // that worked for images; the ones before it already failed.
  let textual: SharedSession | null = null;
  let text: Promise<ClipTextEncoder> | null = null;
  let closed = false;
  const loadText = async (): Promise<ClipTextEncoder> => {
    const tokenizer = await loadClipTokenizer(folder.files, folder.contextLength, { clean: folder.textClean });
    const rest = providers.slice(providers.indexOf(visual.provider));
    const session = await acquireSession(folder.files.textualModel, folder.embedDim, { providers: rest, threads, spinning });
    if (closed) {
      await session.release();
      throw new Error(`The model ${folder.id} was closed`);
    }
    try {
      const encoder = new ClipTextEncoder(ort, session, folder.files.textualModel, tokenizer, folder.embedDim, textBatchSize);
      textual = session;
      return encoder;
    } catch (err) {
      await session.release();
      throw err;
    }
  };
  const info = (): ClipModelInfo => {
    const reason = describeFallback([...visual.failed, ...(textual?.failed ?? [])]);
    return {
      modelId: folder.id,
      displayName: folder.displayName,
      layout: folder.layout,
      variant: folder.variant,
      embedDim: folder.embedDim,
      imageSize: folder.imageSize,
      contextLength: folder.contextLength,
      provider: visual.provider,
      ...(reason === undefined ? {} : { providerFallbackReason: reason }),
      batch: visual.signature.batch,
      threads,
    };
  };
  return {
    folder,
    image,
    text: () => {
      if (closed) return Promise.reject(new Error(`The model ${folder.id} was closed`));
      text ??= loadText();
      text.catch(() => (text = null)); // a failed load is tried again on the next text
      return text;
    },
    info,
    close: async () => {
      if (closed) return;
      closed = true;
      await text?.catch(() => undefined);
      await Promise.all([visual.release(), (textual as SharedSession | null)?.release()]);
    },
  };
}
