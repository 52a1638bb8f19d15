// The indexing pipeline: files the scan planned → read + hash + decode once (several at a time on
// libuv's thread pool) → batches → image encoder (inference worker) → thumbnail on disk + one
// store transaction per photo. Decoding starts before the image tower has loaded, the next batch
// is already queued in the worker while one runs (so the tower never waits for this thread), and
// thumbnails and rows are committed beside the encoder, not in its way: the slower of decoding
// and encoding sets the pace (docs/BENCHMARKS.md has the measured profile).
//
// A failure of one file (unreadable, corrupt, too large) is recorded against that file and the
// run goes on; a failure of the encoder fails the batch's files with the reason; a failure of
// the store, or an encoder that cannot load, ends the run with that error. Cancellation stops
// taking new files; photos already committed stay committed.
import { readFile } from 'node:fs/promises';
import { ImageDecodeError, preparePhoto, type PreparedPhoto, type PreprocessConfig } from '../imaging/decode.js';
import { readError } from '../imaging/errors.js';
import { writeThumbnail } from '../imaging/thumbnails.js';
import type { Store } from '../store/index.js';
import type { ErrorStage } from '../store/errors.js';
import { hashBytesOffThread } from './hash.js';
import { IndexClock, type IndexTimings } from './index-timings.js';
import type { IndexCandidate } from './scan.js';
import { errorMessage } from '../../common/error-message.js';

export type EncodeImages = (batch: Float32Array[]) => Promise<Float32Array[]>;

export interface ImageEncoder {
  encode: EncodeImages;
  /** Images per encoder call (the model's batch when fixed, else a good size for throughput). */
  batchSize: number;
}

export interface IndexerDeps {
  store: Store;
  modelId: string;
  preprocess: PreprocessConfig;
  /** The image encoder, or its loading: photos are decoded meanwhile. */
  encoder: ImageEncoder | Promise<ImageEncoder>;
  /** Thumbnail cache folder. */
  thumbnailsDir: string;
}

export interface IndexerOptions {
  signal?: AbortSignal;
  /** Photos decoded at once; default 4 (libuv's default pool size). */
  decodeConcurrency?: number;
  /** Batches sent to the encoder before the first comes back; default 2 (one runs, one waits). */
  encodeDepth?: number;
  thumbSize?: number;
  onProgress?: (p: { done: number; total: number; currentFile: string | null }) => void;
  /** Called after each committed batch with the new vectors (for the in-memory search index). */
  onCommitted?: (items: { photoId: number; vector: Float32Array }[]) => void;
  /** Where the time goes; one is made when not given. */
  clock?: IndexClock;
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
  timings: IndexTimings;
}

interface Prepared {
  candidate: IndexCandidate;
  contentHash: string;
  photo: PreparedPhoto;
}

type Fail = (c: IndexCandidate, stage: ErrorStage, code: string | null, reason: string) => void;

export async function indexCandidates(deps: IndexerDeps, candidates: readonly IndexCandidate[], opts: IndexerOptions = {}): Promise<IndexRunResult> {
  const { signal, decodeConcurrency = 4, encodeDepth = 2, thumbSize = 320, clock = new IndexClock() } = opts;
  const total = candidates.length;
  const failures: IndexFailure[] = [];
  let indexed = 0;
  let done = 0;
  let currentFile: string | null = null;
  const report = (): void => opts.onProgress?.({ done, total, currentFile });

  const fail: Fail = (c, stage, code, reason) => {
    failures.push({ path: c.path, stage, code, reason });
    done++;
    report();
    deps.store.photos.recordFailure(c.path, c.rootId, stage, code, reason);
  };

  // Bounded hand-over between the decoders and the encoder loop: decoders wait while it is full.
  // Until the encoder is known its batch is not, so the room assumes the usual batch of 8.
  const ready: Prepared[] = [];
  let capacity = Math.max(16, decodeConcurrency);
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
  // An encoder that fails to load ends the run at once, even before any photo is decoded (or when
  // none ever is): the rejection is handled here, never left unhandled.
  const encoderReady = Promise.resolve(deps.encoder);
  encoderReady.catch(halt);

  let next = 0;
  const decoder = async (): Promise<void> => {
    try {
      while (next < total && !stopping()) {
        const candidate = candidates[next++]!;
        currentFile = candidate.path;
        const started = performance.now();
        const prepared = await prepareOne(candidate, deps, thumbSize, fail);
        clock.add('decodeBusy', (performance.now() - started) / 1000);
        if (!prepared) continue;
        clock.reach('firstDecoded');
        const blocked = performance.now();
        while (ready.length >= capacity && !stopping()) await new Promise<void>((r) => wakeDecoders.push(r));
        clock.add('decodersBlocked', (performance.now() - blocked) / 1000);
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

  // Commits run one after another, in the order the batches were encoded, beside the encoder.
  let commits: Promise<void> = Promise.resolve();
  const commitAfter = (batch: Prepared[], vectors: Promise<Float32Array[] | null>): void => {
    commits = commits.then(async () => {
      const encoded = await vectors;
      if (!encoded || fatal) return;
      const started = performance.now();
      const committed = await commitBatch(batch, encoded, deps, fail);
      clock.add('commitBusy', (performance.now() - started) / 1000);
      indexed += committed.length;
      done += committed.length;
      if (committed.length > 0) {
        clock.committed();
        opts.onCommitted?.(committed);
      }
      report();
    }).catch(halt);
  };

  // After a cancel, photos already decoded are still encoded and committed (at most `capacity`).
  const encoderLoop = async (): Promise<void> => {
    try {
      // Not before a photo is ready: when every file fails, the encoder is never needed.
      while (ready.length === 0 && decodersLeft > 0 && !fatal) await new Promise<void>((r) => (wakeEncoder = r));
      if (ready.length === 0 || fatal) return;
      const encoder = await encoderReady;
      clock.reach('modelReady');
      capacity = Math.max(2 * encodeDepth * encoder.batchSize, decodeConcurrency);
      releaseDecoders(); // they may be waiting at the room assumed before the batch was known
      const inFlight: Promise<unknown>[] = [];
      let running = 0;
      let idleSince = performance.now();
      let busySince = idleSince;
      while (!fatal) {
        if (ready.length < encoder.batchSize && decodersLeft > 0) {
          await new Promise<void>((r) => (wakeEncoder = r));
          continue;
        }
        if (ready.length === 0) break;
        const batch = ready.splice(0, encoder.batchSize);
        releaseDecoders();
        // Busy while at least one batch is in the worker, idle (and waiting for photos) otherwise.
        if (running++ === 0) {
          clock.add('encoderIdle', (performance.now() - idleSince) / 1000);
          busySince = performance.now();
        }
        const vectors = encodeBatch(batch, encoder, fail).finally(() => {
          clock.reach('firstEncoded');
          if (--running > 0) return;
          idleSince = performance.now();
          clock.add('encodeBusy', (idleSince - busySince) / 1000);
        });
        commitAfter(batch, vectors);
        clock.timings.batches++;
        inFlight.push(vectors);
        if (inFlight.length >= encodeDepth) await inFlight.shift();
      }
      await Promise.all(inFlight);
    } catch (err) {
      halt(err);
    }
  };

  report();
  const decoders = Array.from({ length: Math.max(1, decodeConcurrency) }, decoder);
  await Promise.all([...decoders, encoderLoop()]);
  await commits;
  signal?.removeEventListener('abort', releaseDecoders);
  if (fatal) throw (fatal as { error: unknown }).error;
  return { indexed, failures, cancelled: signal?.aborted === true && done < total, timings: clock.report() };
}

async function prepareOne(
  candidate: IndexCandidate,
  deps: IndexerDeps,
  thumbSize: number,
  fail: Fail,
): Promise<Prepared | null> {
  try {
    // One read: the same bytes give the content hash (moved-file detection) and the decode.
    const bytes = await readFile(candidate.path).catch((err: unknown) => {
      throw readError(candidate.path, err);
    });
    const [contentHash, photo] = await Promise.all([
      candidate.contentHash ?? hashBytesOffThread(bytes),
      preparePhoto(candidate.path, deps.preprocess, { thumbSize, bytes }),
    ]);
    return { candidate, contentHash, photo };
  } catch (err) {
    if (err instanceof ImageDecodeError) fail(candidate, 'decode', err.code, err.message);
    else fail(candidate, 'decode', errorCode(err), `${candidate.path}: ${errorMessage(err)}`);
    return null;
  }
}

/** The batch's vectors, or null when the encoder failed (its photos are then failed with the reason). */
async function encodeBatch(batch: Prepared[], encoder: ImageEncoder, fail: Fail): Promise<Float32Array[] | null> {
  try {
    return await encoder.encode(batch.map((p) => p.photo.pixels));
  } catch (err) {
    for (const p of batch) fail(p.candidate, 'encode', null, `${p.candidate.path}: the image encoder failed: ${errorMessage(err)}`);
    return null;
  }
}

async function commitBatch(batch: Prepared[], vectors: Float32Array[], deps: IndexerDeps, fail: Fail): Promise<{ photoId: number; vector: Float32Array }[]> {
  // The batch's thumbnails at once (file system work on libuv's threads), then one row each.
  const thumbnails = await Promise.allSettled(batch.map((p) => writeThumbnail(deps.thumbnailsDir, p.contentHash, p.photo.thumbnail)));
  const committed: { photoId: number; vector: Float32Array }[] = [];
  for (let i = 0; i < batch.length; i++) {
    const { candidate, contentHash, photo } = batch[i]!;
    const vector = vectors[i]!;
    try {
      const thumb = thumbnails[i]!;
      if (thumb.status === 'rejected') throw thumb.reason;
      const m = photo.metadata;
      const photoId = deps.store.photos.commitIndexed({
        path: candidate.path,
        rootId: candidate.rootId,
        relPath: candidate.relPath,
        size: candidate.size,
        mtimeMs: candidate.mtimeMs,
        contentHash,
        thumbPath: thumb.value,
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
