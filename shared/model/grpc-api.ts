import type { Runtime } from './runtimes/types.ts';

/**
 * The gRPC APIs the runtimes serve beside their REST API, as `.proto` text
 * written for this project from the public specifications: the Open
 * Inference Protocol's gRPC API (package `inference`, as Triton, MLServer
 * and KServe serve it) and TensorFlow Serving's PredictionService and
 * ModelService (package `tensorflow.serving`, with the TensorFlow framework
 * messages they carry).
 *
 * Only what a client of these RPCs needs is declared; message and field
 * names and numbers are the specifications' own, so real servers
 * interoperate. The text lives in a module rather than in `.proto` files so
 * the bundled actions read no file at run time: smoke-test parses it, and
 * package writes it into the image beside the model card, where grpcurl or
 * protoc can use it (`google/protobuf/*.proto` are the ones they ship).
 */

export interface ProtoFile {
  /** The file's path, as the other files import it. */
  path: string;
  text: string;
}

export interface GrpcApi {
  /** The protobuf package, which prefixes every RPC path. */
  package: string;
  /** Fully qualified services, e.g. `inference.GRPCInferenceService`. */
  services: string[];
  /** The API's files, the one declaring the services first. */
  files: ProtoFile[];
}

const OPEN_INFERENCE_PROTO = `syntax = "proto3";

// The Open Inference Protocol (KServe "v2") over gRPC.
package inference;

service GRPCInferenceService {
  rpc ServerLive(ServerLiveRequest) returns (ServerLiveResponse) {}
  rpc ServerReady(ServerReadyRequest) returns (ServerReadyResponse) {}
  rpc ModelReady(ModelReadyRequest) returns (ModelReadyResponse) {}
  rpc ServerMetadata(ServerMetadataRequest) returns (ServerMetadataResponse) {}
  rpc ModelMetadata(ModelMetadataRequest) returns (ModelMetadataResponse) {}
  rpc ModelInfer(ModelInferRequest) returns (ModelInferResponse) {}
}

message ServerLiveRequest {}
message ServerLiveResponse {
  bool live = 1;
}

message ServerReadyRequest {}
message ServerReadyResponse {
  bool ready = 1;
}

message ModelReadyRequest {
  string name = 1;
  // Empty: the server picks the version by its own policy.
  string version = 2;
}
message ModelReadyResponse {
  bool ready = 1;
}

message ServerMetadataRequest {}
message ServerMetadataResponse {
  string name = 1;
  string version = 2;
  repeated string extensions = 3;
}

message ModelMetadataRequest {
  string name = 1;
  string version = 2;
}
message ModelMetadataResponse {
  message TensorMetadata {
    string name = 1;
    string datatype = 2;
    // -1 marks a dimension of any size.
    repeated int64 shape = 3;
  }
  string name = 1;
  repeated string versions = 2;
  string platform = 3;
  repeated TensorMetadata inputs = 4;
  repeated TensorMetadata outputs = 5;
}

message InferParameter {
  oneof parameter_choice {
    bool bool_param = 1;
    int64 int64_param = 2;
    string string_param = 3;
  }
}

// Tensor data by datatype, flattened in row-major order. FP16 has no typed
// field: it travels only as raw contents.
message InferTensorContents {
  repeated bool bool_contents = 1;
  // INT8, INT16, INT32
  repeated int32 int_contents = 2;
  repeated int64 int64_contents = 3;
  // UINT8, UINT16, UINT32
  repeated uint32 uint_contents = 4;
  repeated uint64 uint64_contents = 5;
  repeated float fp32_contents = 6;
  repeated double fp64_contents = 7;
  repeated bytes bytes_contents = 8;
}

message ModelInferRequest {
  message InferInputTensor {
    string name = 1;
    string datatype = 2;
    repeated int64 shape = 3;
    map<string, InferParameter> parameters = 4;
    // Absent when raw_input_contents carries the data.
    InferTensorContents contents = 5;
  }
  message InferRequestedOutputTensor {
    string name = 1;
    map<string, InferParameter> parameters = 2;
  }
  string model_name = 1;
  string model_version = 2;
  string id = 3;
  map<string, InferParameter> parameters = 4;
  repeated InferInputTensor inputs = 5;
  repeated InferRequestedOutputTensor outputs = 6;
  // One entry per input, in the order of inputs: little-endian, row-major,
  // no padding; BYTES elements each prefixed by a 4-byte little-endian length.
  repeated bytes raw_input_contents = 7;
}

message ModelInferResponse {
  message InferOutputTensor {
    string name = 1;
    string datatype = 2;
    repeated int64 shape = 3;
    map<string, InferParameter> parameters = 4;
    InferTensorContents contents = 5;
  }
  string model_name = 1;
  string model_version = 2;
  string id = 3;
  map<string, InferParameter> parameters = 4;
  repeated InferOutputTensor outputs = 5;
  // As raw_input_contents, one entry per output.
  repeated bytes raw_output_contents = 6;
}
`;

const TENSORFLOW_SERVING_PROTO = `syntax = "proto3";

// TensorFlow Serving's gRPC API: PredictionService.Predict and
// GetModelMetadata, ModelService.GetModelStatus.
package tensorflow.serving;

import "google/protobuf/any.proto";
import "google/protobuf/wrappers.proto";
import "tensorflow_framework.proto";

service PredictionService {
  rpc Predict(PredictRequest) returns (PredictResponse);
  rpc GetModelMetadata(GetModelMetadataRequest) returns (GetModelMetadataResponse);
}

service ModelService {
  rpc GetModelStatus(GetModelStatusRequest) returns (GetModelStatusResponse);
}

message ModelSpec {
  string name = 1;
  oneof version_choice {
    // Unset: the latest version.
    google.protobuf.Int64Value version = 2;
    string version_label = 4;
  }
  // Unset: serving_default.
  string signature_name = 3;
}

message PredictRequest {
  ModelSpec model_spec = 1;
  // Keyed by the signature's input aliases.
  map<string, tensorflow.TensorProto> inputs = 2;
  repeated string output_filter = 3;
}

message PredictResponse {
  map<string, tensorflow.TensorProto> outputs = 1;
  ModelSpec model_spec = 2;
}

message SignatureDefMap {
  map<string, tensorflow.SignatureDef> signature_def = 1;
}

message GetModelMetadataRequest {
  ModelSpec model_spec = 1;
  // "signature_def" is the one field servers know.
  repeated string metadata_field = 2;
}

message GetModelMetadataResponse {
  ModelSpec model_spec = 1;
  // "signature_def" holds a packed SignatureDefMap.
  map<string, google.protobuf.Any> metadata = 2;
}

message GetModelStatusRequest {
  ModelSpec model_spec = 1;
}

message StatusProto {
  // A TensorFlow error code (the numbers of google.rpc.Code).
  int32 error_code = 1;
  string error_message = 2;
}

message ModelVersionStatus {
  enum State {
    UNKNOWN = 0;
    START = 10;
    LOADING = 20;
    AVAILABLE = 30;
    UNLOADING = 40;
    END = 50;
  }
  int64 version = 1;
  State state = 2;
  StatusProto status = 3;
}

message GetModelStatusResponse {
  repeated ModelVersionStatus model_version_status = 1;
}
`;

/** TensorFlow's own messages (package `tensorflow`) that TF Serving's carry. */
const TENSORFLOW_FRAMEWORK_PROTO = `syntax = "proto3";

package tensorflow;

enum DataType {
  DT_INVALID = 0;
  DT_FLOAT = 1;
  DT_DOUBLE = 2;
  DT_INT32 = 3;
  DT_UINT8 = 4;
  DT_INT16 = 5;
  DT_INT8 = 6;
  DT_STRING = 7;
  DT_COMPLEX64 = 8;
  DT_INT64 = 9;
  DT_BOOL = 10;
  DT_QINT8 = 11;
  DT_QUINT8 = 12;
  DT_QINT32 = 13;
  DT_BFLOAT16 = 14;
  DT_QINT16 = 15;
  DT_QUINT16 = 16;
  DT_UINT16 = 17;
  DT_COMPLEX128 = 18;
  DT_HALF = 19;
  DT_RESOURCE = 20;
  DT_VARIANT = 21;
  DT_UINT32 = 22;
  DT_UINT64 = 23;
}

message TensorShapeProto {
  message Dim {
    // -1: unknown size.
    int64 size = 1;
    string name = 2;
  }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

// One representation is set: tensor_content (raw little-endian bytes) or the
// typed field of the dtype, flattened in row-major order.
message TensorProto {
  DataType dtype = 1;
  TensorShapeProto tensor_shape = 2;
  int32 version_number = 3;
  bytes tensor_content = 4;
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
  // DT_INT32, DT_INT16, DT_UINT16, DT_INT8, DT_UINT8
  repeated int32 int_val = 7 [packed = true];
  repeated bytes string_val = 8;
  repeated float scomplex_val = 9 [packed = true];
  repeated int64 int64_val = 10 [packed = true];
  repeated bool bool_val = 11 [packed = true];
  repeated double dcomplex_val = 12 [packed = true];
  // DT_HALF and DT_BFLOAT16 bit patterns
  repeated int32 half_val = 13 [packed = true];
  repeated uint32 uint32_val = 16 [packed = true];
  repeated uint64 uint64_val = 17 [packed = true];
}

message TensorInfo {
  oneof encoding {
    string name = 1;
  }
  DataType dtype = 2;
  TensorShapeProto tensor_shape = 3;
}

message SignatureDef {
  map<string, TensorInfo> inputs = 1;
  map<string, TensorInfo> outputs = 2;
  string method_name = 3;
}
`;

export const OPEN_INFERENCE_GRPC: GrpcApi = {
  package: 'inference',
  services: ['inference.GRPCInferenceService'],
  files: [{ path: 'open_inference_grpc.proto', text: OPEN_INFERENCE_PROTO }],
};

export const TENSORFLOW_SERVING_GRPC: GrpcApi = {
  package: 'tensorflow.serving',
  services: ['tensorflow.serving.PredictionService', 'tensorflow.serving.ModelService'],
  files: [
    { path: 'tensorflow_serving_grpc.proto', text: TENSORFLOW_SERVING_PROTO },
    { path: 'tensorflow_framework.proto', text: TENSORFLOW_FRAMEWORK_PROTO },
  ],
};

/**
 * The gRPC API a runtime serves on its `grpc` port, when it is one of
 * these; undefined for runtimes without one (or with an API of their own,
 * such as TorchServe's).
 */
export function grpcApiOf(
  runtime: Pick<Runtime, 'protocol' | 'ports'>,
): { port: number; api: GrpcApi } | undefined {
  const port = runtime.ports.find((p) => p.name === 'grpc')?.port;
  if (port === undefined) return undefined;
  if (runtime.protocol === 'open-inference-v2') return { port, api: OPEN_INFERENCE_GRPC };
  if (runtime.protocol === 'tfserving') return { port, api: TENSORFLOW_SERVING_GRPC };
  return undefined;
}

/**
 * The protobuf well-known types TF Serving's messages use, for a parser that
 * has none built in; protoc and grpcurl ship their own.
 */
export const PROTOBUF_WELL_KNOWN_PROTO = `syntax = "proto3";

package google.protobuf;

message Int64Value {
  int64 value = 1;
}

message Any {
  string type_url = 1;
  bytes value = 2;
}
`;
