export const id = 3690;
export const ids = [3690];
export const modules = {

/***/ 40539:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GW: () => (/* binding */ TENSORFLOW_SERVING_GRPC),
/* harmony export */   M8: () => (/* binding */ OPEN_INFERENCE_GRPC),
/* harmony export */   Q_: () => (/* binding */ PROTOBUF_WELL_KNOWN_PROTO),
/* harmony export */   u$: () => (/* binding */ grpcApiOf)
/* harmony export */ });
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
const OPEN_INFERENCE_GRPC = {
    package: 'inference',
    services: ['inference.GRPCInferenceService'],
    files: [{ path: 'open_inference_grpc.proto', text: OPEN_INFERENCE_PROTO }],
};
const TENSORFLOW_SERVING_GRPC = {
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
function grpcApiOf(runtime) {
    const port = runtime.ports.find((p) => p.name === 'grpc')?.port;
    if (port === undefined)
        return undefined;
    if (runtime.protocol === 'open-inference-v2')
        return { port, api: OPEN_INFERENCE_GRPC };
    if (runtime.protocol === 'tfserving')
        return { port, api: TENSORFLOW_SERVING_GRPC };
    return undefined;
}
/**
 * The protobuf well-known types TF Serving's messages use, for a parser that
 * has none built in; protoc and grpcurl ship their own.
 */
const PROTOBUF_WELL_KNOWN_PROTO = `syntax = "proto3";

package google.protobuf;

message Int64Value {
  int64 value = 1;
}

message Any {
  string type_url = 1;
  bytes value = 2;
}
`;


/***/ }),

/***/ 33690:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GrpcClient: () => (/* binding */ GrpcClient)
/* harmony export */ });
/* unused harmony exports serviceRoot, parseGrpcUrl, grpcStatusName, GrpcNoAnswer */
/* harmony import */ var _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83033);
/* harmony import */ var protobufjs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(23928);
/* harmony import */ var protobufjs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(protobufjs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(52639);
/* harmony import */ var _model_grpc_api_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(40539);




/**
 * The gRPC side of the smoke test: one channel (one HTTP/2 connection,
 * multiplexed) to the server, the services' messages from our own `.proto`
 * text (shared/model/grpc-api.ts), and each call made as a unary request on the path
 * `/<package>.<Service>/<Method>`. Loaded only when a gRPC protocol is used.
 */
let parsedRoot;
/** Every service smoke-test speaks, parsed once: field names as the specifications write them. */
function serviceRoot() {
    if (parsedRoot !== undefined)
        return parsedRoot;
    const root = new (protobufjs__WEBPACK_IMPORTED_MODULE_1___default().Root)();
    // Imports are not followed: every file is parsed into the one root.
    for (const text of [
        _model_grpc_api_js__WEBPACK_IMPORTED_MODULE_3__/* .PROTOBUF_WELL_KNOWN_PROTO */ .Q_,
        ..._model_grpc_api_js__WEBPACK_IMPORTED_MODULE_3__/* .OPEN_INFERENCE_GRPC */ .M8.files.map((f) => f.text),
        ..._model_grpc_api_js__WEBPACK_IMPORTED_MODULE_3__/* .TENSORFLOW_SERVING_GRPC */ .GW.files.map((f) => f.text),
    ]) {
        protobufjs__WEBPACK_IMPORTED_MODULE_1___default().parse(text, root, { keepCase: true });
    }
    root.resolveAll();
    parsedRoot = root;
    return root;
}
/** How messages become JSON: proto field names, int64 as numbers, enums by name, bytes as base64, Any unpacked. */
const TO_JSON = {
    longs: Number,
    enums: String,
    bytes: String,
    arrays: true,
    json: true,
};
/**
 * `grpc://host:port` (plaintext, h2c) or `grpcs://host:port` (TLS); the
 * `http`/`https` spellings mean the same. A gRPC endpoint has no path.
 */
function parseGrpcUrl(url) {
    const parsed = new URL(url);
    const scheme = parsed.protocol.slice(0, -1);
    const hint = 'give the gRPC address itself (grpc://host:port or grpcs://host:port); the API server service proxy cannot carry gRPC';
    if (!['grpc', 'grpcs', 'http', 'https'].includes(scheme)) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`${parsed.origin} is not a gRPC endpoint (${scheme}://)`, { hint });
    }
    if (parsed.pathname !== '' && parsed.pathname !== '/') {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`a gRPC endpoint has no path, but ${scheme}://${parsed.host} comes with '${parsed.pathname}': the protocol fixes the path of each call`, { hint });
    }
    const secure = scheme === 'grpcs' || scheme === 'https';
    const port = parsed.port || (secure ? '443' : '80');
    const address = `${parsed.hostname}:${port}`;
    return { address, secure, origin: `${secure ? 'grpcs' : 'grpc'}://${address}` };
}
/**
 * grpc-js reads only `grpc_proxy`, `https_proxy`, `http_proxy` and `no_proxy`;
 * runners set either spelling, and the REST side honours both.
 */
function lowerCaseProxyVariables() {
    for (const name of ['https_proxy', 'http_proxy', 'no_proxy']) {
        const upper = process.env[name.toUpperCase()];
        if (process.env[name] === undefined && upper !== undefined)
            process.env[name] = upper;
    }
}
/** Headers that are HTTP/2 or gRPC machinery: grpc-js sets them itself. */
const RESERVED_HEADERS = new Set([
    'content-type',
    'te',
    'host',
    'user-agent',
    'content-length',
    'connection',
]);
function metadataOf(headers) {
    const metadata = new _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .Metadata */ .OS();
    for (const [name, value] of Object.entries(headers)) {
        const key = name.toLowerCase();
        if (RESERVED_HEADERS.has(key) || key.startsWith('grpc-'))
            continue;
        try {
            if (key.endsWith('-bin'))
                metadata.add(key, Buffer.from(value, 'base64'));
            else
                metadata.add(key, value);
        }
        catch (err) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`the header '${name}' cannot be sent as gRPC metadata: ${err.message}`, {
                hint: 'gRPC metadata keys are lower-case letters, digits, `-`, `_` and `.`, and values printable ASCII',
                cause: err,
            });
        }
    }
    return metadata;
}
/** Status codes by number, as gRPC names them. */
const CODE_NAMES = Object.fromEntries(Object.entries(_grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5)
    .filter(([, value]) => typeof value === 'number')
    .map(([name, value]) => [value, name]));
function grpcStatusName(code) {
    return CODE_NAMES[code] ?? `code ${code}`;
}
/** Node's codes for a refused certificate, as grpc-js reports them only in words. */
const TLS_WORDS = [
    [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
    [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
    [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
    [/certificate is not yet valid/i, 'CERT_NOT_YET_VALID'],
    [/does not match certificate's altnames|altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
];
/**
 * A call that got no answer from the server: the connection failed or the
 * deadline passed before anything came back. Carries a Node-style `code`
 * (ECONNREFUSED, a TLS certificate code, DEADLINE_EXCEEDED) so it is told
 * and retried like an HTTP network failure.
 */
class GrpcNoAnswer extends Error {
    code;
    constructor(origin, status, timeoutMs) {
        const details = status.details.replace(/\s+/g, ' ').trim();
        const tls = TLS_WORDS.find(([words]) => words.test(details))?.[1];
        const deadline = status.code === _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.DEADLINE_EXCEEDED;
        const code = tls ??
            (deadline
                ? 'DEADLINE_EXCEEDED'
                : (/\b(E[A-Z]{3,})\b/.exec(details)?.[1] ?? grpcStatusName(status.code)));
        // grpc-js words a failed connection "No connection established. Last error: Error: <reason>".
        const reason = (/Last error: (?:Error: )?(.*)$/.exec(details)?.[1] ?? details)
            .replace(/; if the root CA is installed locally.*$/, '')
            .trim();
        super(deadline
            ? `${origin} gave no answer within the timeout (${timeoutMs} ms)`
            : // A refused certificate is reported with the server's name by whoever catches it.
                tls !== undefined
                    ? reason
                    : `${origin}: ${reason || grpcStatusName(status.code)}`);
        this.name = 'GrpcNoAnswer';
        this.code = code;
    }
}
class GrpcClient {
    kind = 'grpc';
    origin;
    client;
    metadata;
    timeoutMs;
    root = serviceRoot();
    constructor(endpoint, options) {
        const target = parseGrpcUrl(endpoint.baseUrl);
        lowerCaseProxyVariables();
        this.origin = target.origin;
        this.timeoutMs = options.timeoutMs;
        this.metadata = metadataOf(endpoint.headers);
        const tls = endpoint.tls ?? {};
        const credentials = target.secure
            ? _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .credentials */ .z3.createSsl(tls.ca === undefined ? null : Buffer.from(tls.ca), tls.key === undefined ? null : Buffer.from(tls.key), tls.cert === undefined ? null : Buffer.from(tls.cert), tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {})
            : _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .credentials */ .z3.createInsecure();
        this.client = new _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .Client */ .Kj(target.address, credentials, {
            // A server that is starting is probed again soon: grpc-js would otherwise
            // back off to two minutes between connection attempts.
            'grpc.initial_reconnect_backoff_ms': 250,
            'grpc.max_reconnect_backoff_ms': 5000,
            'grpc.max_receive_message_length': 256 * 1024 * 1024,
            'grpc.max_send_message_length': 256 * 1024 * 1024,
        });
    }
    isSuccess(status) {
        return status === _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.OK;
    }
    describeStatus(status) {
        return grpcStatusName(status);
    }
    describeCall(request) {
        return request.path.replace(/^\//, '');
    }
    isTransient(status) {
        return [
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.UNAVAILABLE,
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.RESOURCE_EXHAUSTED,
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.ABORTED,
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.DEADLINE_EXCEEDED,
        ].includes(status);
    }
    isServerFault(status) {
        return [
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.UNKNOWN,
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.INTERNAL,
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.UNAVAILABLE,
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.DATA_LOSS,
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.DEADLINE_EXCEEDED,
            _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.UNIMPLEMENTED,
        ].includes(status);
    }
    method(path) {
        const match = /^\/([\w.]+)\/(\w+)$/.exec(path);
        const service = match ? this.root.lookup(match[1]) : null;
        const method = service instanceof (protobufjs__WEBPACK_IMPORTED_MODULE_1___default().Service) ? service.methods[match[2]] : undefined;
        if (method === undefined)
            throw new Error(`no gRPC method ${path} is declared`);
        return method;
    }
    encode(request) {
        const type = this.method(request.path).resolvedRequestType;
        const object = request.body === undefined ? {} : JSON.parse(request.body);
        try {
            const message = type.fromObject(object);
            return { path: request.path, payload: Buffer.from(type.encode(message).finish()) };
        }
        catch (err) {
            // Only a request given as the message itself can be malformed here.
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`the request is not a valid ${type.fullName.replace(/^\./, '')}: ${err.message}`, {
                hint: 'write `request` in the REST form of the protocol, or as the message with its .proto field names (bytes as base64)',
                cause: err,
            });
        }
    }
    call(prepared) {
        return new Promise((resolve, reject) => {
            let answered = false;
            let payload;
            const call = this.client.makeUnaryRequest(prepared.path, (message) => message, (bytes) => bytes, prepared.payload, this.metadata.clone(), { deadline: Date.now() + this.timeoutMs }, (err, value) => {
                if (err === null)
                    payload = value;
            });
            call.on('metadata', () => (answered = true));
            call.on('status', (status) => {
                // A server that refuses a call may answer with trailers alone (which
                // carry at least its content-type), so only a status grpc-js made up
                // itself, for a missing connection or a passed deadline, is no answer.
                const noAnswer = !answered &&
                    (status.code === _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.UNAVAILABLE ||
                        status.code === _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.DEADLINE_EXCEEDED) &&
                    Object.keys(status.metadata.getMap()).length === 0;
                if (noAnswer)
                    reject(new GrpcNoAnswer(this.origin, status, this.timeoutMs));
                else
                    resolve({ status, payload });
            });
        });
    }
    async send(request) {
        const method = this.method(request.path);
        const prepared = this.encode(request);
        const started = performance.now();
        const outcome = await this.call(prepared);
        const durationMs = performance.now() - started;
        let text;
        if (outcome.status.code === _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.OK && outcome.payload !== undefined) {
            const type = method.resolvedResponseType;
            text = JSON.stringify(type.toObject(type.decode(outcome.payload), TO_JSON));
        }
        else {
            text = outcome.status.details;
        }
        return {
            method: request.method,
            path: request.path,
            status: outcome.status.code,
            contentType: outcome.status.code === _grpc_grpc_js__WEBPACK_IMPORTED_MODULE_0__/* .status */ .h5.OK ? 'application/json' : 'text/plain',
            text,
            durationMs,
        };
    }
    prepare(request) {
        return this.encode(request);
    }
    async status(prepared) {
        const outcome = await this.call(prepared);
        return outcome.status.code;
    }
    async close() {
        this.client.close();
    }
}


/***/ })

};
