// Image towers published with their batch fixed at 1 (Immich's exports are) run one photo per call.
// With the batch axis made symbolic the same graph runs 8 photos a call, which for ViT-B/32 on 2
// cores is most of the gap to a dynamic export (docs/BENCHMARKS.md). Done when a model is
// installed, to Shoebox's own copy (the person's folder is only read), and kept only when the graph
// really allows it: a batch of 2 must give what two runs of 1 give. Graphs that bake the batch
// into a Reshape fail that check (or fail to run) and keep their batch of 1.
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { loadModelFolder } from '../clip/model-folder.js';
import { sha256File } from '../clip/model-record.js';
import { loadOrt, type Ort } from '../clip/ort.js';
import { makeBatchSymbolic } from '../onnx/index.js';
import { errorMessage } from '../../common/error-message.js';

/** Largest |difference| between a batch of 2 and two runs of 1, relative to the embedding's scale. */
const PARITY_TOLERANCE = 1e-4;

export type BatchWidening =
  | { widened: true; /** Relative to the folder, '/'-separated. */ path: string; originalSha256: string }
  | { widened: false; reason: string };

/** Deterministic, photo-like (smooth, within ±2) input so parity is checked on realistic values. */
function testImage(size: number, seed: number): Float32Array {
  const pixels = new Float32Array(3 * size * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 1.5 * Math.sin(i * 0.0137 * seed + seed);
  return pixels;
}

async function run(ort: Ort, session: InferenceSession, images: Float32Array[], size: number): Promise<Float32Array> {
  const data = new Float32Array(images.length * images[0]!.length);
  images.forEach((image, i) => data.set(image, i * image.length));
  const input = new ort.Tensor('float32', data, [images.length, 3, size, size]);
  const out = await session.run({ [session.inputNames[0]!]: input });
  return out[session.outputNames[0]!]!.data as Float32Array;
}

/** True when `widened` at batch 2 gives what `original` gives one image at a time. */
async function batchParity(ort: Ort, original: string, widened: string, size: number): Promise<string | null> {
  const options = { intraOpNumThreads: 2, graphOptimizationLevel: 'all' as const };
  const [a, b] = await Promise.all([ort.InferenceSession.create(original, options), ort.InferenceSession.create(widened, options)]);
  try {
    const images = [testImage(size, 1), testImage(size, 2)];
    const one = await run(ort, a, [images[0]!], size);
    const two = await run(ort, a, [images[1]!], size);
    const both = await run(ort, b, images, size);
    if (both.length !== one.length + two.length) return `a batch of 2 gave ${both.length} values instead of ${one.length + two.length}`;
    const expected = new Float32Array([...one, ...two]);
    const scale = Math.max(...expected.map(Math.abs), 1e-6);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(both[i]! - expected[i]!) / scale);
    return worst <= PARITY_TOLERANCE ? null : `a batch of 2 differs from two runs of 1 by ${worst.toExponential(1)} (relative)`;
  } finally {
    await Promise.all([a.release(), b.release()]);
  }
}

/**
 * Makes the image tower of the model folder `dir` (Shoebox's own staged copy) take any batch, when
 * its batch is fixed at 1 and parity holds. The file is replaced in one rename; on any doubt it is
 * left as it was, and the reason is returned.
 */
export async function widenImageBatch(dir: string, variant = ''): Promise<BatchWidening> {
  let candidate: string | null = null;
  try {
    const folder = await loadModelFolder(dir, { variant });
    const file = folder.files.visualModel;
    const ort = await loadOrt();
    // A tower ONNX Runtime's CPU provider cannot open (an fp16 export for a GPU) is installed as it is.
    const probe = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'disabled' });
    const batch = (probe.inputMetadata[0] as { shape?: ReadonlyArray<number | string> } | undefined)?.shape?.[0];
    await probe.release();
    if (batch !== 1) return { widened: false, reason: `its batch is ${typeof batch === 'number' ? batch : 'already free'}` };
    candidate = `${file}.${process.pid}.batch`;
    await makeBatchSymbolic(file, candidate);
    const problem = await batchParity(ort, file, candidate, folder.imageSize);
    if (problem) return { widened: false, reason: problem };
    const originalSha256 = await sha256File(file);
    await rename(candidate, file);
    return { widened: true, path: path.relative(folder.dir, file).split(path.sep).join('/'), originalSha256 };
  } catch (err) {
    return { widened: false, reason: errorMessage(err) };
  } finally {
    if (candidate) await rm(candidate, { force: true });
  }
}
