// Decodes HEVC-coded HEIC photos for imaging/heic.ts. libheif compiled to WebAssembly decodes
// synchronously (about 0.45 s of CPU for a 12 MP photo), so it runs here rather than on the
// thread that serves searches and the UI; one worker also means one HEIC in memory at a time.
import { parentPort } from 'node:worker_threads';
import decodeHeicBuffer from 'heic-decode';
import type { HeicReply, HeicRequest } from '../core/imaging/heic-protocol.js';

const port = parentPort;
if (!port) throw new Error('heic-worker must run as a worker thread');

port.on('message', (req: HeicRequest) => {
  decodeHeicBuffer({ buffer: req.bytes }).then(
    ({ width, height, data }) => {
      // A copy we own, moved (not cloned) back: the decoder's array may view its own memory.
      const pixels = new Uint8Array(data);
      port.postMessage({ id: req.id, width, height, data: pixels } satisfies HeicReply, [pixels.buffer]);
    },
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies HeicReply),
  );
});
