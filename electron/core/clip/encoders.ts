// Image and text encoders over a shared ONNX session: batch the inputs the way the model allows
// (chunks for a dynamic batch axis, padded fixed-size batches otherwise), feed the model's own
// input name and dtype, and return one L2-normalised Float32Array per input.
// (Named Clip*Encoder so that importing them never shadows the global TextEncoder.)
import type { Tensor } from 'onnxruntime-node';
import { normalizeInto } from '../vector-math.js';
import type { Ort } from './ort.js';
import { isFreeDim, type SharedSession } from './session.js';
import type { ClipTokenizer } from './tokenizer.js';

type Feed = Float32Array | BigInt64Array | Int32Array;

/** A zero-filled copy of `data` with room for `length` values. */
function padRows<T extends Feed>(data: T, length: number): T {
  if (data instanceof Float32Array) {
    const padded = new Float32Array(length);
    padded.set(data);
    return padded as T;
  }
  if (data instanceof Int32Array) {
    const padded = new Int32Array(length);
    padded.set(data);
    return padded as T;
  }
  const padded = new BigInt64Array(length);
  padded.set(data);
  return padded as T;
}

/**
 * Runs rows [n, rowLength] through the session in model-sized batches; returns n normalised
 * embeddings. `mask`, when the model takes an attention mask, holds rows of the same shape.
 */
async function runBatched<T extends Feed>(
  ort: Ort,
  shared: SharedSession,
  file: string,
  rows: T,
  n: number,
  rowShape: readonly number[],
  chunk: number,
  embedDim: number,
  mask?: Int32Array | BigInt64Array,
): Promise<Float32Array[]> {
  const { input, output, batch } = shared.signature;
  const rowLength = rowShape.reduce((a, b) => a * b, 1);
  const step = batch === 'dynamic' ? chunk : batch;
  const out: Float32Array[] = [];
  for (let start = 0; start < n; start += step) {
    const count = Math.min(step, n - start);
    let data = rows.subarray(start * rowLength, (start + count) * rowLength) as T;
    let maskData = mask?.subarray(start * rowLength, (start + count) * rowLength);
    let fed = count;
    if (batch !== 'dynamic' && count < batch) {
      // A fixed batch larger than what is left: pad with zero rows and drop their outputs.
      data = padRows(data, batch * rowLength);
      if (maskData) maskData = padRows(maskData, batch * rowLength);
      fed = batch;
    }
    // The typed array's kind (Float32Array, BigInt64Array, Int32Array) sets the tensor's dtype.
    const feeds: Record<string, Tensor> = { [input.name]: new ort.Tensor(data, [fed, ...rowShape]) };
    const maskInput = shared.signature.mask;
    if (maskInput && maskData) feeds[maskInput.name] = new ort.Tensor(maskData, [fed, ...rowShape]);
    let result;
    try {
      result = await shared.session.run(feeds, [output.name]);
    } catch (err) {
      throw new Error(`${file} failed on a batch of ${fed}: ${(err as Error).message}`);
    }
    const value = result[output.name] as Tensor | undefined;
    if (!value || value.type !== 'float32' || value.dims.length !== 2 || value.dims[0] !== fed || value.dims[1] !== embedDim) {
      throw new Error(
        `${file} returned ${output.name} with shape [${value?.dims.join(',') ?? ''}], expected [${fed}, ${embedDim}] ` +
          '(embed_dim from config.json)',
      );
    }
    const values = value.data as Float32Array;
    for (let i = 0; i < count; i++) {
      // A zero or NaN embedding is a broken model or input, never a real one: say which input.
      const v = values.slice(i * embedDim, (i + 1) * embedDim);
      normalizeInto(v, 0, embedDim, v, 0, () => `${file}: the embedding of input ${start + i + 1} of ${n}`);
      out.push(v);
    }
  }
  return out;
}

export class ClipImageEncoder {
  readonly pixelsPerImage: number;

  constructor(
    private readonly ort: Ort,
    private readonly shared: SharedSession,
    private readonly file: string,
    readonly imageSize: number,
    readonly embedDim: number,
    /** Images per run when the batch axis is dynamic. */
    readonly batchSize: number,
  ) {
    const { input } = shared.signature;
    if (input.type !== 'float32') throw new Error(`${file}: input ${input.name} is ${input.type}; only float32 images are supported`);
    const [, c, h, w] = input.shape;
    if (input.shape.length !== 4 || !(isFreeDim(c) || c === 3)) {
      throw new Error(`${file}: input ${input.name} has shape [${input.shape.join(',')}], expected [batch, 3, height, width]`);
    }
    for (const dim of [h, w]) {
      if (!isFreeDim(dim) && dim !== imageSize) {
        throw new Error(
          `${file} expects ${h}×${w} images but config.json says vision_cfg.image_size ${imageSize}; ` +
            'the model folder is inconsistent',
        );
      }
    }
    this.pixelsPerImage = 3 * imageSize * imageSize;
  }

  /** Embeds images already preprocessed to CHW float32 (visual/preprocess_cfg.json). */
  async encode(images: readonly Float32Array[]): Promise<Float32Array[]> {
    if (images.length === 0) return [];
    images.forEach((px, i) => {
      if (px.length !== this.pixelsPerImage) {
        throw new Error(
          `Image ${i} has ${px.length} values; ${this.file} takes 3×${this.imageSize}×${this.imageSize} = ` +
            `${this.pixelsPerImage} (CHW float32, preprocessed with visual/preprocess_cfg.json)`,
        );
      }
    });
    // One image needs no copy; a batch is packed into one contiguous tensor.
    let rows: Float32Array;
    if (images.length === 1) rows = images[0] as Float32Array;
    else {
      rows = new Float32Array(images.length * this.pixelsPerImage);
      images.forEach((px, i) => rows.set(px, i * this.pixelsPerImage));
    }
    const shape = [3, this.imageSize, this.imageSize];
    return runBatched(this.ort, this.shared, this.file, rows, images.length, shape, this.batchSize, this.embedDim);
  }
}

export class ClipTextEncoder {
  readonly idType: 'int64' | 'int32';

  constructor(
    private readonly ort: Ort,
    private readonly shared: SharedSession,
    private readonly file: string,
    private readonly tokenizer: ClipTokenizer,
    readonly embedDim: number,
    /** Texts per run when the batch axis is dynamic. */
    readonly batchSize: number,
  ) {
    const { input } = shared.signature;
    if (input.type !== 'int64' && input.type !== 'int32') {
      throw new Error(`${file}: input ${input.name} is ${input.type}; expected int64 or int32 token ids`);
    }
    this.idType = input.type;
    const length = input.shape[1];
    if (input.shape.length !== 2 || (!isFreeDim(length) && length !== tokenizer.contextLength)) {
      throw new Error(
        `${file}: input ${input.name} has shape [${input.shape.join(',')}], expected [batch, ${tokenizer.contextLength}] ` +
          '(text_cfg.context_length from config.json)',
      );
    }
  }

  get contextLength(): number {
    return this.tokenizer.contextLength;
  }

  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const list = [...texts];
    const encoded = this.idType === 'int32' ? this.tokenizer.encode(list, 'int32') : this.tokenizer.encode(list, 'int64');
    const mask = this.shared.signature.mask ? this.attentionMask(encoded.lengths, this.shared.signature.mask.type === 'int32') : undefined;
    return runBatched(this.ort, this.shared, this.file, encoded.ids, list.length, [this.contextLength], this.batchSize, this.embedDim, mask);
  }

  /** 1 on each row's tokens, 0 on its padding, in the dtype the model's mask input takes. */
  private attentionMask(lengths: readonly number[], int32: boolean): Int32Array | BigInt64Array {
    const ctx = this.contextLength;
    if (int32) {
      const mask = new Int32Array(lengths.length * ctx);
      lengths.forEach((len, row) => mask.fill(1, row * ctx, row * ctx + len));
      return mask;
    }
    const mask = new BigInt64Array(lengths.length * ctx);
    lengths.forEach((len, row) => mask.fill(1n, row * ctx, row * ctx + len));
    return mask;
  }
}
