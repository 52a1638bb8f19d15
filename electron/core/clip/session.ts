// ONNX Runtime sessions for CLIP encoders: created once per (model file, providers, threads …) and
// shared, with the model's input/output names, dtypes and batch axis read from the session itself,
// because published models differ (image/text -> embedding, or pixel_values/input_ids ->
// image_embeds/text_embeds; int32 or int64 ids; fixed batch 1 or a dynamic batch axis).
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { loadOrt } from './ort.js';
import { createSessionWithFallback, type CreatedSession, type SessionSettings } from './providers.js';

export interface TensorInfo {
  name: string;
  type: Tensor.Type;
  /** Numbers are fixed sizes, strings are symbolic (free) dimensions. */
  shape: ReadonlyArray<number | string>;
}

export interface EncoderSignature {
  input: TensorInfo;
  /** An `attention_mask` input beside the token ids (Hugging Face text exports); 1 on tokens, 0 on padding. */
  mask?: TensorInfo;
  output: TensorInfo;
  /** 'dynamic' when the batch axis is free, else the fixed batch size the model was exported with. */
  batch: 'dynamic' | number;
}

function tensorInfo(meta: InferenceSession.ValueMetadata): TensorInfo | undefined {
  return meta.isTensor ? { name: meta.name, type: meta.type, shape: meta.shape } : undefined;
}

function describe(list: readonly InferenceSession.ValueMetadata[]): string {
  return list.map((m) => (m.isTensor ? `${m.name} ${m.type}[${m.shape.join(',')}]` : `${m.name} (not a tensor)`)).join(', ');
}

/** A symbolic dimension, or -1/0 from exporters that write unknown sizes as numbers. */
export function isFreeDim(dim: number | string | undefined): boolean {
  return typeof dim === 'string' || (typeof dim === 'number' && dim <= 0);
}

/**
 * The token/pixel input (plus an attention mask, if the model takes one) and the embedding output
 * of an encoder session. With several outputs (e.g. HF exports that also return hidden states) the
 * rank-2 one of width embedDim is taken, preferring a name that mentions "embed".
 */
function readSignature(session: InferenceSession, file: string, embedDim: number): EncoderSignature {
  const inputs = session.inputMetadata;
  const isMask = (m: InferenceSession.ValueMetadata): boolean => /^attention_mask$/i.test(m.name);
  const mainInputs = inputs.filter((m) => !isMask(m));
  const maskMeta = inputs.find(isMask);
  const input = mainInputs.length === 1 && mainInputs[0] ? tensorInfo(mainInputs[0]) : undefined;
  const mask = maskMeta ? tensorInfo(maskMeta) : undefined;
  if (!input || (maskMeta && !mask)) {
    throw new Error(`${file} has inputs [${describe(inputs)}]; a CLIP encoder takes one tensor input (and, for text, an optional attention_mask)`);
  }
  if (mask && mask.type !== 'int64' && mask.type !== 'int32') throw new Error(`${file}: input ${mask.name} is ${mask.type}; expected int64 or int32`);
  const candidates = session.outputMetadata
    .map(tensorInfo)
    .filter((o): o is TensorInfo => o !== undefined && o.shape.length === 2 && (isFreeDim(o.shape[1]) || o.shape[1] === embedDim));
  const output = candidates.find((o) => /embed/i.test(o.name)) ?? candidates[0];
  if (!output) {
    throw new Error(
      `${file} has outputs [${describe(session.outputMetadata)}]; expected a [batch, ${embedDim}] embedding ` +
        `(embed_dim ${embedDim} comes from config.json)`,
    );
  }
  if (output.type !== 'float32') throw new Error(`${file}: output ${output.name} is ${output.type}; only float32 embeddings are supported`);
  const b = input.shape[0];
  const batch = isFreeDim(b) || b === undefined ? 'dynamic' : (b as number);
  return mask ? { input, mask, output, batch } : { input, output, batch };
}

export interface SharedSession extends CreatedSession {
  signature: EncoderSignature;
  /** Drops this user's hold; the session is released when nobody holds it any more. */
  release(): Promise<void>;
}

interface Entry {
  promise: Promise<CreatedSession & { signature: EncoderSignature }>;
  holders: number;
}

const cache = new Map<string, Entry>();

/**
 * The shared session of one model file, created on first use. Concurrent callers wait on the same
 * creation, so a model is never loaded twice with the same settings.
 */
export async function acquireSession(file: string, embedDim: number, settings: SessionSettings): Promise<SharedSession> {
  const key = JSON.stringify([file, embedDim, settings.providers, settings.threads, settings.spinning === true]);
  let entry = cache.get(key);
  if (!entry) {
    const promise = (async () => {
      const created = await createSessionWithFallback(await loadOrt(), file, settings);
      try {
        return { ...created, signature: readSignature(created.session, file, embedDim) };
      } catch (err) {
        await created.session.release();
        throw err;
      }
    })();
    entry = { promise, holders: 0 };
    cache.set(key, entry);
    // A failed creation must not stay cached: the next caller may have fixed the file.
    promise.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
  }
  const held = entry;
  held.holders++;
  let created;
  try {
    created = await held.promise;
  } catch (err) {
    held.holders--;
    throw err;
  }
  let released = false;
  return {
    ...created,
    release: async () => {
      if (released) return;
      released = true;
      if (--held.holders > 0) return;
      if (cache.get(key) === held) cache.delete(key);
      await created.session.release();
    },
  };
}

/** How many distinct sessions are open (for tests and diagnostics). */
export function openSessionCount(): number {
  return cache.size;
}
