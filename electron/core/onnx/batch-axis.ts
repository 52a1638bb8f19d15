// Making a model's batch axis symbolic: exporters often fix it at 1 although the graph computes each
// row on its own. This only rewrites the declared shapes; whether the graph really keeps rows apart
// (no Reshape to a hard-coded 1, no op mixing rows) must be checked by running it: a batch of two
// against two single runs (parity).
import path from 'node:path';
import { externalTensorNames, readModel, writeModel } from './model-file.js';
import { int64, type ModelProto, type ValueInfoProto } from './schema.js';

export const BATCH_DIM_PARAM = 'batch';

export interface BatchAxisReport {
  /** Graph inputs and outputs whose first dimension changed from 1 to 'batch'. */
  changed: string[];
}

function fixedAtOne(value: ValueInfoProto): boolean {
  const first = value.type?.tensor_type?.shape?.dim[0];
  return first !== undefined && !first.dim_param && int64(first.dim_value) === 1;
}

/** Rewrites the decoded model in place (see makeBatchSymbolic). */
export function makeBatchSymbolicModel(model: ModelProto): BatchAxisReport {
  const graph = model.graph!;
  const initializers = new Set(graph.initializer.map((t) => t.name));
  // Before IR 4 initializers are also listed as inputs: those are weights, not the model's input.
  const inputs = graph.input.filter((v) => !initializers.has(v.name));
  const changed: string[] = [];
  for (const value of [...inputs, ...graph.output]) {
    if (!fixedAtOne(value)) continue;
    const dims = value.type!.tensor_type!.shape!.dim;
    const denotation = dims[0]!.denotation;
    dims[0] = denotation ? { dim_param: BATCH_DIM_PARAM, denotation } : { dim_param: BATCH_DIM_PARAM };
    changed.push(value.name ?? '');
  }
  // Shapes of intermediate values were recorded for batch 1 and would contradict a larger batch;
  // they are optional hints that ONNX Runtime infers again.
  if (changed.length > 0) graph.value_info = [];
  return { changed };
}

/**
 * Writes `destination`: `source` with dim 0 of its graph inputs and outputs made the symbolic
 * 'batch' where it was fixed at 1. Models whose weights live in external data files can only be
 * written beside them (the files are referenced by relative path).
 */
export async function makeBatchSymbolic(source: string, destination: string): Promise<BatchAxisReport> {
  const model = await readModel(source);
  if (externalTensorNames(model).length > 0 && path.resolve(path.dirname(source)) !== path.resolve(path.dirname(destination))) {
    throw new Error(`${source} keeps its weights in external data files; write the rewritten model into the same folder`);
  }
  const report = makeBatchSymbolicModel(model);
  await writeModel(destination, model);
  return report;
}
