// Reading float32 initializers and quantising a [K, N] weight matrix to 8 bits per output column.
import { DataType, int64, type TensorProto } from './schema.js';

/** The values of a float32 tensor; a view of raw_data where it is 4-byte aligned, else one copy. */
export function floatValues(tensor: TensorProto): Float32Array {
  const raw = tensor.raw_data;
  if (raw && raw.byteLength > 0) {
    if (raw.byteOffset % 4 === 0) return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    return new Float32Array(Uint8Array.prototype.slice.call(raw).buffer);
  }
  return Float32Array.from(tensor.float_data ?? []);
}

export function tensorDims(tensor: TensorProto): number[] {
  return tensor.dims.map((d) => int64(d));
}

export function isFloatTensor(tensor: TensorProto): boolean {
  return (tensor.data_type ?? 0) === DataType.FLOAT;
}

/**
 * How weights become 8-bit integers, per output column:
 * - 'int8': symmetric, zero point 0, ±127.
 * - 'int8-reduced': symmetric, ±63 (7 bits). On x86 CPUs without VNNI, ONNX Runtime multiplies
 *   uint8 activations by int8 weights with vpmaddubsw, which adds two products into a saturating
 *   int16: 255·127·2 overflows it, 255·63·2 does not (ORT's quantize_dynamic calls this reduce_range).
 * - 'uint8': asymmetric with a zero point per column; ORT runs uint8 × uint8 with 16-bit products
 *   that never saturate.
 */
export type WeightFormat = 'int8' | 'int8-reduced' | 'uint8';

export interface QuantizedMatrix {
  /** [K, N] row-major, int8 or uint8 bytes. */
  values: Uint8Array;
  /** [N] */
  scales: Float32Array;
  /** [N], int8 or uint8 bytes. */
  zeroPoints: Uint8Array;
  dataType: number;
}

/**
 * Quantises a weight of shape [K, N] (or [N, K] when `transposed`, as Gemm's transB stores it) to
 * [K, N] integers with one scale (and zero point) per output column n, so the model computes
 * A·B ≈ (A·Q) · scale[n] (minus the zero point's share).
 */
export function quantizeColumns(weight: Float32Array, k: number, n: number, transposed: boolean, format: WeightFormat): QuantizedMatrix {
  // Element (row, col) of B sits at row*n+col, or at col*k+row when stored transposed; the loops
  // below walk memory in order either way.
  const stride = transposed ? { row: 1, col: k } : { row: n, col: 1 };
  const lo = new Float32Array(n);
  const hi = new Float32Array(n);
  for (let row = 0; row < k; row++) {
    for (let col = 0; col < n; col++) {
      const w = weight[row * stride.row + col * stride.col]!;
      if (w < lo[col]!) lo[col] = w;
      if (w > hi[col]!) hi[col] = w;
    }
  }
  const signed = format !== 'uint8';
  const qmax = format === 'int8' ? 127 : format === 'int8-reduced' ? 63 : 255;
  const qmin = signed ? -qmax : 0;
  const scales = new Float32Array(n);
  const zeroPoints = new Uint8Array(n);
  for (let col = 0; col < n; col++) {
    // Symmetric: zero point 0. Asymmetric: the range [lo, hi] always holds 0, so 0 stays exact.
    let scale = signed ? Math.max(-lo[col]!, hi[col]!) / qmax : (hi[col]! - lo[col]!) / qmax;
    if (!(scale > 0)) scale = 1; // an all-zero column
    scales[col] = scale;
    zeroPoints[col] = signed ? 0 : Math.min(qmax, Math.max(0, Math.round(-lo[col]! / scale)));
  }
  const values = new Uint8Array(k * n);
  const store = signed ? new Int8Array(values.buffer) : values;
  for (let row = 0; row < k; row++) {
    for (let col = 0; col < n; col++) {
      const q = Math.round(weight[row * stride.row + col * stride.col]! / scales[col]!) + zeroPoints[col]!;
      store[row * n + col] = Math.min(qmax, Math.max(qmin, q));
    }
  }
  return { values, scales, zeroPoints, dataType: signed ? DataType.INT8 : DataType.UINT8 };
}
