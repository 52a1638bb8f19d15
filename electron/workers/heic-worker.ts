// Decodes HEVC-coded HEIC photos for imaging/heic.ts. libheif compiled to WebAssembly decodes
// synchronously (about 0.45 s of CPU for a 12 MP photo), so it runs here rather than on the
// thread that serves searches and the UI; one worker also means one HEIC in memory at a time.
import { parentPort } from 'node:worker_threads';
import decodeHeicBuffer from 'heic-decode';
import type { HeicMethods } from '../core/imaging/heic-protocol.js';
import { serveRpc, type RpcAnswer } from '../core/workers/rpc.js';

const port = parentPort;
if (!port) throw new Error('heic-worker must run as a worker thread');

serveRpc(
  port,
  {
    async decode(params): Promise<RpcAnswer> {
      const { bytes } = params as HeicMethods['decode']['params'];
      const { width, height, data } = await decodeHeicBuffer({ buffer: bytes });
      // A copy we own, moved (not cloned) back: the decoder's array may view its own memory.
      const pixels = new Uint8Array(data);
      const result: HeicMethods['decode']['result'] = { width, height, data: pixels };
      return { result, transfer: [pixels.buffer] };
    },
  },
  { name: 'heic-worker' },
);
