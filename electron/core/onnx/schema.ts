// ONNX's protobuf messages through protobuf.js, with TypeScript shapes for the fields Shoebox reads or
// writes. Every other field (and any field newer than onnx.proto) is carried through untouched:
// protobuf.js keeps what it decodes, unknown fields too when asked, and encodes it back.
import protobuf from 'protobufjs';
import { ONNX_DESCRIPTOR } from './onnx-descriptor.js';

/** protobuf.js decodes int64 as a Long object; new values may be plain numbers. */
export type Int64 = number | { toNumber(): number };

export function int64(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3 } as const;
/** TensorProto.DataLocation.EXTERNAL: the bytes live in another file. */
export const EXTERNAL_DATA = 1;

export interface TensorProto {
  name?: string;
  dims: Int64[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  data_location?: number;
  external_data?: { key?: string; value?: string }[];
}

export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  t?: TensorProto;
  g?: GraphProto;
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  sparse_tensor?: SparseTensorProto;
  sparse_tensors?: SparseTensorProto[];
}

export interface NodeProto {
  name?: string;
  op_type?: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute?: AttributeProto[];
}

export interface DimensionProto {
  dim_value?: Int64;
  dim_param?: string;
  denotation?: string;
}

export interface ValueInfoProto {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim: DimensionProto[] } } };
}

export interface SparseTensorProto {
  values?: TensorProto;
  indices?: TensorProto;
}

export interface GraphProto {
  name?: string;
  node: NodeProto[];
  initializer: TensorProto[];
  sparse_initializer?: SparseTensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  value_info?: ValueInfoProto[];
}

export interface OperatorSetIdProto {
  domain?: string;
  version?: Int64;
}

export interface ModelProto {
  ir_version?: Int64;
  opset_import: OperatorSetIdProto[];
  graph?: GraphProto;
  functions?: { node?: NodeProto[] }[];
}

const root = protobuf.Root.fromJSON(ONNX_DESCRIPTOR);
export const modelType = root.lookupType('onnx.ModelProto');
export const graphType = root.lookupType('onnx.GraphProto');
export const tensorType = root.lookupType('onnx.TensorProto');

/**
 * Decodes a model. Byte fields (raw_data above all) are views into `bytes`, not copies, so `bytes`
 * stays alive as long as the model does.
 */
export function decodeModel(bytes: Buffer): ModelProto {
  const reader = protobuf.Reader.create(bytes);
  reader.discardUnknown = false; // keep fields newer than onnx.proto, so that writing loses nothing
  return modelType.decode(reader) as unknown as ModelProto;
}
