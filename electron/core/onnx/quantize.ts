// Dynamic int8 quantisation of an fp32 ONNX model, in the spirit of ONNX Runtime's quantize_dynamic:
// the constant weights of MatMul and Gemm become 8-bit integers per output column, and activations
// are quantised at run time. Everything else (nodes, initializers, inputs/outputs, metadata,
// opsets) is kept as it is.
// Conv stays float: ViT-B/32's patch-embedding Conv took 3.0 % of the fp32 tower's time (ORT
// profiler, batch 8; MatMul and Gemm 89 %), and CLIP's other towers are MatMul/Gemm too.
import { stat } from 'node:fs/promises';
import { allGraphs, allNodes, externalTensorNames, readModel, writeModel } from './model-file.js';
import { DataType, int64, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './schema.js';
import { floatValues, isFloatTensor, quantizeColumns, tensorDims, type QuantizedMatrix, type WeightFormat } from './weights.js';

export interface QuantizeOptions {
  /** Weights with fewer elements stay float: their share of the time is small (default 16384). */
  minElements?: number;
  /** How weights are stored; see WeightFormat (default chosen by measurement, docs/QUANTIZATION.md). */
  weightFormat?: WeightFormat;
}

export interface SkippedNode {
  node: string;
  opType: string;
  reason: string;
}

export interface QuantizeReport {
  source: string;
  destination: string;
  weightFormat: WeightFormat;
  /** MatMul and Gemm nodes replaced, by original op type. */
  quantized: { MatMul: number; Gemm: number };
  /** MatMul/Gemm nodes with a constant weight that stayed float, and why. */
  skipped: SkippedNode[];
  bytesBefore: number;
  bytesAfter: number;
}

export const DEFAULT_MIN_ELEMENTS = 16_384;
// Measured on the ViT-B/32-shaped tower (AVX2 without VNNI, docs/QUANTIZATION.md): full-range
// int8 lost accuracy to saturation (cosine 0.991 to fp32), uint8 weights were exact (0.9999) but ran
// on ORT's slower uint8×uint8 kernel, 7-bit int8 was both exact (0.9999) and the fastest.
export const DEFAULT_WEIGHT_FORMAT: WeightFormat = 'int8-reduced';
/** DynamicQuantizeLinear, the first op of each quantised product, exists from opset 11 on. */
const MIN_OPSET = 11;

/** Ops that only a quantised model holds: quantising it again would stack errors. */
const QUANTIZED_OPS = new Set([
  'DynamicQuantizeMatMul', 'MatMulInteger', 'MatMulIntegerToFloat', 'DynamicQuantizeLinear', 'QuantizeLinear',
  'DequantizeLinear', 'QLinearMatMul', 'QLinearConv', 'ConvInteger', 'QGemm', 'QAttention', 'MatMulNBits',
  'DynamicQuantizeLSTM', 'QOrderedMatMul',
]);

function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}

function isDefaultDomain(node: NodeProto): boolean {
  return !node.domain || node.domain === 'ai.onnx';
}

class NameSource {
  private readonly used = new Set<string>();
  constructor(model: ModelProto) {
    for (const graph of model.graph ? allGraphs(model.graph) : []) {
      for (const t of graph.initializer) this.used.add(t.name ?? '');
      for (const v of [...graph.input, ...graph.output, ...(graph.value_info ?? [])]) this.used.add(v.name ?? '');
    }
    for (const node of allNodes(model)) {
      for (const name of [...node.input, ...node.output, node.name ?? '']) this.used.add(name);
    }
  }
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

interface Plan {
  node: NodeProto;
  weight: TensorProto;
  k: number;
  n: number;
  transposed: boolean;
  alpha: number;
  /** Gemm's C as a float [N] vector, already multiplied by beta. */
  bias?: Float32Array;
  /** Gemm's C when it is computed (not a constant) and beta is 1: added after the product. */
  addend?: string;
}

/** Gemm's C folded to a [N] bias, when it is a float constant that broadcasts along rows. */
function gemmBias(node: NodeProto, initializers: Map<string, TensorProto>, n: number, beta: number): Float32Array | string | undefined {
  const name = node.input[2];
  if (!name) return undefined;
  const c = initializers.get(name);
  if (!c || !isFloatTensor(c)) return 'its C input is not float32';
  const dims = tensorDims(c);
  const size = dims.reduce((a, b) => a * b, 1);
  const rowVector = dims.length === 0 || (dims.length === 1 && (dims[0] === n || dims[0] === 1)) || (dims.length === 2 && dims[0] === 1 && (dims[1] === n || dims[1] === 1));
  if (!rowVector) return `its C input has shape [${dims.join(',')}], not a row of ${n}`;
  const values = floatValues(c);
  const bias = new Float32Array(n);
  for (let i = 0; i < n; i++) bias[i] = beta * values[size === 1 ? 0 : i]!;
  return bias;
}

function planNode(node: NodeProto, graph: GraphProto, initializers: Map<string, TensorProto>, minElements: number): Plan | string | undefined {
  const weightName = node.input[1];
  const weight = weightName === undefined ? undefined : initializers.get(weightName);
  if (!weight) return undefined; // a MatMul of two activations (attention): nothing to quantise
  if (graph.input.some((v) => v.name === weightName)) return 'its weight is also a graph input, so it can be overridden';
  if (!isFloatTensor(weight)) return 'its weight is not float32';
  const dims = tensorDims(weight);
  if (dims.length !== 2) return `its weight has ${dims.length} dimensions, not 2`;
  const [rows, cols] = dims as [number, number];
  if (rows * cols < minElements) return `its weight has ${rows * cols} elements, fewer than ${minElements}`;
  const values = floatValues(weight);
  if (values.length !== rows * cols) return 'its weight holds no data of its own';
  if (!values.every(Number.isFinite)) return 'its weight holds NaN or infinite values';
  if (node.op_type === 'MatMul') return { node, weight, k: rows, n: cols, transposed: false, alpha: 1 };

  if (int64(attribute(node, 'transA')?.i) !== 0) return 'it transposes its A input (transA)';
  const transposed = int64(attribute(node, 'transB')?.i) !== 0;
  const [k, n] = transposed ? [cols, rows] : [rows, cols];
  const alpha = attribute(node, 'alpha')?.f ?? 1;
  const beta = attribute(node, 'beta')?.f ?? 1;
  const c = node.input[2];
  if (c && !initializers.has(c)) {
    // e.g. a bias that PyTorch's exporter routes through an Identity node
    return beta === 1 ? { node, weight, k, n, transposed, alpha, addend: c } : 'its C input is computed and beta is not 1';
  }
  const bias = gemmBias(node, initializers, n, beta);
  if (typeof bias === 'string') return bias;
  return bias ? { node, weight, k, n, transposed, alpha, bias } : { node, weight, k, n, transposed, alpha };
}

function floatTensor(name: string, values: Float32Array, dims: number[]): TensorProto {
  return { name, dims, data_type: DataType.FLOAT, raw_data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}

/** The new nodes and initializers that compute one planned MatMul/Gemm from quantised weights. */
function rewrite(plan: Plan, q: QuantizedMatrix, names: NameSource): { nodes: NodeProto[]; initializers: TensorProto[] } {
  const base = plan.weight.name ?? 'weight';
  const scales = plan.alpha === 1 ? q.scales : q.scales.map((s) => s * plan.alpha);
  const weightQ: TensorProto = { name: names.fresh(`${base}_quantized`), dims: [plan.k, plan.n], data_type: q.dataType, raw_data: q.values };
  const scale = floatTensor(names.fresh(`${base}_scale`), scales, [plan.n]);
  const zero: TensorProto = { name: names.fresh(`${base}_zero_point`), dims: [plan.n], data_type: q.dataType, raw_data: q.zeroPoints };
  const initializers = [weightQ, scale, zero];
  const bias = plan.bias ? floatTensor(names.fresh(`${base}_bias`), plan.bias, [plan.n]) : undefined;
  if (bias) initializers.push(bias);
  const input = plan.node.input[0] ?? '';
  const nodeName = plan.node.name || (plan.node.output[0] ?? '');
  const t = (suffix: string) => names.fresh(`${nodeName}_${suffix}`);
  // With a computed C, the product goes to a new name and an Add writes the node's own output.
  const output = plan.addend ? t('product') : (plan.node.output[0] ?? '');
  // Standard ONNX ops, the form of ORT's own quantize_dynamic. ORT (optimisation level 'extended' or
  // 'all', as Shoebox runs) fuses each chain and a following bias Add into one com.microsoft
  // DynamicQuantizeMatMul; writing that op directly measured no faster and kept the bias Adds
  // apart (73 Adds left on ViT-B/32 instead of 37), and these ops also run on other providers.
  const [aq, aScale, aZero, product, productF, combined] = [t('a_quantized'), t('a_scale'), t('a_zero_point'), t('int32'), t('float'), t('scale')];
  const mulOut = bias ? t('unbiased') : output;
  const nodes: NodeProto[] = [
    { name: t('DynamicQuantizeLinear'), op_type: 'DynamicQuantizeLinear', input: [input], output: [aq, aScale, aZero] },
    { name: t('MatMulInteger'), op_type: 'MatMulInteger', input: [aq, weightQ.name!, aZero, zero.name!], output: [product] },
    { name: t('Cast'), op_type: 'Cast', input: [product], output: [productF], attribute: [{ name: 'to', type: 2, i: DataType.FLOAT }] },
    { name: t('ScaleMul'), op_type: 'Mul', input: [aScale, scale.name!], output: [combined] },
    { name: t('Mul'), op_type: 'Mul', input: [productF, combined], output: [mulOut] },
  ];
  if (bias) nodes.push({ name: t('Add'), op_type: 'Add', input: [mulOut, bias.name!], output: [output] });
  if (plan.addend) nodes.push({ name: t('AddC'), op_type: 'Add', input: [output, plan.addend], output: [plan.node.output[0] ?? ''] });
  return { nodes, initializers };
}

/** Initializers that no node of any graph (nor a graph output) reads any more. */
function dropUnused(model: ModelProto, candidates: Set<string>): void {
  const read = new Set<string>();
  for (const node of allNodes(model)) for (const name of node.input) read.add(name);
  for (const graph of model.graph ? allGraphs(model.graph) : []) for (const out of graph.output) read.add(out.name ?? '');
  const graph = model.graph!;
  graph.initializer = graph.initializer.filter((t) => !candidates.has(t.name ?? '') || read.has(t.name ?? ''));
}

/** Quantises a decoded model in place; returns what changed. Throws when there is nothing to quantise. */
export function quantizeModel(model: ModelProto, file: string, options: QuantizeOptions = {}): Omit<QuantizeReport, 'source' | 'destination' | 'bytesBefore' | 'bytesAfter'> {
  const external = externalTensorNames(model);
  if (external.length > 0) {
    throw new Error(`${file} keeps its weights in external data files (${external.slice(0, 3).join(', ')}${external.length > 3 ? ' …' : ''}); Shoebox can only quantise a model stored in one file`);
  }
  const already = [...allNodes(model)].find((n) => QUANTIZED_OPS.has(n.op_type ?? ''));
  if (already) throw new Error(`${file} is already quantised (it has a ${already.op_type} node)`);
  const opset = int64(model.opset_import.find((o) => !o.domain || o.domain === 'ai.onnx')?.version);
  if (opset < MIN_OPSET) throw new Error(`${file} uses ONNX opset ${opset}; quantising needs opset ${MIN_OPSET} or later (re-export the model)`);

  const minElements = options.minElements ?? DEFAULT_MIN_ELEMENTS;
  const weightFormat = options.weightFormat ?? DEFAULT_WEIGHT_FORMAT;
  const graph = model.graph!;
  const initializers = new Map(graph.initializer.map((t) => [t.name ?? '', t]));
  const names = new NameSource(model);
  const quantized = { MatMul: 0, Gemm: 0 };
  const skipped: SkippedNode[] = [];
  const replaced = new Set<string>();
  const done = new Map<string, QuantizedMatrix>(); // a weight shared by several nodes is quantised once
  const newInitializers: TensorProto[] = [];
  const nodes: NodeProto[] = [];
  for (const node of graph.node) {
    const opType = node.op_type ?? '';
    const plan = (opType === 'MatMul' || opType === 'Gemm') && isDefaultDomain(node) ? planNode(node, graph, initializers, minElements) : undefined;
    if (plan === undefined || typeof plan === 'string') {
      if (typeof plan === 'string') skipped.push({ node: node.name || (node.output[0] ?? ''), opType, reason: plan });
      nodes.push(node);
      continue;
    }
    const key = `${plan.weight.name}|${plan.transposed}`;
    let q = done.get(key);
    if (!q) {
      q = quantizeColumns(floatValues(plan.weight), plan.k, plan.n, plan.transposed, weightFormat);
      done.set(key, q);
    }
    const out = rewrite(plan, q, names);
    nodes.push(...out.nodes);
    newInitializers.push(...out.initializers);
    replaced.add(plan.weight.name ?? '');
    if (plan.bias && plan.node.input[2]) replaced.add(plan.node.input[2]);
    quantized[opType as 'MatMul' | 'Gemm']++;
  }
  if (quantized.MatMul + quantized.Gemm === 0) {
    const why = skipped.length > 0 ? `: ${skipped.map((s) => `${s.opType} ${s.node} (${s.reason})`).slice(0, 3).join('; ')}` : '';
    throw new Error(`${file} has no MatMul or Gemm with a float32 weight worth quantising${why}`);
  }
  graph.node = nodes;
  graph.initializer.push(...newInitializers);
  dropUnused(model, replaced);
  return { weightFormat, quantized, skipped };
}

/** Reads `source`, quantises it, and writes the int8 model to `destination` (atomically). */
export async function quantizeDynamicInt8(source: string, destination: string, options: QuantizeOptions = {}): Promise<QuantizeReport> {
  const model = await readModel(source);
  const bytesBefore = (await stat(source)).size;
  const result = quantizeModel(model, source, options);
  const bytesAfter = await writeModel(destination, model);
  return { source, destination, ...result, bytesBefore, bytesAfter };
}
