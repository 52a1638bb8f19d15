// HEVC-coded HEIC (iPhone photos): sharp's prebuilt libvips reads their headers but has no
// HEVC decoder (patents; "Support for this compression format has not been built in"), while
// AV1-coded AVIF decodes natively. For these files only, libheif compiled to WebAssembly
// (heic-decode) produces RGBA that sharp then takes as raw input.
//
// libheif applies the file's own rotation/mirroring (irot/imir) while decoding, which is how
// HEIF is meant to be displayed (EXIF orientation is not to be applied on top), so the pixels
// come out upright. The decode is synchronous WebAssembly, so it runs in one worker thread
// (electron/workers/heic-worker), started on the first HEIC and idle-unreferenced after.
import type { Worker } from 'node:worker_threads';
import { startWorker, workerEntry } from '../workers/start-worker.js';
import type { HeicReply, HeicRequest } from './heic-protocol.js';

export interface RgbaImage {
  data: Buffer;
  width: number;
  height: number;
}

interface Pending {
  resolve(image: RgbaImage): void;
  reject(err: Error): void;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 1;

function failAll(reason: string): void {
  worker = null;
  for (const p of pending.values()) p.reject(new Error(reason));
  pending.clear();
}

function heicWorker(): Worker {
  if (worker) return worker;
  const w = startWorker(workerEntry('heic-worker', import.meta.url), null);
  w.on('message', (reply: HeicReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref(); // an idle decoder never keeps the process alive
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve({ width: reply.width, height: reply.height, data: Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength) });
  });
  w.on('error', (err) => failAll(`the HEIC decoder crashed: ${err.message}`));
  w.on('exit', (code) => failAll(`the HEIC decoder stopped (code ${code})`));
  worker = w;
  return w;
}

export function decodeHeic(bytes: Buffer): Promise<RgbaImage> {
  const w = heicWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, bytes } satisfies HeicRequest);
  });
}
