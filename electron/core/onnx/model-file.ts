// Reading and writing .onnx files: a clear error for anything that is not an ONNX model, a walk over
// every graph a model holds (subgraphs of If/Loop/Scan and functions included), and atomic writes.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { encodeModelChunks } from './model-encoding.js';
import { decodeModel, EXTERNAL_DATA, int64, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './schema.js';

export async function readModel(file: string): Promise<ModelProto> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new Error(`Cannot read the model ${file}: ${(err as Error).message}`);
  }
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (err) {
    throw new Error(`${file} is not an ONNX model (its bytes are not an ONNX ModelProto: ${(err as Error).message})`);
  }
  // Protobuf decodes many byte strings without complaint; a model has an IR version and a graph of nodes.
  if (int64(model.ir_version) < 1 || !model.graph || model.graph.node.length === 0) {
    throw new Error(`${file} is not an ONNX model (no IR version or no graph nodes)`);
  }
  return model;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a model under `file`. */
export async function writeModel(file: string, model: ModelProto): Promise<number> {
  const { size, chunks } = encodeModelChunks(model);
  const temporary = `${file}.${process.pid}.partial`;
  try {
    const handle = await open(temporary, 'w');
    try {
      // writev in slices: the weights go out from the model's own memory, never gathered in one buffer.
      for (let i = 0; i < chunks.length; i += 512) {
        const slice = chunks.slice(i, i + 512);
        const { bytesWritten } = await handle.writev(slice);
        const expected = slice.reduce((sum, c) => sum + c.byteLength, 0);
        if (bytesWritten !== expected) throw new Error(`only ${bytesWritten} of ${expected} bytes were written (is the disk full?)`);
      }
      await handle.sync(); // on disk before the rename makes it the model
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw new Error(`Cannot write the model ${file}: ${(err as Error).message}`);
  }
  return size;
}

/** The main graph, then every subgraph held in a node attribute, at any depth. */
export function* allGraphs(graph: GraphProto): Generator<GraphProto> {
  yield graph;
  for (const node of graph.node) {
    for (const attribute of node.attribute ?? []) {
      if (attribute.g) yield* allGraphs(attribute.g);
      for (const sub of attribute.graphs ?? []) yield* allGraphs(sub);
    }
  }
}

/** Every node of the model: all graphs and all local functions. */
export function* allNodes(model: ModelProto): Generator<NodeProto> {
  if (model.graph) for (const graph of allGraphs(model.graph)) yield* graph.node;
  for (const fn of model.functions ?? []) yield* fn.node ?? [];
}

function* allTensors(model: ModelProto): Generator<TensorProto> {
  if (model.graph) {
    for (const graph of allGraphs(model.graph)) {
      yield* graph.initializer;
      for (const sparse of graph.sparse_initializer ?? []) {
        if (sparse.values) yield sparse.values;
        if (sparse.indices) yield sparse.indices;
      }
    }
  }
  for (const node of allNodes(model)) {
    for (const attribute of node.attribute ?? []) {
      if (attribute.t) yield attribute.t;
      yield* attribute.tensors ?? [];
      for (const sparse of [attribute.sparse_tensor, ...(attribute.sparse_tensors ?? [])]) {
        if (sparse?.values) yield sparse.values;
        if (sparse?.indices) yield sparse.indices;
      }
    }
  }
}

/** Names of tensors whose bytes live in files beside the model (ONNX external data). */
export function externalTensorNames(model: ModelProto): string[] {
  const names: string[] = [];
  for (const tensor of allTensors(model)) {
    if (tensor.data_location === EXTERNAL_DATA || (tensor.external_data?.length ?? 0) > 0) names.push(tensor.name ?? '(unnamed)');
  }
  return names;
}
