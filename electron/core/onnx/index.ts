// Reading, rewriting and writing ONNX models (protobuf.js over ONNX's own onnx.proto): dynamic int8
// quantisation of MatMul/Gemm weights, and a symbolic batch axis. Import from here.
export { readModel, writeModel, externalTensorNames } from './model-file.js';
export { encodeModel } from './model-encoding.js';
export type { ModelProto } from './schema.js';
export {
  quantizeDynamicInt8,
  quantizeModel,
  DEFAULT_MIN_ELEMENTS,
  DEFAULT_WEIGHT_FORMAT,
  type QuantizeOptions,
  type QuantizeReport,
  type SkippedNode,
} from './quantize.js';
export type { WeightFormat } from './weights.js';
export { makeBatchSymbolic, makeBatchSymbolicModel, BATCH_DIM_PARAM, type BatchAxisReport } from './batch-axis.js';
