// Encoding a ModelProto as a sequence of chunks instead of one buffer. protobuf.js builds a message in
// one growing buffer (doubling, then a final copy): for a 350 MB model that peaked at 1.3 GB beside
// the 350 MB read. Here every message is encoded by protobuf.js except three length-delimited
// fields written around it: ModelProto.graph, GraphProto.initializer and TensorProto.raw_data. The
// weights' bytes are passed through as they are (no copy) and the output is byte for byte what
// protobuf.js (and ONNX's C++ writer, which also orders fields by number) would write.
import type protobuf from 'protobufjs';
import { graphType, modelType, tensorType, type ModelProto, type TensorProto } from './schema.js';

type Chunk = Uint8Array;

function varint(value: number): Chunk {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

/** The key of a length-delimited field (wire type 2). */
function key(type: protobuf.Type, field: string): Chunk {
  const id = type.fields[field]?.id;
  if (id === undefined) throw new Error(`onnx.proto has no field ${type.name}.${field}`);
  return varint(id * 8 + 2);
}

function has(message: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(message, name) && (message as Record<string, unknown>)[name] != null;
}

/** The message's encoding split into the fields numbered before `field` and those after it (and unknown ones). */
function around(type: protobuf.Type, message: object, field: string): [Chunk, Chunk] {
  const id = type.fields[field]!.id;
  const head: Record<string, unknown> = {};
  const tail: Record<string, unknown> = {};
  for (const f of type.fieldsArray) {
    if (f.name !== field && has(message, f.name)) (f.id < id ? head : tail)[f.name] = (message as Record<string, unknown>)[f.name];
  }
  if (has(message, '$unknowns')) tail.$unknowns = (message as Record<string, unknown>).$unknowns;
  return [type.encode(head).finish(), type.encode(tail).finish()];
}

function tensorChunks(tensor: TensorProto): Chunk[] {
  const [head, tail] = around(tensorType, tensor, 'raw_data');
  const raw = has(tensor, 'raw_data') ? tensor.raw_data! : undefined;
  return raw ? [head, key(tensorType, 'raw_data'), varint(raw.byteLength), raw, tail] : [head, tail];
}

const byteSize = (chunks: readonly Chunk[]): number => chunks.reduce((sum, c) => sum + c.byteLength, 0);

export interface EncodedModel {
  size: number;
  chunks: Chunk[];
}

/** The model's protobuf encoding as chunks that share the weights' memory. */
export function encodeModelChunks(model: ModelProto): EncodedModel {
  const graph = model.graph;
  if (!graph) throw new Error('The model has no graph to write');
  const [modelHead, modelTail] = around(modelType, model, 'graph');
  const [graphHead, graphTail] = around(graphType, graph, 'initializer');
  const initializerKey = key(graphType, 'initializer');
  const initializers = graph.initializer.flatMap((tensor) => {
    const chunks = tensorChunks(tensor);
    return [initializerKey, varint(byteSize(chunks)), ...chunks];
  });
  const graphBody = [graphHead, ...initializers, graphTail];
  const chunks = [modelHead, key(modelType, 'graph'), varint(byteSize(graphBody)), ...graphBody, modelTail];
  return { size: byteSize(chunks), chunks };
}

/** The whole encoding in one buffer (for small models and tests). */
export function encodeModel(model: ModelProto): Buffer {
  const { size, chunks } = encodeModelChunks(model);
  return Buffer.concat(chunks, size);
}
