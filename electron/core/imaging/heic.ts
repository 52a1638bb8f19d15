// HEVC-coded HEIC (iPhone photos): sharp's prebuilt libvips reads their headers but has no
// HEVC decoder (patents; "Support for this compression format has not been built in"), while
// AV1-coded AVIF decodes natively. For these files only, libheif compiled to WebAssembly
// (heic-decode) produces RGBA that sharp then takes as raw input.
//
// libheif applies the file's own rotation/mirroring (irot/imir) while decoding, which is how
// HEIF is meant to be displayed (EXIF orientation is not to be applied on top), so the pixels
// come out upright. The decode is synchronous WebAssembly, so it runs in one worker thread
// (electron/workers/heic-worker), started on the first HEIC and idle-unreferenced after.
import { RpcClient } from '../workers/rpc.js';
import { startWorker, workerEntry } from '../workers/start-worker.js';
import type { HeicMethods } from './heic-protocol.js';

export interface RgbaImage {
  data: Buffer;
  width: number;
  height: number;
}

let decoder: RpcClient<HeicMethods> | null = null;

function heicDecoder(): RpcClient<HeicMethods> {
  if (decoder && decoder.failed === undefined) return decoder;
  const worker = startWorker(workerEntry('heic-worker', import.meta.url), null);
  const client = new RpcClient<HeicMethods>(worker);
  worker.on('message', (m: unknown) => client.receive(m));
  worker.on('error', (err) => client.fail(`the HEIC decoder crashed: ${err.message}`));
  worker.on('exit', (code) => client.fail(`the HEIC decoder stopped (code ${code})`));
  decoder = client;
  return client;
}

export async function decodeHeic(bytes: Buffer): Promise<RgbaImage> {
  const { width, height, data } = await heicDecoder().call('decode', { bytes });
  return { width, height, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
}
