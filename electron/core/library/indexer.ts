// The indexing pipeline: files the scan planned → read + hash + decode once (several at a time on
// libuv's thread pool) → batches → image encoder (inference worker) → thumbnail on disk + one
// store transaction per photo. Decoding of the next photos goes on while a batch is encoded, so
// the slower of the two stages sets the pace (see test/bench for the measured efficiency).
//
// A failure of one file (unreadable, corrupt, too large) is recorded against that file and the
// run goes on; a failure of the encoder fails the batch's files with the reason; a failure of
// the store ends the run with that error. Cancellation stops taking new files; photos already
// committed stay committed.
import { readFile } from 'node:fs/promises';
import { ImageDecodeError, preparePhoto, type PreparedPhoto, type PreprocessConfig } from '../imaging/decode.js';
import { readError } from '../imaging/errors.js';
import { writeThumbnail } from '../imaging/thumbnails.js';
import type { Store } from '../store/index.js';
import type { ErrorStage } from '../store/errors.js';
import { hashBytes } from './hash.js';
import type { IndexCandidate } from './scan.js';
import { errorMessage } from '../../common/error-message.js';

export type EncodeImages = (batch: Float32Array[]) => Promise<Float32Array[]>;

export interface IndexerDeps {
  store: Store;
  modelId: string;
  preprocess: PreprocessConfig;
  encodeImages: EncodeImages;
  /** Thumbnail cache folder. */
  thumbnailsDir: string;
  /** Images per encoder call (the model's batch when fixed, else a good size for throughput). */
  batchSize: number;
}

export interface IndexerOptions {
  signal?: AbortSignal;
  /** Photos decoded at once; default 4 (libuv's default pool size). */
  decodeConcurrency?: number;
  thumbSize?: number;
  onProgress?: (p: { done: number; total: number; currentFile: string | null }) => void;
  /** Called after each committed batch with the new vectors (for the in-memory search index). */
  onCommitted?: (items: { photoId: number; vector: Float32Array }[]) => void;
}

export interface IndexFailure {
  path: string;
  stage: ErrorStage;
  code: string | null;
  reason: string;
}

export interface IndexRunResult {
  indexed: number;
  failures: IndexFailure[];
  cancelled: boolean;
}

interface Prepared {
  candidate: IndexCandidate;
  contentHash: string;
  photo: PreparedPhoto;
}

export async function indexCandidates(deps: IndexerDeps, candidates: readonly IndexCandidate[], opts: IndexerOptions = {}): Promise<IndexRunResult> {
  const { signal, decodeConcurrency = 4, thumbSize = 320 } = opts;
  const total = candidates.length;
  const failures: IndexFailure[] = [];
  let indexed = 0;
  let done = 0;
  let currentFile: string | null = null;
  const report = (): void => opts.onProgress?.({ done, total, currentFile });

  const fail = (c: IndexCandidate, stage: ErrorStage, code: string | null, reason: string): void => {
    failures.push({ path: c.path, stage, code, reason });
    done++;
    report();
    deps.store.photos.recordFailure(c.path, c.rootId, stage, code, reason);
  };

  // Bounded hand-over between the decoders and the encoder loop: decoders wait while it is full.
  const ready: Prepared[] = [];
  const capacity = Math.max(2 * deps.batchSize, decodeConcurrency);
  let wakeEncoder: (() => void) | null = null;
  let wakeDecoders: (() => void)[] = [];
  let decodersLeft = decodeConcurrency;
  const notifyEncoder = (): void => {
    wakeEncoder?.();
    wakeEncoder = null;
  };
  const releaseDecoders = (): void => {
    const waiting = wakeDecoders;
    wakeDecoders = [];
    for (const w of waiting) w();
  };

  // A store error (disk full, database closed) ends the run: every loop stops, nobody is left
  // waiting, and the error is rethrown once all have returned.
  let fatal: { error: unknown } | null = null;
  const halt = (error: unknown): void => {
    fatal ??= { error };
    releaseDecoders();
    notifyEncoder();
  };
  const stopping = (): boolean => fatal !== null || signal?.aborted === true;
  signal?.addEventListener('abort', releaseDecoders, { once: true });

  let next = 0;
  const decoder = async (): Promise<void> => {
    try {
      while (next < total && !stopping()) {
        const candidate = candidates[next++]!;
        currentFile = candidate.path;
        const prepared = await prepareOne(candidate, deps, thumbSize, fail);
        if (!prepared) continue;
        while (ready.length >= capacity && !stopping()) await new Promise<void>((r) => wakeDecoders.push(r));
        if (fatal) return;
        ready.push(prepared);
        notifyEncoder();
      }
    } catch (err) {
      halt(err);
    } finally {
      decodersLeft--;
      notifyEncoder();
    }
  };

  // After a cancel, photos already decoded are still encoded and committed (at most `capacity`).
  const encoderLoop = async (): Promise<void> => {
    try {
      while (!fatal) {
        if (ready.length < deps.batchSize && decodersLeft > 0) {
          await new Promise<void>((r) => (wakeEncoder = r));
          continue;
        }
        if (ready.length === 0) return;
        const batch = ready.splice(0, deps.batchSize);
        releaseDecoders();
        const committed = await encodeAndCommit(batch, deps, fail);
        indexed += committed.length;
        done += committed.length;
        if (committed.length > 0) opts.onCommitted?.(committed);
        report();
      }
    } catch (err) {
      halt(err);
    }
  };

  report();
  const decoders = Array.from({ length: Math.max(1, decodeConcurrency) }, decoder);
  await Promise.all([...decoders, encoderLoop()]);
  signal?.removeEventListener('abort', releaseDecoders);
  if (fatal) throw (fatal as { error: unknown }).error;
  return { indexed, failures, cancelled: signal?.aborted === true && done < total };
}

async function prepareOne(
  candidate: IndexCandidate,
  deps: IndexerDeps,
  thumbSize: number,
  fail: (c: IndexCandidate, stage: ErrorStage, code: string | null, reason: string) => void,
): Promise<Prepared | null> {
  try {
    // One read: the same bytes give the content hash (moved-file detection) and the decode.
    const bytes = await readFile(candidate.path).catch((err: unknown) => {
      throw readError(candidate.path, err);
    });
    const contentHash = candidate.contentHash ?? hashBytes(bytes);
    const photo = await preparePhoto(candidate.path, deps.preprocess, { thumbSize, bytes });
    return { candidate, contentHash, photo };
  } catch (err) {
    if (err instanceof ImageDecodeError) fail(candidate, 'decode', err.code, err.message);
    else fail(candidate, 'decode', errorCode(err), `${candidate.path}: ${errorMessage(err)}`);
    return null;
  }
}

async function encodeAndCommit(
  batch: Prepared[],
  deps: IndexerDeps,
  fail: (c: IndexCandidate, stage: ErrorStage, code: string | null, reason: string) => void,
): Promise<{ photoId: number; vector: Float32Array }[]> {
  let vectors: Float32Array[];
  try {
    vectors = await deps.encodeImages(batch.map((p) => p.photo.pixels));
  } catch (err) {
    for (const p of batch) fail(p.candidate, 'encode', null, `${p.candidate.path}: the image encoder failed: ${errorMessage(err)}`);
    return [];
  }
  const committed: { photoId: number; vector: Float32Array }[] = [];
  for (let i = 0; i < batch.length; i++) {
    const { candidate, contentHash, photo } = batch[i]!;
    const vector = vectors[i]!;
    try {
      const thumbPath = await writeThumbnail(deps.thumbnailsDir, contentHash, photo.thumbnail);
      const m = photo.metadata;
      const photoId = deps.store.photos.commitIndexed({
        path: candidate.path,
        rootId: candidate.rootId,
        relPath: candidate.relPath,
        size: candidate.size,
        mtimeMs: candidate.mtimeMs,
        contentHash,
        thumbPath,
        width: photo.width,
        height: photo.height,
        format: photo.format,
        takenAt: m.takenAt ? Date.parse(m.takenAt) : null,
        cameraMake: m.cameraMake,
        cameraModel: m.cameraModel,
        latitude: m.latitude,
        longitude: m.longitude,
        embedding: { modelId: deps.modelId, vector },
      });
      committed.push({ photoId, vector });
    } catch (err) {
      fail(candidate, 'store', errorCode(err), `${candidate.path}: could not be saved: ${errorMessage(err)}`);
    }
  }
  return committed;
}

function errorCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
