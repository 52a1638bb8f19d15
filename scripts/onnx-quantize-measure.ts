// Measures the int8 variant of an image tower against fp32 (docs/QUANTIZATION.md): quantises it in
// each weight format (time, peak RSS, size), then interleaved rounds at batch 1 and 8 with 2 intra-op
// threads (median img/s, cosine to fp32 on seeded inputs), and the share of time in Conv nodes (ORT's
// profiler). On a shared machine the speeds are noisy; compare ratios from one run.
//   npx tsx scripts/onnx-quantize-measure.ts [image-tower.onnx] (default .cache/vit-b32-random/visual/model.onnx)
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { loadOrt } from '../electron/core/clip/ort.js';
import { quantizeDynamicInt8, type WeightFormat } from '../electron/core/onnx/index.js';
import { median } from '../electron/core/stats.js';
import { dot } from '../electron/core/vector-math.js';

const source = path.resolve(process.argv[2] ?? '.cache/vit-b32-random/visual/model.onnx');
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const FORMATS: WeightFormat[] = ['int8-reduced', 'uint8', 'int8'];
const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-quant-measure-'));
try {
  const variants: [string, string][] = [['fp32', source]];
  for (const format of FORMATS) {
    const file = path.join(dir, `${format}.onnx`);
    const start = performance.now();
    const report = await quantizeDynamicInt8(source, file, { weightFormat: format });
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    // maxRSS only grows: the first line is quantising alone (after Node's own ~80 MB).
    console.log(
      `${format}: ${report.quantized.MatMul} MatMul + ${report.quantized.Gemm} Gemm, ${(report.bytesBefore / 2 ** 20).toFixed(1)} → ` +
        `${(report.bytesAfter / 2 ** 20).toFixed(1)} MiB in ${seconds} s, peak RSS so far ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
    );
    variants.push([format, file]);
  }

  const ort = await loadOrt();
  const options: InferenceSession.SessionOptions = { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
  const sessions = await Promise.all(variants.map(([, file]) => ort.InferenceSession.create(file, options)));
  const first = sessions[0]!;
  const meta = first.inputMetadata[0];
  if (!meta?.isTensor) throw new Error(`${source}: its first input is not a tensor`);
  const shape = meta.shape.slice(1) as number[];
  const [inName, outName] = [first.inputNames[0]!, first.outputNames[0]!];
  for (const batch of [1, 8]) {
    const size = batch * shape.reduce((a, b) => a * b, 1);
    const x = new ort.Tensor('float32', Float32Array.from({ length: size }, (_, i) => Math.sin(i * 12.9898) * 2), [batch, ...shape]);
    const outputs: Float32Array[] = [];
    for (const s of sessions) outputs.push((await s.run({ [inName]: x }))[outName]!.data as Float32Array); // also the warm-up
    const times = sessions.map(() => [] as number[]);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, s] of sessions.entries()) {
        const t = performance.now();
        await s.run({ [inName]: x });
        times[i]!.push(performance.now() - t);
      }
    }
    const dim = outputs[0]!.length / batch;
    for (const [i, [name]] of variants.entries()) {
      const [fp32, other] = [outputs[0]!, outputs[i]!];
      let cos = 0;
      for (let b = 0; b < batch; b++) {
        const at = b * dim;
        cos += dot(fp32, at, other, at, dim) / Math.sqrt(dot(fp32, at, fp32, at, dim) * dot(other, at, other, at, dim)) / batch;
      }
      const ms = median(times[i]!);
      console.log(`batch ${batch} ${name.padEnd(12)} median ${ms.toFixed(0).padStart(5)} ms  ${((1000 * batch) / ms).toFixed(1).padStart(5)} img/s  cosine to fp32 ${cos.toFixed(5)}`);
    }
  }
  await Promise.all(sessions.map((s) => s.release()));

  // Where fp32 spends its time, by op type, from ORT's profiler (batch 8).
  const profiled = await ort.InferenceSession.create(source, { ...options, enableProfiling: true, profileFilePrefix: path.join(dir, 'profile') });
  const x = new ort.Tensor('float32', new Float32Array(8 * shape.reduce((a, b) => a * b, 1)).fill(0.5), [8, ...shape]);
  for (let r = 0; r < 3; r++) await profiled.run({ [inName]: x });
  profiled.endProfiling(); // onnxruntime-node writes profile_<date>.json and returns no name
  await profiled.release();
  const profileFile = (await readdir(dir)).find((f) => f.startsWith('profile') && f.endsWith('.json'));
  if (!profileFile) throw new Error(`ONNX Runtime wrote no profile into ${dir}`);
  const events = JSON.parse(await readFile(path.join(dir, profileFile), 'utf8')) as { cat: string; dur: number; args?: { op_name?: string } }[];
  const byOp = new Map<string, number>();
  for (const e of events) if (e.cat === 'Node' && e.args?.op_name) byOp.set(e.args.op_name, (byOp.get(e.args.op_name) ?? 0) + e.dur);
  const total = [...byOp.values()].reduce((a, b) => a + b, 0);
  const shares = [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([op, us]) => `${op} ${((100 * us) / total).toFixed(1)} %`);
  console.log(`fp32 time by op (batch 8, 3 runs): ${shares.join(', ')}; Conv ${((100 * (byOp.get('Conv') ?? 0)) / total).toFixed(1)} %`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
