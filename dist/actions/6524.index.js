export const id = 6524;
export const ids = [6524];
export const modules = {

/***/ 77746:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ ANNOTATION_PREFIX)
/* harmony export */ });
/** The prefix of the annotations package writes into an image (model name, version, runtime, lineage). */
const ANNOTATION_PREFIX = 'dev.model-deploy';


/***/ }),

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

/***/ 60162:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bc: () => (/* binding */ isDigest),
/* harmony export */   TM: () => (/* binding */ digestFile),
/* harmony export */   Xi: () => (/* binding */ DigestingStream),
/* harmony export */   sI: () => (/* binding */ sha256Digest),
/* harmony export */   sU: () => (/* binding */ digestHex)
/* harmony export */ });
/* unused harmony export parseDigest */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(52639);





const DIGEST = /^sha256:[a-f0-9]{64}$/;
function isDigest(value) {
    return DIGEST.test(value);
}
/** Validates a digest read from outside (a file, a registry, an input). */
function parseDigest(value, where = 'digest') {
    if (!isDigest(value)) {
        throw new UserError(`${where} '${value}' is not a sha256 digest (sha256:<64 hex digits>)`);
    }
    return value;
}
function digestHex(digest) {
    return digest.slice('sha256:'.length);
}
function sha256Digest(data) {
    return `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex')}`;
}
/**
 * A pass-through that hashes and counts what flows through it, so a digest is
 * known the moment the last byte is written and no byte is read twice.
 */
class DigestingStream extends node_stream__WEBPACK_IMPORTED_MODULE_2__.Transform {
    hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    bytes = 0;
    result;
    _transform(chunk, _encoding, done) {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        done(null, chunk);
    }
    _flush(done) {
        this.result = `sha256:${this.hash.digest('hex')}`;
        done();
    }
    get size() {
        return this.bytes;
    }
    /** Available after the stream has ended. */
    get digest() {
        if (this.result === undefined)
            throw new Error('digest read before the stream ended');
        return this.result;
    }
}
/** sha256 and size of a file, streamed. */
async function digestFile(path) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    let size = 0;
    await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(path, { highWaterMark: 1 << 20 }), async (source) => {
        for await (const chunk of source) {
            hash.update(chunk);
            size += chunk.length;
        }
    });
    return { digest: `sha256:${hash.digest('hex')}`, size };
}


/***/ }),

/***/ 77121:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F2: () => (/* binding */ parseReference),
/* harmony export */   FH: () => (/* binding */ formatReference),
/* harmony export */   Mb: () => (/* binding */ registryApiHost),
/* harmony export */   Tn: () => (/* binding */ manifestReference),
/* harmony export */   aR: () => (/* binding */ repositoryName),
/* harmony export */   r_: () => (/* binding */ isValidTag)
/* harmony export */ });
/* unused harmony export DOCKER_HUB */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _digest_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(60162);


const DOCKER_HUB = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::\d{1,5})?$/;
/**
 * Parses an image reference. When `input` is given, errors name that action
 * input so the user knows which line of the workflow to fix.
 */
function parseReference(text, input) {
    const fail = (problem) => {
        const example = 'registry.example.com/team/model:1.0 or busybox:1.36';
        if (input !== undefined)
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `${problem}: '${text}'`, example);
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`image reference '${text}' ${problem}`, {
            hint: `write it like ${example}`,
        });
    };
    const value = text.trim();
    if (value === '')
        return fail('is empty');
    // `sha256:<hex>` would parse as Docker Hub's library/sha256 at a tag: it is a digest without its repository.
    if (/^sha256:/i.test(value)) {
        return fail('is a digest without its repository; write host/repository@sha256:…');
    }
    let rest = value;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        const d = rest.slice(at + 1);
        if (!(0,_digest_js__WEBPACK_IMPORTED_MODULE_1__/* .isDigest */ .Bc)(d))
            return fail('has a digest that is not sha256:<64 lowercase hex digits>');
        digest = d;
        rest = rest.slice(0, at);
    }
    let tag;
    const lastSlash = rest.lastIndexOf('/');
    const lastColon = rest.lastIndexOf(':');
    if (lastColon > lastSlash) {
        tag = rest.slice(lastColon + 1);
        rest = rest.slice(0, lastColon);
        if (!TAG.test(tag))
            return fail(`has an invalid tag '${tag}'`);
    }
    let registry = DOCKER_HUB;
    let repository = rest;
    const firstSlash = rest.indexOf('/');
    if (firstSlash >= 0) {
        const first = rest.slice(0, firstSlash);
        if (first.includes('.') ||
            first.includes(':') ||
            first === 'localhost' ||
            first !== first.toLowerCase()) {
            registry = first;
            repository = rest.slice(firstSlash + 1);
        }
    }
    if (!HOST.test(registry))
        return fail(`has an invalid registry host '${registry}'`);
    if (registry === 'index.docker.io' || registry === 'registry-1.docker.io')
        registry = DOCKER_HUB;
    if (registry === DOCKER_HUB && !repository.includes('/'))
        repository = `library/${repository}`;
    if (repository === '' || !repository.split('/').every((c) => COMPONENT.test(c))) {
        return fail('has an invalid repository name (lowercase letters, digits, and . _ - / separators)');
    }
    if (repository.length > 255)
        return fail('has a repository name longer than 255 characters');
    const ref = { registry, repository };
    if (tag !== undefined)
        ref.tag = tag;
    if (digest !== undefined)
        ref.digest = digest;
    return ref;
}
/** The registry host to talk HTTP to (Docker Hub's API lives on another name). */
function registryApiHost(ref) {
    return ref.registry === DOCKER_HUB ? 'registry-1.docker.io' : ref.registry;
}
/** `host/repository`, the name without tag or digest. */
function repositoryName(ref) {
    return `${ref.registry}/${ref.repository}`;
}
function formatReference(ref) {
    return (repositoryName(ref) +
        (ref.tag === undefined ? '' : `:${ref.tag}`) +
        (ref.digest === undefined ? '' : `@${ref.digest}`));
}
/** What to ask the registry for: the digest when pinned, else the tag, else `latest`. */
function manifestReference(ref) {
    return ref.digest ?? ref.tag ?? 'latest';
}
function isValidTag(tag) {
    return TAG.test(tag);
}


/***/ }),

/***/ 26524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildModelImage: () => (/* binding */ buildModelImage)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: ./shared/common/http.ts
var http = __webpack_require__(72316);
// EXTERNAL MODULE: ./shared/oci/reference.ts
var oci_reference = __webpack_require__(77121);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(81260);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/oci/layout.ts
var oci_layout = __webpack_require__(50808);
;// CONCATENATED MODULE: ./shared/oci/image-config.ts
function envName(entry) {
    const eq = entry.indexOf('=');
    return eq < 0 ? entry : entry.slice(0, eq);
}
/**
 * The image config of base + new layers, with Docker's semantics for the
 * runnable part: setting an entrypoint without a command clears the base's
 * command (it belonged to the old entrypoint). diff_ids are the digests of the
 * uncompressed layer tars.
 */
function extendConfig(base, platform, changes) {
    const run = runConfig(base?.config ?? {}, changes, { defaultPath: true });
    if (changes.workingDir !== undefined)
        run.WorkingDir = changes.workingDir;
    const history = [...(base?.history ?? [])];
    for (const layer of changes.layers)
        history.push({ created: changes.created, created_by: layer.createdBy });
    // Built field by field: the key order is the byte order of the config blob.
    const config = {
        created: changes.created,
        architecture: base?.architecture ?? platform.architecture,
        os: base?.os ?? platform.os,
    };
    const variant = base?.variant ?? platform.variant;
    if (variant !== undefined)
        config.variant = variant;
    if (base?.['os.version'] !== undefined)
        config['os.version'] = base['os.version'];
    if (base?.['os.features'] !== undefined)
        config['os.features'] = base['os.features'];
    config.config = run;
    config.rootfs = {
        type: 'layers',
        diff_ids: [...(base?.rootfs?.diff_ids ?? []), ...changes.layers.map((l) => l.diffId)],
    };
    config.history = history;
    return config;
}
/**
 * A container config with the settings applied, with Docker's semantics:
 * env by name (later wins), setting an entrypoint without a command clears the
 * base's command (it belonged to the old entrypoint), ports and labels added.
 */
function runConfig(baseRun, settings, options) {
    const env = [...(baseRun.Env ?? [])];
    for (const [name, value] of settings.env) {
        const index = env.findIndex((e) => envName(e) === name);
        if (index >= 0)
            env[index] = `${name}=${value}`;
        else
            env.push(`${name}=${value}`);
    }
    if (options.defaultPath && !env.some((e) => envName(e) === 'PATH')) {
        env.unshift('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    }
    let entrypoint = baseRun.Entrypoint ?? undefined;
    let cmd = baseRun.Cmd ?? undefined;
    if (settings.entrypoint !== undefined) {
        entrypoint = settings.entrypoint;
        cmd = settings.cmd;
    }
    else if (settings.cmd !== undefined) {
        cmd = settings.cmd;
    }
    const ports = { ...(baseRun.ExposedPorts ?? {}) };
    for (const port of settings.exposedPorts)
        ports[port] = {};
    const labels = { ...(baseRun.Labels ?? {}), ...settings.labels };
    const run = { ...baseRun, Env: env };
    if (entrypoint !== undefined && entrypoint !== null)
        run.Entrypoint = entrypoint;
    else
        delete run.Entrypoint;
    if (cmd !== undefined && cmd !== null)
        run.Cmd = cmd;
    else
        delete run.Cmd;
    if (Object.keys(ports).length > 0)
        run.ExposedPorts = sortKeys(ports);
    if (Object.keys(labels).length > 0)
        run.Labels = sortKeys(labels);
    return run;
}
/** Maps serialise in a fixed order so the config bytes do not depend on input order. */
function sortKeys(record) {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./shared/oci/media-types.ts
var media_types = __webpack_require__(9112);
;// CONCATENATED MODULE: ./shared/oci/layout-edit.ts



/**
 * Rewrites the image (or every image of an index) under `tag`: each config
 * through `edit.config`, each manifest with the annotations added, then the
 * index, and index.json. Layers stay as they are. Returns the new top descriptor.
 */
async function editLayoutImages(root, tag, edit) {
    const layout = await (0,oci_layout/* readLayout */.T4)(root, { tag, input: 'output' });
    const state = {
        layout,
        writer: oci_layout/* LayoutWriter */.s1.open(root),
        edit,
        replaced: new Set(),
        written: new Set(),
    };
    const { annotations: _ref, ...top } = layout.top;
    const edited = await editDescriptor(state, top);
    await state.writer.writeIndex(edited, tag);
    for (const digest of state.replaced) {
        if (!state.written.has(digest))
            await (0,promises_.rm)((0,oci_layout/* blobPath */.nD)(root, digest), { force: true });
    }
    return edited;
}
async function editDescriptor(state, descriptor) {
    const parsed = state.layout.manifests.get(descriptor.digest);
    if (parsed === undefined)
        return descriptor;
    const edited = (0,media_types/* isIndexMediaType */.$$)(descriptor.mediaType) || 'manifests' in parsed
        ? await editIndex(state, parsed)
        : await editManifest(state, parsed);
    const written = await state.writer.writeJson(descriptor.mediaType, edited);
    state.replaced.add(descriptor.digest);
    state.written.add(written.digest);
    return { ...descriptor, digest: written.digest, size: written.size };
}
async function editIndex(state, index) {
    const manifests = [];
    for (const child of index.manifests)
        manifests.push(await editDescriptor(state, child));
    return { ...index, manifests, annotations: withAnnotations(index.annotations, state.edit) };
}
async function editManifest(state, manifest) {
    const bytes = await state.layout.readBlob(manifest.config.digest);
    const config = state.edit.config(JSON.parse(bytes.toString('utf8')));
    const written = await state.writer.writeJson(manifest.config.mediaType, config);
    if (written.digest !== manifest.config.digest)
        state.replaced.add(manifest.config.digest);
    state.written.add(written.digest);
    return {
        ...manifest,
        config: { ...manifest.config, digest: written.digest, size: written.size },
        annotations: withAnnotations(manifest.annotations, state.edit),
    };
}
function withAnnotations(current, edit) {
    if (Object.keys(edit.annotations).length === 0)
        return current;
    return { ...current, ...edit.annotations };
}

// EXTERNAL MODULE: ./shared/oci/digest.ts
var digest = __webpack_require__(60162);
;// CONCATENATED MODULE: ./shared/oci/types.ts
function platformString(platform) {
    return `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
}

// EXTERNAL MODULE: ./shared/registry/client.ts + 2 modules
var registry_client = __webpack_require__(96878);
;// CONCATENATED MODULE: ./shared/model/base-image.ts








function parsePlatform(text, input = 'platforms') {
    const parts = text.trim().split('/');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) {
        throw new errors/* InputError */.dz(input, `has '${text}', which is not os/arch[/variant]`, 'linux/amd64, linux/arm64');
    }
    const platform = { os: parts[0], architecture: parts[1] };
    if (parts[2] !== undefined)
        platform.variant = parts[2];
    return platform;
}
function samePlatform(a, b) {
    return (a.os === b.os &&
        a.architecture === b.architecture &&
        (b.variant === undefined || a.variant === b.variant));
}
const BASE_INPUT = 'base-image';
/** Failures as user errors that name the base image, with a hint for a private one. */
function baseErrors(name, credential) {
    return async (what, task) => {
        try {
            return await task();
        }
        catch (err) {
            if ((0,errors/* isUserError */.iU)(err)) {
                const anonymous = (credential ?? { kind: 'anonymous' }).kind === 'anonymous';
                const denied = /\b401\b|needs credentials/.test(err.message);
                throw new errors/* UserError */.yo(`base image ${name}: ${err.message}`, {
                    hint: anonymous && denied
                        ? 'the base image is private: give base-image-username and base-image-password'
                        : (err.hint ?? undefined),
                    cause: err,
                });
            }
            throw new errors/* UserError */.yo(`base image ${name}: could not ${what}: ${(0,errors/* errorMessage */.gJ)(err)}`, {
                hint: `check input '${BASE_INPUT}' and that the registry is reachable from the runner`,
                cause: err,
            });
        }
    };
}
/** The config blob, checked against its digest. */
function fetchConfig(fetch, manifest) {
    return fetch.wrap('fetch its config', async () => {
        const blob = await fetch.client.getBlob(fetch.reference.repository, manifest.config.digest);
        const hasher = new digest/* DigestingStream */.Xi();
        const chunks = [];
        for await (const chunk of blob.stream.pipe(hasher))
            chunks.push(chunk);
        if (hasher.digest !== manifest.config.digest) {
            throw new errors/* UserError */.yo(`config blob hashes to ${hasher.digest}, not ${manifest.config.digest}`);
        }
        return Buffer.concat(chunks);
    });
}
async function loadImage(fetch, manifestDigest, manifest, declared) {
    const configBytes = await fetchConfig(fetch, manifest);
    const config = JSON.parse(configBytes.toString('utf8'));
    const platform = declared ?? { os: config.os, architecture: config.architecture };
    if (declared === undefined && config.variant !== undefined)
        platform.variant = config.variant;
    return {
        platform,
        manifestDigest,
        config,
        layers: manifest.layers.map((l) => ({
            mediaType: (0,media_types/* toOciLayerMediaType */.oI)(l.mediaType),
            digest: l.digest,
            size: l.size,
            ...(l.urls ? { urls: l.urls } : {}),
        })),
    };
}
/** The index's images of the wanted platforms (all of them when none is named). */
async function indexImages(fetch, index, wanted) {
    const candidates = index.manifests.filter((m) => m.platform !== undefined &&
        m.platform.os !== 'unknown' &&
        m.platform.architecture !== 'unknown');
    const chosen = wanted.length === 0
        ? candidates
        : wanted.map((w) => {
            const match = candidates.find((c) => samePlatform(c.platform, w));
            if (match === undefined) {
                throw new errors/* InputError */.dz('platforms', `asks for ${platformString(w)}, which base image ${fetch.name} does not have (it has ${candidates.map((c) => platformString(c.platform)).join(', ')})`);
            }
            return match;
        });
    const images = [];
    for (const descriptor of chosen) {
        const child = await fetch.wrap('fetch a platform manifest', () => fetch.client.getManifest(fetch.reference.repository, descriptor.digest));
        if (child === undefined)
            throw new errors/* UserError */.yo(`base image ${fetch.name}: platform manifest ${descriptor.digest} is missing from the registry`);
        images.push(await loadImage(fetch, child.digest, JSON.parse(child.bytes.toString('utf8')), descriptor.platform));
    }
    return images;
}
/** A single-platform base, which every wanted platform must be. */
async function singleImage(fetch, digest, manifest, wanted) {
    const image = await loadImage(fetch, digest, manifest);
    for (const w of wanted) {
        if (!samePlatform(image.platform, w)) {
            throw new errors/* InputError */.dz('platforms', `asks for ${platformString(w)}, but base image ${fetch.name} is a single ${platformString(image.platform)} image`);
        }
    }
    return image;
}
/**
 * Reads a base image's manifest (or index, choosing platforms) and configs
 * through the registry client. Layers are described, not downloaded.
 */
async function resolveBaseImage(text, options) {
    const reference = (0,oci_reference/* parseReference */.F2)(text, BASE_INPUT);
    const client = new registry_client/* RegistryClient */.b({
        registry: (0,oci_reference/* registryApiHost */.Mb)(reference),
        credential: options.credential ?? { kind: 'anonymous' },
        insecureHosts: options.insecureHosts ?? [],
        logger: options.logger,
        input: BASE_INPUT,
    });
    const name = (0,oci_reference/* formatReference */.FH)({
        ...reference,
        tag: reference.tag ?? (reference.digest ? undefined : 'latest'),
    });
    const fetch = { client, reference, name, wrap: baseErrors(name, options.credential) };
    const top = await fetch.wrap('fetch its manifest', () => client.getManifest(reference.repository, (0,oci_reference/* manifestReference */.Tn)(reference)));
    if (top === undefined) {
        throw new errors/* InputError */.dz(BASE_INPUT, `names ${name}, which the registry does not have (manifest not found)`, 'busybox:1.36');
    }
    const wanted = options.platforms.map((p) => parsePlatform(p));
    const parsed = JSON.parse(top.bytes.toString('utf8'));
    const isIndex = (0,media_types/* isIndexMediaType */.$$)(top.mediaType) || 'manifests' in parsed;
    const images = isIndex
        ? await indexImages(fetch, parsed, wanted)
        : [await singleImage(fetch, top.digest, parsed, wanted)];
    options.logger.info(`base image ${name} → ${top.digest} (${images.map((i) => platformString(i.platform)).join(', ')})`);
    return {
        reference,
        name,
        repository: (0,oci_reference/* repositoryName */.aR)(reference),
        digest: top.digest,
        isIndex,
        images,
        client,
    };
}
/** Downloads the base layers into the layout, verifying each digest (for include-base-layers). */
async function downloadBaseLayers(base, layout, logger) {
    const client = base.client;
    const seen = new Set();
    for (const image of base.images) {
        for (const layer of image.layers) {
            if (seen.has(layer.digest))
                continue;
            seen.add(layer.digest);
            logger.info(`downloading base layer ${layer.digest} (${layer.size} bytes)`);
            const blob = await client.getBlob(base.reference.repository, layer.digest);
            const written = await layout.writeBlob(blob.stream);
            if (written.digest !== layer.digest) {
                await (0,promises_.rm)((0,oci_layout/* blobPath */.nD)(layout.root, written.digest), { force: true });
                throw new errors/* UserError */.yo(`base image ${base.name}: layer ${layer.digest} downloaded as ${written.digest}`);
            }
        }
    }
}

;// CONCATENATED MODULE: ./shared/model/dockerfile.ts












/**
 * Registry hosts of the Dockerfile's FROM images (stage names and scratch
 * skipped); `opaque` when a FROM is built from an ARG or cannot be read, so
 * its host is unknown until the build runs.
 */
function fromRegistries(dockerfileText) {
    const stages = new Set();
    const hosts = new Set();
    let opaque = false;
    for (const line of dockerfileText.split(/\r?\n/)) {
        const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line.slice(0, 4096));
        if (!match)
            continue;
        const image = match[1];
        if (match[2])
            stages.add(match[2].toLowerCase());
        if (image === 'scratch' || stages.has(image.toLowerCase()))
            continue;
        if (image.includes('$')) {
            opaque = true;
            continue;
        }
        try {
            hosts.add((0,oci_reference/* parseReference */.F2)(image).registry);
        }
        catch {
            // A FROM the builder cannot read either; podman reports it in its own words.
            opaque = true;
        }
    }
    return { hosts: [...hosts], opaque };
}
/**
 * Where the base-image login may go: the base-image input's registry, or the
 * one registry the Dockerfile pulls from. Several (or unknown) registries
 * without base-image would hand the password to all of them: refused.
 */
function credentialHosts(request, froms) {
    if (request.baseCredential?.kind !== 'basic')
        return [];
    if (request.baseImage !== undefined && request.baseImage !== 'scratch') {
        return [(0,oci_reference/* parseReference */.F2)(request.baseImage, 'base-image').registry];
    }
    if (froms.hosts.length === 1 && !froms.opaque)
        return froms.hosts;
    throw new errors/* InputError */.dz('base-image-username', `is given, but the Dockerfile pulls from ${froms.opaque ? 'a registry named by a build argument' : froms.hosts.length === 0 ? 'no registry' : `several registries (${froms.hosts.join(', ')})`}; the login must go to one registry only`, 'base-image: registry.example.com/team/base:1.0 (naming the registry the login is for)');
}
/**
 * An auth file for the hosts, 0600 in a private folder under RUNNER_TEMP, so
 * the password never goes through argv. Its `auths` map is both the
 * containers-auth.json podman reads with --authfile and the config.json docker
 * reads from DOCKER_CONFIG. The caller removes the folder when the build ends.
 */
function writeAuthFile(hosts, username, password) {
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(process.env.RUNNER_TEMP ?? (0,external_node_os_.tmpdir)(), 'md-podman-auth-'));
    const auth = Buffer.from(`${username}:${password}`).toString('base64');
    const path = (0,external_node_path_.join)(dir, 'config.json');
    (0,external_node_fs_.writeFileSync)(path, JSON.stringify({ auths: Object.fromEntries(hosts.map((h) => [h, { auth }])) }), {
        mode: 0o600,
    });
    return path;
}
async function hasTool(tool) {
    const probe = await (0,exec/* getExecOutput */.H)(tool, ['--version'], {
        silent: true,
        ignoreReturnCode: true,
    }).catch(() => undefined);
    return probe?.exitCode === 0;
}
/** podman when present (daemonless), else docker with a running daemon. */
async function findBuilder() {
    if (await hasTool('podman'))
        return 'podman';
    if (await hasTool('docker')) {
        if (!(await hasTool('skopeo'))) {
            throw new errors/* UserError */.yo('the dockerfile input found docker but not skopeo, which turns the docker image into an OCI layout', { hint: 'install skopeo (apt-get install skopeo) or podman on the runner' });
        }
        return 'docker';
    }
    throw new errors/* UserError */.yo('the dockerfile input needs podman or docker on the runner, and neither was found', {
        hint: 'install podman (apt-get install podman) or drop the dockerfile input to package without a builder',
    });
}
async function run(tool, args, what, logger, env) {
    // The build's output (RUN steps, pulled images) goes through the logger, line
    // by line, so nothing in it can pass for a workflow command.
    const result = await (0,exec/* getExecOutput */.H)(tool, args, {
        ignoreReturnCode: true,
        silent: true,
        listeners: { stdline: (line) => logger.info(line), errline: (line) => logger.info(line) },
        ...(env ? { env: { ...process.env, ...env } } : {}),
    });
    if (result.exitCode !== 0) {
        const detail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
        throw new errors/* UserError */.yo(`${tool} ${what} failed (exit ${result.exitCode}):\n${detail}`);
    }
    return result.stdout;
}
/**
 * Inputs the Dockerfile path cannot honour, refused by name before anything
 * is built: podman 4 folds a multi-platform build of a scratch or COPY-only
 * Dockerfile into one image, and docker build without buildx builds one platform.
 */
function refuseUnsupportedSettings(request) {
    const platforms = request.platforms ?? [];
    if (platforms.length > 1) {
        throw new errors/* InputError */.dz('platforms', `lists ${platforms.length} platforms (${platforms.join(', ')}), but a Dockerfile build makes one platform per run`, `platforms: ${platforms[0]} (one per run, in a matrix), or drop dockerfile to package a multi-arch base daemonlessly`);
    }
    for (const platform of platforms)
        parsePlatform(platform, 'platforms');
}
/** The runtime settings the Dockerfile build gets after it ran, as config and manifest edits. */
function imageEdit(request) {
    const settings = {
        env: Object.entries(request.env ?? {}),
        ...(request.entrypoint ? { entrypoint: request.entrypoint } : {}),
        ...(request.cmd ? { cmd: request.cmd } : {}),
        exposedPorts: (request.ports ?? []).map((p) => `${p}/tcp`),
        labels: {},
    };
    const annotations = request.annotations ?? {};
    const changes = settings.env.length > 0 ||
        settings.entrypoint !== undefined ||
        settings.cmd !== undefined ||
        settings.exposedPorts.length > 0 ||
        Object.keys(annotations).length > 0;
    if (!changes)
        return undefined;
    return {
        config: (config) => ({
            ...config,
            config: runConfig(config.config ?? {}, settings, { defaultPath: false }),
        }),
        annotations,
    };
}
/** Where the login goes and whether the registries may be reached over plain http. */
function planBuild(request, builder) {
    const image = `localhost/model-deploy-build-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}:${request.tag}`;
    const froms = fromRegistries((0,external_node_fs_.readFileSync)(request.dockerfile, 'utf8'));
    const hosts = credentialHosts(request, froms);
    // podman has one TLS switch for all registries: off only when every registry
    // the build pulls from is known and may be plain http (loopback or listed).
    const pulledFrom = new Set([
        ...froms.hosts,
        ...(request.baseImage !== undefined && request.baseImage !== 'scratch'
            ? [(0,oci_reference/* parseReference */.F2)(request.baseImage, 'base-image').registry]
            : []),
    ]);
    const plainHttp = !froms.opaque &&
        pulledFrom.size > 0 &&
        [...pulledFrom].every((h) => (0,http/* allowsPlainHttp */.lU)(h, request.insecureHosts ?? []));
    const credential = request.baseCredential;
    const authFile = credential?.kind === 'basic' && hosts.length > 0
        ? writeAuthFile(hosts, credential.username, credential.password)
        : undefined;
    return { builder, image, authFile, plainHttp };
}
function buildArgs(request, plan) {
    const labelArgs = Object.entries(request.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    const platform = request.platforms?.[0];
    const common = [
        'build',
        '--file',
        request.dockerfile,
        '--tag',
        plan.image,
        ...(platform !== undefined ? ['--platform', platform] : []),
    ];
    if (plan.builder === 'podman') {
        return [
            ...common,
            ...(plan.authFile ? ['--authfile', plan.authFile] : []),
            ...(plan.plainHttp ? ['--tls-verify=false'] : []),
            '--timestamp',
            String(request.sourceDateEpoch),
            ...labelArgs,
            // The context is a path, never an option, whatever its name.
            '--',
            request.context,
        ];
    }
    // BuildKit takes SOURCE_DATE_EPOCH as a build argument for reproducible timestamps.
    return [
        ...common,
        '--build-arg',
        `SOURCE_DATE_EPOCH=${request.sourceDateEpoch}`,
        ...labelArgs,
        '--',
        request.context,
    ];
}
async function runBuild(request, plan) {
    // docker build has no auth-file switch: it reads DOCKER_CONFIG/config.json,
    // and podman's docker CLI reads REGISTRY_AUTH_FILE; both point at the same file.
    const env = plan.builder === 'docker'
        ? plan.authFile
            ? { DOCKER_CONFIG: (0,external_node_path_.join)(plan.authFile, '..'), REGISTRY_AUTH_FILE: plan.authFile }
            : {}
        : undefined;
    try {
        await run(plan.builder, buildArgs(request, plan), 'build', request.logger, env);
    }
    finally {
        if (plan.authFile)
            (0,external_node_fs_.rmSync)((0,external_node_path_.join)(plan.authFile, '..'), { recursive: true, force: true });
    }
}
/** The built image as an OCI layout in `output`; the local image is removed after. */
async function exportLayout(request, plan, workDir) {
    const destination = `oci:${request.output}:${request.tag}`;
    try {
        await oci_layout/* LayoutWriter */.s1.create(request.output);
        if (plan.builder === 'podman') {
            await run('podman', ['push', '--quiet', '--format', 'oci', plan.image, destination], 'export to an OCI layout', request.logger);
        }
        else {
            const archive = (0,external_node_path_.join)(workDir, 'image.tar');
            await run('docker', ['save', '--output', archive, plan.image], 'save', request.logger);
            await run('skopeo', ['copy', '--quiet', `docker-archive:${archive}`, destination], 'copy of the saved image into an OCI layout', request.logger);
        }
    }
    finally {
        await (0,exec/* getExecOutput */.H)(plan.builder, ['rmi', '--force', plan.image], {
            silent: true,
            ignoreReturnCode: true,
        });
    }
}
function checkPaths(request) {
    if (!(0,external_node_fs_.existsSync)(request.dockerfile) || !(0,external_node_fs_.statSync)(request.dockerfile).isFile()) {
        throw new errors/* InputError */.dz('dockerfile', `points at ${request.dockerfile}, which is not a file`, 'dockerfile: docker/Dockerfile');
    }
    if (!(0,external_node_fs_.existsSync)(request.context) || !(0,external_node_fs_.statSync)(request.context).isDirectory()) {
        throw new errors/* InputError */.dz('context', `points at ${request.context}, which is not a folder`, 'context: docker');
    }
}
/**
 * The escape hatch: builds the user's Dockerfile with podman or docker and
 * exports the image as an OCI layout. Such builds are only as reproducible
 * as the Dockerfile (buildah honours SOURCE_DATE_EPOCH through --timestamp,
 * BuildKit through the SOURCE_DATE_EPOCH build argument). docker has no OCI
 * layout export of its own without buildx, so its image goes through
 * `docker save` and skopeo. Entrypoint, command, env, ports and annotations
 * are applied to the exported image's config and manifest, the same for both.
 */
async function buildDockerfile(request) {
    checkPaths(request);
    refuseUnsupportedSettings(request);
    const builder = await findBuilder();
    const plan = planBuild(request, builder);
    request.logger.info(`building ${request.dockerfile} with ${builder}`);
    const workDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(process.env.RUNNER_TEMP ?? (0,external_node_os_.tmpdir)(), 'md-build-'));
    try {
        await runBuild(request, plan);
        await exportLayout(request, plan, workDir);
    }
    finally {
        (0,external_node_fs_.rmSync)(workDir, { recursive: true, force: true });
    }
    const edit = imageEdit(request);
    if (edit)
        await editLayoutImages(request.output, request.tag, edit);
    if (request.includeBaseLayers === false) {
        request.logger.info("the built layout holds every layer, the base image's included");
    }
    const layout = await (0,oci_layout/* readLayout */.T4)(request.output, { tag: request.tag, input: 'output' });
    await (0,oci_layout/* writeLayoutMetadata */.Bx)(request.output, {
        schemaVersion: 1,
        name: request.name,
        version: request.version,
        tag: request.tag,
        externalBlobs: {},
    });
    return { digest: layout.top.digest, mediaType: layout.top.mediaType, builder };
}

// EXTERNAL MODULE: ./shared/common/concurrency.ts
var concurrency = __webpack_require__(41289);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
;// CONCATENATED MODULE: ./shared/oci/tar-header.ts
/**
 * Tar entry headers, encoded here rather than through a tar library's stream:
 * a stream object per entry costs ~18 µs, which for 10,000 small files is more
 * than reading and hashing them. The bytes are exactly those tar-stream 3's
 * `pack()` writes for the same entry (the format model-deploy's layers have
 * always had, so digests do not change); test/unit/oci/tar-header.test.ts
 * checks that against tar-stream for ordinary, long, non-ASCII and huge entries.
 *
 * What is written: a ustar block (owner 0:0, no user or group names, device
 * numbers 0). A name that is not ASCII, or that does not fit the ustar name
 * and prefix fields, and a link target over 100 bytes go in a pax extended
 * header (`path=`, `linkpath=`) before a ustar block named `PaxHeader`.
 */
const BLOCK = 512;
/** Two zero blocks: the end of an archive. */
const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
/** Type flags: '0', '2', '5', and 'x' for a pax extended header. */
const TYPE_FLAG = {
    file: 0x30,
    symlink: 0x32,
    directory: 0x35,
    pax: 0x78,
};
/** Zero bytes after `size` bytes of content, up to the next block. */
function paddingAfter(size) {
    const tail = size % BLOCK;
    return tail === 0 ? 0 : BLOCK - tail;
}
/** The fields every header shares: owner 0:0, the ustar magic and version, device numbers 0. */
const TEMPLATE = (() => {
    const block = Buffer.alloc(BLOCK);
    block.write('000000 \u0000000000 ', 108, 'latin1');
    block.write('ustar\u000000', 257, 'latin1');
    block.write('000000 \u0000000000 ', 329, 'latin1');
    return block;
})();
/** The template's bytes, with the checksum field counted as eight spaces. */
const TEMPLATE_SUM = TEMPLATE.reduce((sum, byte) => sum + byte, 8 * 0x20);
/** Sum of the bytes from `start` to `end`: what a field adds to the checksum. */
function byteSum(block, start, end) {
    let sum = 0;
    for (let i = start; i < end; i++)
        sum += block[i];
    return sum;
}
/**
 * An octal field: `digits` digits and a space; all sevens when it does not
 * fit. Returns what it adds to the checksum.
 */
function putOctal(block, at, value, digits) {
    if (!Number.isSafeInteger(value) || value < 0) {
        // Not written by model-deploy (times before 1970 at most), spelled as tar-stream does.
        const text = value.toString(8);
        const field = text.length > digits ? '7'.repeat(digits) : text.padStart(digits, '0');
        block.write(`${field} `, at, 'latin1');
        return byteSum(block, at, at + digits + 1);
    }
    let rest = value < 8 ** digits ? value : 8 ** digits - 1;
    let sum = 0x20;
    for (let i = at + digits - 1; i >= at; i--) {
        const digit = 0x30 + (rest % 8);
        block[i] = digit;
        sum += digit;
        rest = Math.floor(rest / 8);
    }
    block[at + digits] = 0x20;
    return sum;
}
/** Sizes from 8 GiB up do not fit 11 octal digits: base-256, big-endian, after a 0x80 marker. */
function putSize(block, at, size) {
    if (size < 8 ** 11)
        return putOctal(block, at, size, 11);
    block[at] = 0x80;
    let rest = size;
    for (let i = 11; i > 0; i--) {
        block[at + i] = rest % 256;
        rest = Math.floor(rest / 256);
    }
    return byteSum(block, at, at + 12);
}
/** ASCII text, checked by the caller, a byte per character; returns its checksum share. */
function putAscii(block, at, text) {
    let sum = 0;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        block[at + i] = code;
        sum += code;
    }
    return sum;
}
function isAscii(text) {
    for (let i = 0; i < text.length; i++)
        if (text.charCodeAt(i) > 0x7f)
            return false;
    return true;
}
/**
 * The name split into ustar's name (≤ 100 bytes) and prefix (≤ 155 bytes) at
 * the leftmost slashes that make the name fit, or undefined when it cannot be.
 */
function splitName(name) {
    if (!isAscii(name))
        return undefined;
    let rest = name;
    let prefix = '';
    while (rest.length > 100) {
        const slash = rest.indexOf('/');
        if (slash === -1)
            return undefined;
        prefix = prefix === '' ? rest.slice(0, slash) : `${prefix}/${rest.slice(0, slash)}`;
        rest = rest.slice(slash + 1);
    }
    return prefix.length > 155 ? undefined : { name: rest, prefix };
}
/** One ustar block at `at`, the checksum summed from the fields as they are written. */
function putUstar(block, at, fields, split, typeFlag) {
    TEMPLATE.copy(block, at);
    let sum = TEMPLATE_SUM + typeFlag;
    sum += putAscii(block, at, split.name);
    sum += putOctal(block, at + 100, fields.mode & 0o7777, 6);
    sum += putSize(block, at + 124, fields.size);
    sum += putOctal(block, at + 136, (fields.mtime.getTime() / 1000) | 0, 11);
    block[at + 156] = typeFlag;
    if (fields.linkname) {
        const written = block.write(fields.linkname, at + 157, 'utf8');
        sum += byteSum(block, at + 157, at + 157 + written);
    }
    if (split.prefix !== '')
        sum += putAscii(block, at + 345, split.prefix);
    putOctal(block, at + 148, sum, 6);
}
/** One pax record: `<length> <key>=<value>\n`, the length counting its own digits. */
function paxRecord(key, value) {
    const body = ` ${key}=${value}\n`;
    const bytes = Buffer.byteLength(body);
    let digits = String(bytes).length;
    while (String(bytes + digits).length > digits)
        digits++;
    return `${bytes + digits}${body}`;
}
/** A pax extended header, its padding, then the entry's own block named `PaxHeader`. */
function paxHeaders(fields) {
    const records = paxRecord('path', fields.name) +
        (fields.linkname ? paxRecord('linkpath', fields.linkname) : '');
    const pax = Buffer.from(records, 'utf8');
    const paxEnd = BLOCK + pax.length + paddingAfter(pax.length);
    const headers = Buffer.alloc(paxEnd + BLOCK);
    const stand = { name: 'PaxHeader', prefix: '' };
    const linkname = fields.linkname ? 'PaxHeader' : undefined;
    putUstar(headers, 0, { ...fields, size: pax.length, linkname }, stand, TYPE_FLAG.pax);
    pax.copy(headers, BLOCK);
    putUstar(headers, paxEnd, { ...fields, linkname }, stand, TYPE_FLAG[fields.type]);
    return headers;
}
function linkFits(fields) {
    return !fields.linkname || Buffer.byteLength(fields.linkname) <= 100;
}
/** The header block(s) of one entry: what comes before its content. */
function encodeTarHeader(fields) {
    const split = splitName(fields.name);
    if (split === undefined || !linkFits(fields))
        return paxHeaders(fields);
    const block = Buffer.alloc(BLOCK);
    putUstar(block, 0, fields, split, TYPE_FLAG[fields.type]);
    return block;
}
/** At least the bytes the header(s) of an entry take (pax records are at most 3 bytes a character). */
function headerRoom(fields) {
    return 4 * BLOCK + 3 * (fields.name.length + (fields.linkname?.length ?? 0));
}
/**
 * Writes the header(s) of an entry into `target` at `at`, where there is room
 * for headerRoom(fields) bytes (whatever they hold), without a buffer of
 * their own in the usual case; returns the bytes written.
 */
function writeTarHeader(fields, target, at) {
    const split = splitName(fields.name);
    if (split === undefined || !linkFits(fields)) {
        const headers = paxHeaders(fields);
        headers.copy(target, at);
        return headers.length;
    }
    putUstar(target, at, fields, split, TYPE_FLAG[fields.type]);
    return BLOCK;
}

;// CONCATENATED MODULE: ./shared/oci/tar-layer.ts








/**
 * Deterministic tar layers: the same entries give the same bytes on every
 * machine, whatever the file system order, clock, owner or umask. Entries are
 * sorted by path, every parent directory is written explicitly, mtimes are the
 * source date epoch, owner is 0:0 with no names, and modes are 0755 for
 * directories and executables, 0644 for other files.
 */
/**
 * Read size for model files: a few pieces are in flight between the read, the
 * tar stream and the write. Peak RSS measured the same (~170 MB packaging a
 * 420 MB model, ~100 MB of it Node and the loaded modules) for 64 KiB to 1 MiB.
 */
const CHUNK = 256 * 1024;
/** Image paths are absolute POSIX paths; tar entries are stored relative, without `./`. */
function tarName(path) {
    const trimmed = path.replace(/^\/+/, '');
    // Most paths are already clean: no empty, `.` or `..` parts.
    if (!/(^|\/)\.{0,2}(\/|$)/.test(trimmed))
        return trimmed;
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..'))
        throw new Error(`layer path escapes the root: ${path}`);
    return parts.join('/');
}
/**
 * Byte order of the UTF-8 names, not locale order: the same on every machine.
 * Below the surrogates, UTF-16 code units order as UTF-8 bytes do, so only
 * names that differ first at a surrogate pay for encoding.
 */
function compareBytes(a, b) {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) {
        const x = a.charCodeAt(i);
        const y = b.charCodeAt(i);
        if (x === y)
            continue;
        if (x < 0xd800 && y < 0xd800)
            return x < y ? -1 : 1;
        return Buffer.compare(Buffer.from(a), Buffer.from(b));
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
/** Adds every missing parent directory, drops duplicates, and sorts. */
function normaliseEntries(entries) {
    const byName = new Map();
    for (const entry of entries) {
        const name = tarName(entry.path);
        if (name === '')
            continue;
        const existing = byName.get(name);
        if (existing !== undefined && !(existing.type === 'directory' && entry.type === 'directory')) {
            throw new Error(`two layer entries for the same path: /${name}`);
        }
        byName.set(name, { ...entry, path: name });
        addParents(byName, name);
    }
    return [...byName.values()].sort((a, b) => compareBytes(a.path, b.path));
}
/** From the nearest parent up; a folder already known had its own parents added with it. */
function addParents(byName, name) {
    for (let end = name.lastIndexOf('/'); end > 0; end = name.lastIndexOf('/', end - 1)) {
        const parent = name.slice(0, end);
        const known = byName.get(parent);
        if (known === undefined)
            byName.set(parent, { type: 'directory', path: parent });
        else if (known.type !== 'directory') {
            throw new Error(`/${parent} is both a file and a parent directory in the layer`);
        }
        else
            return;
    }
}
/**
 * gzip's header carries an OS byte that zlib sets from the platform it was
 * built for; pinning it to 255 ("unknown") keeps the bytes the same when the
 * layer is built on Linux, macOS or Windows runners. (The mtime field is
 * already zero because we compress a stream, not a file.)
 */
class PinGzipOsByte extends external_node_stream_.Transform {
    seen = 0;
    _transform(chunk, _e, done) {
        if (this.seen <= 9 && this.seen + chunk.length > 9) {
            chunk = Buffer.from(chunk);
            chunk[9 - this.seen] = 0xff;
        }
        this.seen += chunk.length;
        done(null, chunk);
    }
}
/** Files up to this size are read whole, in one call, straight into the tar. */
const SMALL_FILE = 64 * 1024;
const ZEROS = Buffer.alloc(BLOCK);
/**
 * Gathers entries into chunks of about CHUNK bytes, so that thousands of small
 * files make a few dozen writes down the pipeline rather than a few per file.
 * Headers are written and small files read straight into the chunk, and
 * padding is the chunk's zeros.
 */
class Chunker {
    buffer = Buffer.alloc(CHUNK);
    used = 0;
    /** The chunk gathered so far, when `bytes` more would not fit in it; a new one is started. */
    makeRoom(bytes) {
        if (this.used + bytes <= this.buffer.length)
            return undefined;
        const full = this.take();
        if (bytes > this.buffer.length)
            this.buffer = Buffer.alloc(bytes);
        return full;
    }
    get full() {
        return this.used >= CHUNK;
    }
    header(fields) {
        this.used += writeTarHeader(fields, this.buffer, this.used);
    }
    add(bytes) {
        bytes.copy(this.buffer, this.used);
        this.used += bytes.length;
    }
    /** Leaves zeros up to the next tar block after `size` bytes of content. */
    pad(size) {
        this.used += paddingAfter(size);
    }
    /** Reads a small file into the chunk, with room for one byte more (made first); returns its bytes. */
    readFile(source, size) {
        const start = this.used;
        readSmallFile(source, size, this.buffer, start);
        this.used += size;
        return this.buffer.subarray(start, this.used);
    }
    take() {
        if (this.used === 0)
            return undefined;
        const chunk = this.buffer.subarray(0, this.used);
        this.buffer = Buffer.alloc(CHUNK);
        this.used = 0;
        return chunk;
    }
}
/**
 * The layer's tar bytes. Directories, links, given content and small files
 * are written synchronously into chunks (a small file costs an open, a read
 * and a close, no stream and no promise); large files are streamed with
 * bounded memory. Each regular file's sha256 is reported as it is written.
 */
async function* tarBytes(entries, options) {
    const mtime = new Date(options.sourceDateEpoch * 1000);
    const chunker = new Chunker();
    for (const entry of entries) {
        const fields = headerOf(entry, mtime);
        if (entry.type === 'file' && !('content' in entry) && entry.size > SMALL_FILE) {
            const pending = chunker.take();
            if (pending !== undefined)
                yield pending;
            yield* streamedFile(entry, fields, options);
            continue;
        }
        const full = chunker.makeRoom(headerRoom(fields) + fields.size + BLOCK);
        if (full !== undefined)
            yield full;
        chunker.header(fields);
        if (entry.type === 'file') {
            const content = 'content' in entry ? entry.content : chunker.readFile(entry.source, fields.size);
            if ('content' in entry)
                chunker.add(content);
            chunker.pad(fields.size);
            options.onFileDigest?.(`/${entry.path}`, `sha256:${(0,external_node_crypto_.hash)('sha256', content)}`);
        }
        const ready = chunker.full ? chunker.take() : undefined;
        if (ready !== undefined)
            yield ready;
    }
    const last = chunker.makeRoom(END_OF_ARCHIVE.length);
    if (last !== undefined)
        yield last;
    chunker.add(END_OF_ARCHIVE);
    yield chunker.take();
}
function headerOf(entry, mtime) {
    if (entry.type === 'directory') {
        return { name: `${entry.path}/`, type: 'directory', mode: 0o755, size: 0, mtime };
    }
    if (entry.type === 'symlink') {
        return {
            name: entry.path,
            type: 'symlink',
            mode: 0o777,
            size: 0,
            mtime,
            linkname: entry.target,
        };
    }
    const size = 'content' in entry ? entry.content.length : entry.size;
    return { name: entry.path, type: 'file', mode: entry.executable ? 0o755 : 0o644, size, mtime };
}
/**
 * Reads a small file into `into` at `at`, where there is room for one byte
 * more than the listed size, so that a file that grew is noticed as well as
 * one that shrank.
 */
function readSmallFile(source, size, into, at) {
    let read = 0;
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)(source, 'r');
        // A short read of a regular file is its end, so a file read whole is not asked
        // again; an empty one is asked once, to see whether it is still empty.
        for (let n = -1; n !== 0 && read < Math.max(size, 1); read += n) {
            n = (0,external_node_fs_.readSync)(fd, into, at + read, size + 1 - read, read);
        }
    }
    catch (err) {
        throw unreadable(source, err);
    }
    finally {
        if (fd !== undefined)
            (0,external_node_fs_.closeSync)(fd);
    }
    if (read !== size)
        throw changedWhilePackaged(source, size, read);
}
/** A large file's header, bytes and padding, streamed. */
async function* streamedFile(entry, fields, options) {
    yield encodeTarHeader(fields);
    const digest = (0,external_node_crypto_.createHash)('sha256');
    let read = 0;
    const stream = (0,external_node_fs_.createReadStream)(entry.source, { highWaterMark: CHUNK });
    const chunks = stream[Symbol.asyncIterator]();
    try {
        for (;;) {
            // Only the file's own errors are its; a failure downstream arrives at the yield.
            const next = await chunks.next().catch((err) => {
                throw unreadable(entry.source, err);
            });
            if (next.done === true)
                break;
            read += next.value.length;
            // A file that grows or shrinks while it is read would corrupt the tar.
            if (read > entry.size)
                break;
            digest.update(next.value);
            yield next.value;
        }
    }
    finally {
        stream.destroy();
    }
    if (read !== entry.size)
        throw changedWhilePackaged(entry.source, entry.size, read);
    options.onFileDigest?.(`/${entry.path}`, `sha256:${digest.digest('hex')}`);
    const padding = paddingAfter(entry.size);
    if (padding > 0)
        yield ZEROS.subarray(0, padding);
}
function changedWhilePackaged(source, listed, read) {
    const now = read > listed ? 'more' : String(read);
    return new errors/* UserError */.yo(`${source} changed while it was packaged (${listed} bytes when listed, ${now} when read)`, { hint: 'package files that nothing writes to during the build' });
}
/** A model file that vanished or cannot be read between the listing and the tar. */
function unreadable(source, err) {
    const code = err.code;
    const problem = code === 'ENOENT'
        ? 'was removed while it was packaged'
        : `could not be read (${err.message})`;
    return new errors/* UserError */.yo(`${source} ${problem}`, {
        hint: code === 'EACCES' || code === 'EPERM'
            ? "make the model files readable by the runner's user"
            : 'package files that nothing writes to during the build',
        cause: err,
    });
}
/**
 * Writes one layer blob into the layout, streaming: tar → sha256 (diff id) →
 * optional gzip → sha256 (blob digest) → file. Memory stays flat whatever the size.
 * Uncompressed layers are hashed once, since their diff id is their digest.
 */
async function writeLayer(layout, entries, options) {
    const tarred = tarBytes(normaliseEntries(entries), options);
    if (options.compression === 'none') {
        const blob = await layout.writeBlob(tarred);
        return {
            descriptor: { mediaType: media_types/* MediaType */.zu.ociLayer, digest: blob.digest, size: blob.size },
            diffId: blob.digest,
            uncompressedSize: blob.size,
        };
    }
    const uncompressed = new digest/* DigestingStream */.Xi();
    const gzip = (0,external_node_zlib_.createGzip)({ level: options.gzipLevel ?? external_node_zlib_.constants.Z_BEST_COMPRESSION, memLevel: 9 });
    const blob = await layout.writeBlob(tarred, uncompressed, gzip, new PinGzipOsByte());
    return {
        descriptor: { mediaType: media_types/* MediaType */.zu.ociLayerGzip, digest: blob.digest, size: blob.size },
        diffId: uncompressed.digest,
        uncompressedSize: uncompressed.size,
    };
}

;// CONCATENATED MODULE: ./shared/model/compression.ts


const SAMPLE_BYTES = 64 * 1024;
const SAMPLES = 16;
/**
 * Compress the model layer only when gzip would save at least a third.
 *
 * Measured on a 2-core machine with float32 weights: gzip -6 made 64 MB of
 * weights 7.7% smaller (gzip -1: 7.4%) and ran at 3-25 MB/s depending on load,
 * while the uncompressed 420 MB layer was written at 50-190 MB/s (faster than
 * `sha256sum` of the same file in every run). Trained float weights are close
 * to random in their mantissa bits, so gzip costs minutes per GB for a few
 * percent. Registries store and serve uncompressed OCI layers
 * (`application/vnd.oci.image.layer.v1.tar`) like any other, and an
 * uncompressed layer's digest cannot change with a zlib version. Models that
 * are mostly text or zeros (pickled trees, sparse tensors, tokenizer files) do
 * compress well, hence a measurement instead of a fixed rule.
 */
const MAX_RATIO_FOR_GZIP = 0.66;
/** One read at `offset`, synchronously: sixteen small reads are quicker than their promises. */
function readSample(source, offset, length) {
    const buffer = Buffer.alloc(length);
    const fd = (0,external_node_fs_.openSync)(source, 'r');
    try {
        return buffer.subarray(0, (0,external_node_fs_.readSync)(fd, buffer, 0, length, offset));
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/**
 * Estimates how well the model's bytes compress from evenly spread samples
 * (a deterministic choice: the same bytes always give the same answer).
 */
async function chooseModelCompression(files) {
    const total = files.reduce((sum, f) => sum + f.size, 0);
    if (total === 0)
        return { compression: 'none', ratio: 1 };
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const samples = [];
    const step = total / SAMPLES;
    let sampled = 0;
    for (let i = 0; i < SAMPLES && sampled < total; i++) {
        let offset = Math.floor(i * step);
        for (const file of sorted) {
            if (offset < file.size) {
                const sample = readSample(file.source, offset, Math.min(SAMPLE_BYTES, file.size - offset));
                samples.push(sample);
                sampled += sample.length;
                break;
            }
            offset -= file.size;
        }
    }
    const raw = Buffer.concat(samples);
    const compressed = (0,external_node_zlib_.deflateRawSync)(raw, { level: external_node_zlib_.constants.Z_DEFAULT_COMPRESSION });
    const ratio = raw.length === 0 ? 1 : compressed.length / raw.length;
    return { compression: ratio <= MAX_RATIO_FOR_GZIP ? 'gzip' : 'none', ratio };
}

;// CONCATENATED MODULE: ./shared/model/files.ts




function toPosix(path) {
    return external_node_path_.sep === '/' ? path : path.split(external_node_path_.sep).join('/');
}
function isInside(root, candidate) {
    const rel = (0,external_node_path_.relative)(root, candidate);
    return rel === '' || (!rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel));
}
/** A model given as one file. */
async function singleFileTree(given, size, mode, path, input) {
    // A lone 0-byte file is refused: no serving runtime loads an empty model, so
    // it is almost always a failed download or an LFS pointer not pulled.
    if (size === 0) {
        throw new errors/* InputError */.dz(input, `points at ${path}, an empty file`, 'the model file itself, after git lfs pull or the download step');
    }
    const real = await (0,promises_.realpath)(given);
    return {
        root: (0,external_node_path_.dirname)(real),
        singleFile: true,
        files: [{ path: (0,external_node_path_.basename)(given), size, executable: (mode & 0o111) !== 0, source: real }],
        symlinks: [],
        directories: [],
        totalSize: size,
    };
}
/** Image layers carry UTF-8 names; a name that does not round-trip would be renamed silently. */
function checkUtf8Name(walk, folder, raw) {
    const name = raw.toString('utf8');
    // Decoding replaces every invalid sequence with U+FFFD: without one, the name round-trips.
    if (name.includes('\uFFFD') && !Buffer.from(name, 'utf8').equals(raw)) {
        throw new errors/* InputError */.dz(walk.input, `contains a file name that is not UTF-8: ${toPosix((0,external_node_path_.relative)(walk.tree.root, (0,external_node_path_.join)(folder, name)))}`, 'rename it to UTF-8, e.g. with convmv -f latin1 -t utf8');
    }
    return name;
}
function addFile(walk, full, rel, entry) {
    walk.tree.files.push({
        path: rel,
        size: entry.size,
        executable: (entry.mode & 0o111) !== 0,
        source: full,
    });
    walk.tree.totalSize += entry.size;
    if (entry.nlink > 1) {
        const key = `${entry.dev}:${entry.ino}`;
        const known = walk.links.get(key);
        if (known)
            known.seen++;
        else
            walk.links.set(key, { path: rel, nlink: entry.nlink, seen: 1 });
    }
}
/** A symlink is kept only when it and what it resolves to stay inside the model. */
async function addSymlink(walk, full, rel) {
    const { root } = walk.tree;
    const target = await (0,promises_.readlink)(full);
    const resolved = (0,external_node_path_.resolve)((0,external_node_path_.dirname)(full), target);
    let real;
    try {
        real = await (0,promises_.realpath)(full);
    }
    catch {
        real = undefined;
    }
    if (!isInside(root, resolved) || real === undefined || !isInside(root, real)) {
        throw new errors/* InputError */.dz(walk.input, `contains a symlink that ${real === undefined ? 'leads nowhere' : 'leads outside the model folder'}: ${rel} -> ${target}`, 'replace it with the file it points to, or remove it');
    }
    walk.tree.symlinks.push({ path: rel, target: toPosix((0,external_node_path_.relative)((0,external_node_path_.dirname)(full), real)) });
}
function refuseSpecialFile(walk, rel, entry) {
    const kind = entry.isSocket()
        ? 'a socket'
        : entry.isFIFO()
            ? 'a FIFO'
            : entry.isCharacterDevice() || entry.isBlockDevice()
                ? 'a device file'
                : 'a special file';
    throw new errors/* InputError */.dz(walk.input, `contains ${kind}, which cannot go into an image: ${rel}`, 'a folder holding only the model files; remove it or point the input at a subfolder');
}
/** An entry (or folder) that is gone or cannot be read by the time the walk reaches it. */
function unreadableEntry(walk, rel, err) {
    const gone = err.code === 'ENOENT';
    const what = rel === '' ? 'the model folder' : rel;
    return new errors/* InputError */.dz(walk.input, gone
        ? `contains ${what}, which was removed while the model was read`
        : `contains ${what}, which could not be read (${err.message})`, undefined, gone ? 'package a folder that nothing writes to during the build' : undefined);
}
function lstatListed(walk, full, rel) {
    try {
        return (0,external_node_fs_.lstatSync)(full);
    }
    catch (err) {
        throw unreadableEntry(walk, rel, err);
    }
}
function listFolder(walk, folder, rel) {
    try {
        return (0,external_node_fs_.readdirSync)(folder, { encoding: 'buffer' });
    }
    catch (err) {
        throw unreadableEntry(walk, rel, err);
    }
}
/**
 * One folder, depth first. The listing and each entry's lstat are
 * synchronous: for thousands of small files, a promise per call (a round
 * trip through the thread pool) costs more than the call.
 * Paths relative to the root are built as the walk descends.
 */
async function walkFolder(walk, folder, relFolder) {
    const entries = listFolder(walk, folder, relFolder);
    for (const raw of entries) {
        const name = checkUtf8Name(walk, folder, raw);
        // A real path and a name from its listing: nothing for join to normalise.
        const full = folder.endsWith(external_node_path_.sep) ? folder + name : folder + external_node_path_.sep + name;
        const rel = relFolder === '' ? name : `${relFolder}/${name}`;
        const entry = lstatListed(walk, full, rel);
        if (entry.isDirectory()) {
            walk.tree.directories.push(rel);
            await walkFolder(walk, full, rel);
        }
        else if (entry.isFile()) {
            addFile(walk, full, rel, entry);
        }
        else if (entry.isSymbolicLink()) {
            await addSymlink(walk, full, rel);
        }
        else {
            refuseSpecialFile(walk, rel, entry);
        }
    }
}
/**
 * Reads a model file or folder. Refuses, naming the path: device files,
 * sockets and FIFOs, symlinks that lead outside the model folder (or nowhere),
 * and files hard-linked to a name outside the model (their bytes belong to
 * something else on the machine).
 */
async function collectModel(path, input = 'model') {
    const given = (0,external_node_path_.resolve)(path);
    if (!(0,external_node_fs_.existsSync)(given)) {
        throw new errors/* InputError */.dz(input, `points at ${path}, which does not exist`, 'models/resnet50');
    }
    const info = await (0,promises_.stat)(given);
    if (info.isFile())
        return singleFileTree(given, info.size, info.mode, path, input);
    if (!info.isDirectory()) {
        throw new errors/* InputError */.dz(input, `points at ${path}, which is neither a file nor a folder`, 'models/resnet50');
    }
    const root = await (0,promises_.realpath)(given);
    const walk = {
        tree: { root, singleFile: false, files: [], symlinks: [], directories: [], totalSize: 0 },
        links: new Map(),
        input,
    };
    await walkFolder(walk, root, '');
    for (const link of walk.links.values()) {
        if (link.seen < link.nlink) {
            throw new errors/* InputError */.dz(input, `contains ${link.path}, a file hard-linked to a name outside the model folder`, 'copy the file into the model folder instead of linking it');
        }
    }
    if (walk.tree.files.length === 0) {
        throw new errors/* InputError */.dz(input, `points at ${path}, a folder with no files in it`, 'models/resnet50 holding model.onnx');
    }
    return walk.tree;
}

// EXTERNAL MODULE: ./shared/model/grpc-api.ts
var grpc_api = __webpack_require__(40539);
;// CONCATENATED MODULE: ./shared/model/openapi-document.ts
/**
 * An OpenAPI 3.1 document of the endpoints the runtime serves for this model:
 * Open Inference Protocol v2 (Triton, MLServer), TF Serving REST, TorchServe
 * inference API, the OpenAI-compatible API (vLLM), or the health path only.
 */
function openApiDocument(options) {
    const { runtime, name, version, signature } = options;
    const port = runtime.ports[0]?.port ?? 8080;
    const json = (schema) => ({ content: { 'application/json': { schema } } });
    const ok = (description, schema = { type: 'object' }) => ({
        '200': { description, ...json(schema) },
    });
    const health = (path) => ({
        get: {
            summary: 'Health',
            operationId: `health${path.replace(/\W+/g, '_')}`,
            responses: { '200': { description: 'Healthy' } },
        },
    });
    const paths = {};
    for (const path of new Set([runtime.health.live, runtime.health.ready])) {
        paths[path.replace('{name}', name)] = health(path);
    }
    Object.assign(paths, protocolPaths(runtime.protocol, { name, version, signature, json, ok }));
    return {
        openapi: '3.1.0',
        info: {
            title: `${name} (${runtime.name})`,
            version,
            description: `Endpoints that the ${runtime.name} runtime serves for model ${name} version ${version}.`,
        },
        servers: [{ url: `http://localhost:${port}` }],
        paths,
        ...(signature ? { 'x-model-signature': signature } : {}),
    };
}
function tensorSchema(specs) {
    const tensor = {
        type: 'object',
        required: ['name', 'shape', 'datatype', 'data'],
        properties: {
            name: specs && specs.length > 0 ? { enum: specs.map((s) => s.name) } : { type: 'string' },
            shape: { type: 'array', items: { type: 'integer' } },
            datatype: { type: 'string' },
            parameters: { type: 'object' },
            data: { type: 'array' },
        },
    };
    return { type: 'array', items: tensor };
}
function protocolPaths(protocol, paths) {
    switch (protocol) {
        case 'open-inference-v2':
            return openInferencePaths(paths);
        case 'tfserving':
            return tfServingPaths(paths);
        case 'torchserve':
            return torchServePaths(paths);
        case 'openai':
            return openAiPaths(paths);
        case 'http':
            return {};
    }
}
/** Open Inference Protocol v2 (Triton, MLServer). */
function openInferencePaths(paths) {
    const { name, version, signature, json, ok } = paths;
    const request = {
        type: 'object',
        required: ['inputs'],
        properties: {
            id: { type: 'string' },
            parameters: { type: 'object' },
            inputs: tensorSchema(signature?.inputs),
            outputs: { type: 'array' },
        },
    };
    const response = {
        type: 'object',
        properties: {
            model_name: { type: 'string' },
            model_version: { type: 'string' },
            id: { type: 'string' },
            outputs: tensorSchema(signature?.outputs),
        },
    };
    const infer = {
        post: {
            summary: `Infer with ${name}`,
            operationId: 'infer',
            requestBody: { required: true, ...json(request) },
            responses: ok('Inference result', response),
        },
    };
    return {
        '/v2': {
            get: {
                summary: 'Server metadata',
                operationId: 'serverMetadata',
                responses: ok('Server metadata'),
            },
        },
        [`/v2/models/${name}`]: {
            get: {
                summary: 'Model metadata',
                operationId: 'modelMetadata',
                responses: ok('Model metadata'),
            },
        },
        [`/v2/models/${name}/ready`]: {
            get: {
                summary: 'Model ready',
                operationId: 'modelReady',
                responses: { '200': { description: 'Ready' } },
            },
        },
        // The protocol's way to ask whether a version is served (smoke-test checks model-version so).
        [`/v2/models/${name}/versions/${version}`]: {
            get: {
                summary: `Model metadata of version ${version}`,
                operationId: 'modelVersionMetadata',
                responses: ok('Model metadata'),
            },
        },
        [`/v2/models/${name}/versions/${version}/ready`]: {
            get: {
                summary: `Model version ${version} ready`,
                operationId: 'modelVersionReady',
                responses: { '200': { description: 'Ready' } },
            },
        },
        [`/v2/models/${name}/infer`]: infer,
        [`/v2/models/${name}/versions/${version}/infer`]: {
            post: { ...infer.post, operationId: 'inferVersion' },
        },
    };
}
/** TF Serving REST. */
function tfServingPaths(paths) {
    const { name, version, json, ok } = paths;
    return {
        [`/v1/models/${name}/metadata`]: {
            get: {
                summary: 'Model metadata',
                operationId: 'modelMetadata',
                responses: ok('SignatureDef map'),
            },
        },
        [`/v1/models/${name}:predict`]: {
            post: {
                summary: `Predict with ${name}`,
                operationId: 'predict',
                requestBody: {
                    required: true,
                    ...json({
                        type: 'object',
                        properties: {
                            signature_name: { type: 'string' },
                            instances: { type: 'array' },
                            inputs: {},
                        },
                    }),
                },
                responses: ok('Predictions', {
                    type: 'object',
                    properties: { predictions: { type: 'array' }, outputs: {} },
                }),
            },
        },
        [`/v1/models/${name}/versions/${version}:predict`]: {
            post: {
                summary: `Predict with ${name} version ${version}`,
                operationId: 'predictVersion',
                requestBody: { required: true, ...json({ type: 'object' }) },
                responses: ok('Predictions'),
            },
        },
    };
}
/** TorchServe inference API. */
function torchServePaths(paths) {
    const { name, version, ok } = paths;
    return {
        [`/predictions/${name}`]: {
            post: {
                summary: `Predict with ${name}`,
                operationId: 'predict',
                requestBody: {
                    required: true,
                    content: {
                        'application/json': { schema: {} },
                        'application/octet-stream': {
                            schema: { type: 'string', contentEncoding: 'base64' },
                        },
                    },
                },
                responses: ok('Prediction', {}),
            },
        },
        [`/predictions/${name}/${version}`]: {
            post: {
                summary: `Predict with ${name} version ${version}`,
                operationId: 'predictVersion',
                requestBody: { required: true, content: { 'application/json': { schema: {} } } },
                responses: ok('Prediction', {}),
            },
        },
    };
}
/** The OpenAI-compatible API (vLLM). */
function openAiPaths(paths) {
    const { name, json, ok } = paths;
    const message = {
        type: 'object',
        required: ['role', 'content'],
        properties: {
            role: { enum: ['system', 'user', 'assistant'] },
            content: { type: 'string' },
        },
    };
    return {
        '/v1/models': {
            get: { summary: 'Served models', operationId: 'listModels', responses: ok('Model list') },
        },
        '/v1/completions': {
            post: {
                summary: 'Completion',
                operationId: 'completion',
                requestBody: {
                    required: true,
                    ...json({
                        type: 'object',
                        required: ['model', 'prompt'],
                        properties: {
                            model: { const: name },
                            prompt: { type: 'string' },
                            max_tokens: { type: 'integer' },
                            temperature: { type: 'number' },
                        },
                    }),
                },
                responses: ok('Completion'),
            },
        },
        '/v1/chat/completions': {
            post: {
                summary: 'Chat completion',
                operationId: 'chatCompletion',
                requestBody: {
                    required: true,
                    ...json({
                        type: 'object',
                        required: ['model', 'messages'],
                        properties: {
                            model: { const: name },
                            messages: { type: 'array', items: message },
                            max_tokens: { type: 'integer' },
                        },
                    }),
                },
                responses: ok('Chat completion'),
            },
        },
    };
}

// EXTERNAL MODULE: ./shared/model/annotations.ts
var annotations = __webpack_require__(77746);
;// CONCATENATED MODULE: ./shared/model/package.ts


















const MODEL_CARD_PATH = '/model-deploy/model.json';
const OPENAPI_PATH = '/model-deploy/openapi.json';
/** The `.proto` files of the runtime's gRPC API, when it serves one. */
const GRPC_PROTO_DIR = '/model-deploy/grpc';
function isoDate(epochSeconds) {
    return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
/** Tags allow fewer characters than versions; the layout's tag is the version made tag-safe. */
function tagFor(version) {
    const cleaned = version.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[.-]+/, '');
    return (0,oci_reference/* isValidTag */.r_)(cleaned) ? cleaned : 'latest';
}
/**
 * The model digest: sha256 of the model's `sha256sum` listing (`<hex>  <path>`
 * per file, sorted by path in byte order). It names the model's bytes and file
 * names regardless of where a runtime puts them, and anyone can recompute it:
 * `find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum` in the model folder.
 */
function modelDigestOf(files) {
    const listing = [...files]
        .sort((a, b) => compareBytes(a.path, b.path))
        .map((f) => `${f.sha256.slice(7)}  ./${f.path}\n`)
        .join('');
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(listing).digest('hex')}`;
}
/**
 * Builds the image: resolves the base (manifest and config only), writes the
 * model layer and the runtime-config layer, then one config and manifest per
 * platform, and an index when the base is multi-platform.
 */
async function packageModel(request) {
    const { runtime, logger } = request;
    const tree = await collectModel(request.modelPath);
    const context = { name: request.name, version: request.version, tree };
    const plan = runtime.plan(context);
    let base;
    let scratchPlatforms = [];
    if (request.baseImage === 'scratch') {
        scratchPlatforms = (request.platforms.length > 0 ? request.platforms : ['linux/amd64']).map((p) => parsePlatform(p));
    }
    else {
        base = await resolveBaseImage(request.baseImage, {
            platforms: request.platforms,
            credential: request.baseCredential,
            insecureHosts: request.insecureHosts,
            logger,
        });
    }
    const layout = await oci_layout/* LayoutWriter */.s1.create(request.output);
    try {
        return await writeImage(request, layout, base, scratchPlatforms, plan, tree, context);
    }
    catch (err) {
        // Nothing half-done: a failed build leaves no layout that push could pick up.
        await (0,promises_.rm)(request.output, { recursive: true, force: true });
        throw err;
    }
}
async function writeImage(request, layout, base, scratchPlatforms, plan, tree, context) {
    const created = isoDate(request.sourceDateEpoch);
    const model = await writeModelLayers(request, layout, plan, tree);
    const platforms = base ? base.images.map((i) => i.platform) : scratchPlatforms;
    const baseLineage = base ? { name: base.name, digest: base.digest } : undefined;
    const annotations = lineageAnnotations(request, created, model.digest, baseLineage);
    const openapi = openApiDocument({
        runtime: request.runtime,
        name: request.name,
        version: request.version,
        signature: plan.signature,
    });
    const ports = request.ports ?? request.runtime.ports.map((p) => p.port);
    const openapiBytes = Buffer.from(JSON.stringify(openapi, null, 2) + '\n');
    const card = modelCard(request, plan, model, { created, ports, baseLineage });
    const configLayer = await writeConfigLayer(request, layout, plan, card, openapiBytes);
    const images = await writeManifests(request, layout, {
        base,
        platforms,
        created,
        context,
        model,
        configLayer,
        ports,
        annotations,
    });
    const top = await writeTop(layout, images.manifests, base, annotations);
    const tag = await finishLayout(request, layout, {
        top,
        base,
        baseLineage,
        external: images.external,
    });
    const openapiPath = (0,external_node_path_.join)(request.output, 'openapi.json');
    await (0,promises_.writeFile)(openapiPath, openapiBytes);
    return {
        layout: request.output,
        tag,
        digest: top.digest,
        mediaType: top.mediaType,
        modelDigest: model.digest,
        openapi: openapiPath,
        annotations,
        layers: packagedLayers(base, model, configLayer),
        platforms: platforms.map(platformString),
        base: baseLineage,
        modelPath: plan.modelPath,
        modelCompressionRatio: model.ratio,
    };
}
/**
 * The model layers: only the model's bytes, so a new base or config never
 * re-uploads them; each large file in a layer of its own, so changing a small
 * file (a tokenizer, a config) re-uploads only the small files' layer.
 */
async function writeModelLayers(request, layout, plan, tree) {
    const groups = modelLayerGroups(plan);
    // Each group is sampled once; the model's ratio is theirs weighted by size.
    const choices = await Promise.all(groups.map((group) => chooseModelCompression(group.files.map((f) => f.file))));
    const ratio = weightedRatio(groups, choices);
    request.logger.info(`model: ${plan.files.length} files, ${tree.totalSize} bytes in ${groups.length} layer${groups.length === 1 ? '' : 's'}; gzip sample ratio ${ratio.toFixed(3)}`);
    const digestsByImagePath = new Map();
    const sampled = groups.map((group, i) => ({ ...group, compression: choices[i]?.compression }));
    const layers = await (0,concurrency/* mapConcurrently */.X)(sampled, LAYER_WRITERS, async (group) => {
        const compression = group.compression ?? 'none';
        const built = await writeLayer(layout, group.entries, {
            sourceDateEpoch: request.sourceDateEpoch,
            compression,
            gzipLevel: 6,
            onFileDigest: (path, digest) => digestsByImagePath.set(path, digest),
        });
        return { ...built, path: group.path };
    });
    const files = plan.files.map(({ file, imagePath }) => ({
        path: file.path,
        imagePath,
        size: file.size,
        sha256: digestsByImagePath.get(imagePath),
    }));
    return { layers, files, digest: modelDigestOf(files), ratio };
}
/** The model's gzip sample ratio: each layer's, weighted by its bytes (no second sample of the whole). */
function weightedRatio(groups, choices) {
    let bytes = 0;
    let weighted = 0;
    groups.forEach((group, i) => {
        const size = group.files.reduce((sum, f) => sum + f.file.size, 0);
        bytes += size;
        weighted += size * (choices[i]?.ratio ?? 1);
    });
    return bytes === 0 ? 1 : weighted / bytes;
}
/** The manifest annotations: OCI lineage, the model and where it came from, then the user's. */
function lineageAnnotations(request, created, modelDigest, baseLineage) {
    const { lineage, source } = request;
    return {
        'org.opencontainers.image.title': request.name,
        'org.opencontainers.image.version': request.version,
        'org.opencontainers.image.created': created,
        ...(lineage.source ? { 'org.opencontainers.image.source': lineage.source } : {}),
        ...(lineage.revision ? { 'org.opencontainers.image.revision': lineage.revision } : {}),
        ...(baseLineage
            ? {
                'org.opencontainers.image.base.name': baseLineage.name,
                'org.opencontainers.image.base.digest': baseLineage.digest,
            }
            : {}),
        [`${annotations/* ANNOTATION_PREFIX */.L}.model.name`]: request.name,
        [`${annotations/* ANNOTATION_PREFIX */.L}.model.version`]: request.version,
        [`${annotations/* ANNOTATION_PREFIX */.L}.model.digest`]: modelDigest,
        [`${annotations/* ANNOTATION_PREFIX */.L}.model.source`]: source.kind,
        [`${annotations/* ANNOTATION_PREFIX */.L}.runtime`]: request.runtime.name,
        ...(source.mlflow?.name !== undefined
            ? { [`${annotations/* ANNOTATION_PREFIX */.L}.mlflow.model`]: source.mlflow.name }
            : {}),
        ...(source.mlflow?.version !== undefined
            ? { [`${annotations/* ANNOTATION_PREFIX */.L}.mlflow.version`]: source.mlflow.version }
            : {}),
        ...(source.mlflow?.runId
            ? { [`${annotations/* ANNOTATION_PREFIX */.L}.mlflow.run-id`]: source.mlflow.runId }
            : {}),
        ...(source.mlflow?.modelId
            ? { [`${annotations/* ANNOTATION_PREFIX */.L}.mlflow.model-id`]: source.mlflow.modelId }
            : {}),
        ...(source.dvc ? { [`${annotations/* ANNOTATION_PREFIX */.L}.dvc.md5`]: source.dvc.md5 } : {}),
        ...request.annotations,
    };
}
/** The model card at MODEL_CARD_PATH: what is served, where, and where it came from. */
function modelCard(request, plan, model, facts) {
    const { runtime, lineage } = request;
    // The REST contract is the OpenAPI document; the gRPC one is the protocol's .proto.
    const grpc = (0,grpc_api/* grpcApiOf */.u$)(runtime);
    return {
        schemaVersion: 1,
        name: request.name,
        version: request.version,
        runtime: runtime.name,
        protocol: runtime.protocol,
        modelPath: plan.modelPath,
        modelDigest: model.digest,
        files: model.files.map((f) => ({ path: f.imagePath, size: f.size, sha256: f.sha256 })),
        ports: facts.ports,
        health: {
            live: runtime.health.live.replace('{name}', request.name),
            ready: runtime.health.ready.replace('{name}', request.name),
        },
        source: sourceForCard(request.source),
        lineage: {
            created: facts.created,
            ...(lineage.source ? { source: lineage.source } : {}),
            ...(lineage.revision ? { revision: lineage.revision } : {}),
            ...(facts.baseLineage ? { base: facts.baseLineage } : {}),
        },
        ...(plan.signature ? { signature: plan.signature } : {}),
        ...(grpc
            ? {
                grpc: {
                    port: grpc.port,
                    package: grpc.api.package,
                    services: grpc.api.services,
                    proto: `${GRPC_PROTO_DIR}/${grpc.api.files[0].path}`,
                },
            }
            : {}),
    };
}
/** The runtime config layer: generated config, the model card, the OpenAPI document, the .proto files. */
function writeConfigLayer(request, layout, plan, card, openapiBytes) {
    const grpc = (0,grpc_api/* grpcApiOf */.u$)(request.runtime);
    return writeLayer(layout, [
        ...plan.generated.map((g) => ({
            type: 'file',
            path: g.imagePath,
            content: g.content,
        })),
        {
            type: 'file',
            path: MODEL_CARD_PATH,
            content: Buffer.from(JSON.stringify(card, null, 2) + '\n'),
        },
        { type: 'file', path: OPENAPI_PATH, content: openapiBytes },
        ...(grpc?.api.files ?? []).map((file) => ({
            type: 'file',
            path: `${GRPC_PROTO_DIR}/${file.path}`,
            content: Buffer.from(file.text),
        })),
    ], { sourceDateEpoch: request.sourceDateEpoch, compression: 'gzip' });
}
/** The image config of one platform: the base's, with our layers, env, command and ports. */
function platformConfig(request, inputs, platform, baseConfig) {
    const { runtime } = request;
    const command = runtime.command(inputs.context);
    const env = [
        ...Object.entries(runtime.env(inputs.context)),
        ['MODEL_DEPLOY_MODEL_NAME', request.name],
        ['MODEL_DEPLOY_MODEL_VERSION', request.version],
        ...Object.entries(request.env),
    ];
    return extendConfig(baseConfig, platform, {
        created: inputs.created,
        layers: [
            ...inputs.model.layers.map((l) => ({
                diffId: l.diffId,
                createdBy: `model-deploy: model ${request.name} ${request.version} (${runtime.name})${l.path ? `: ${l.path}` : ''}`,
            })),
            {
                diffId: inputs.configLayer.diffId,
                createdBy: `model-deploy: ${runtime.name} configuration and model card`,
            },
        ],
        env,
        ...((request.entrypoint ?? command.entrypoint)
            ? { entrypoint: request.entrypoint ?? command.entrypoint }
            : {}),
        ...((request.cmd ?? command.cmd) ? { cmd: request.cmd ?? command.cmd } : {}),
        exposedPorts: inputs.ports.map((p) => `${p}/tcp`),
        labels: { ...pickLineageLabels(inputs.annotations), ...request.labels },
    });
}
/** One config and manifest per platform; the base's layers are recorded as external blobs. */
async function writeManifests(request, layout, inputs) {
    const { base } = inputs;
    const ourLayers = [
        ...inputs.model.layers.map((l) => l.descriptor),
        inputs.configLayer.descriptor,
    ];
    const manifests = [];
    const external = {};
    for (const platform of inputs.platforms) {
        const image = base?.images.find((i) => i.platform === platform);
        const config = platformConfig(request, inputs, platform, image?.config);
        const configDescriptor = await layout.writeJson(media_types/* MediaType */.zu.ociConfig, config);
        const baseLayers = image?.layers ?? [];
        for (const layer of baseLayers) {
            external[layer.digest] = {
                repository: base.repository,
                size: layer.size,
                mediaType: layer.mediaType,
            };
        }
        const manifest = {
            schemaVersion: 2,
            mediaType: media_types/* MediaType */.zu.ociManifest,
            config: configDescriptor,
            layers: [...baseLayers, ...ourLayers],
            annotations: image
                ? { ...inputs.annotations, 'org.opencontainers.image.base.digest': image.manifestDigest }
                : inputs.annotations,
        };
        const descriptor = await layout.writeJson(media_types/* MediaType */.zu.ociManifest, manifest);
        manifests.push({ ...descriptor, platform });
    }
    return { manifests, external };
}
/** The one manifest, or an index of them when the base is multi-platform. */
async function writeTop(layout, manifests, base, annotations) {
    if (manifests.length === 1 && !base?.isIndex) {
        const { platform: _platform, ...single } = manifests[0];
        return single;
    }
    const index = {
        schemaVersion: 2,
        mediaType: media_types/* MediaType */.zu.ociIndex,
        manifests,
        annotations,
    };
    return layout.writeJson(media_types/* MediaType */.zu.ociIndex, index);
}
/** Base layers when asked for, index.json under the version's tag, and model-deploy.json. */
async function finishLayout(request, layout, written) {
    if (written.base && request.includeBaseLayers) {
        await downloadBaseLayers(written.base, layout, request.logger);
    }
    const tag = tagFor(request.version);
    await layout.writeIndex(written.top, tag);
    const metadata = {
        schemaVersion: 1,
        name: request.name,
        version: request.version,
        tag,
        ...(written.baseLineage ? { base: written.baseLineage } : {}),
        externalBlobs: request.includeBaseLayers ? {} : written.external,
    };
    await layout.writeMetadata(metadata);
    return tag;
}
function packagedLayers(base, model, configLayer) {
    const firstBase = base?.images[0]?.layers ?? [];
    return [
        ...firstBase.map((l) => ({
            role: 'base',
            mediaType: l.mediaType,
            digest: l.digest,
            size: l.size,
        })),
        ...model.layers.map((l) => ({
            role: 'model',
            ...l.descriptor,
            ...(l.path ? { path: l.path } : {}),
        })),
        { role: 'runtime config', ...configLayer.descriptor },
    ];
}
/** Model files from this size up get a layer of their own. */
const OWN_LAYER_BYTES = 4 * 1024 * 1024;
/**
 * At most this many files get their own layer (the largest ones), so that
 * with a base image's layers the image stays far below the layer depth
 * overlay filesystems mount (128).
 */
const MAX_FILE_LAYERS = 32;
/** Layers written at once: hashing is the work, one core each. */
const LAYER_WRITERS = Math.max(1, Math.min(2, (0,external_node_os_.availableParallelism)()));
/**
 * The model's files as layers: the small files, the directories and links
 * together first, then each large file alone (by path). The split depends only
 * on the files' sizes and paths, so the same model gives the same layers.
 */
function modelLayerGroups(plan) {
    const byPath = (a, b) => compareBytes(a.imagePath, b.imagePath);
    const large = new Set(plan.files
        .filter((f) => f.file.size >= OWN_LAYER_BYTES)
        .sort((a, b) => b.file.size - a.file.size || byPath(a, b))
        .slice(0, MAX_FILE_LAYERS));
    const fileEntry = ({ file, imagePath }) => ({
        type: 'file',
        path: imagePath,
        size: file.size,
        executable: file.executable,
        source: file.source,
    });
    const small = plan.files.filter((f) => !large.has(f));
    const groups = [];
    const shared = [
        ...plan.directories.map((path) => ({ type: 'directory', path })),
        ...small.map(fileEntry),
        ...plan.symlinks.map((l) => ({
            type: 'symlink',
            path: l.imagePath,
            target: l.target,
        })),
    ];
    if (shared.length > 0 || large.size === 0)
        groups.push({ files: small, entries: shared });
    // writeLayer adds each file's parent directories, so a file's layer stands on its own.
    for (const planned of [...large].sort(byPath)) {
        groups.push({ path: planned.imagePath, files: [planned], entries: [fileEntry(planned)] });
    }
    return groups;
}
/**
 * A local path as the card records it: relative to the workspace when inside
 * it, else just its name, so the image does not depend on where the checkout is.
 */
function portablePath(path) {
    const absolute = (0,external_node_path_.resolve)(path);
    const workspace = (0,external_node_path_.resolve)(process.env.GITHUB_WORKSPACE ?? process.cwd());
    const rel = (0,external_node_path_.relative)(workspace, absolute);
    if (rel !== '' && !rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel))
        return rel.split(external_node_path_.sep).join('/');
    return (0,external_node_path_.basename)(absolute);
}
/**
 * The model digest and OpenAPI document without building an image (the
 * Dockerfile path, where the user's build places the files).
 */
async function digestModel(modelPath) {
    const tree = await collectModel(modelPath);
    const files = [];
    for (const file of tree.files)
        files.push({ path: file.path, sha256: (await (0,digest/* digestFile */.TM)(file.source)).digest });
    return {
        digest: modelDigestOf(files),
        async writeOpenApi(runtime, name, version, folder) {
            const path = (0,external_node_path_.join)(folder, 'openapi.json');
            await (0,promises_.writeFile)(path, JSON.stringify(openApiDocument({ runtime, name, version }), null, 2) + '\n');
            return path;
        },
    };
}
/** Lineage also as config labels, which `docker inspect` and registries' UIs show. */
function pickLineageLabels(annotations) {
    return Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith('org.opencontainers.image.')));
}
function sourceForCard(source) {
    return {
        kind: source.kind,
        uri: source.kind === 'local' ? portablePath(source.uri) : source.uri,
        ...(source.mlflow ? { mlflow: source.mlflow } : {}),
        ...(source.dvc ? { dvc: source.dvc } : {}),
    };
}

// EXTERNAL MODULE: ./shared/model/runtimes/index.ts + 9 modules
var runtimes = __webpack_require__(98805);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./shared/clouds/registry.ts + 12 modules
var registry = __webpack_require__(31741);
;// CONCATENATED MODULE: ./shared/model/sources/dvc.ts










const MD5 = /^[0-9a-f]{32}$/;
function isDvcFile(path) {
    return path.endsWith('.dvc') && (0,external_node_fs_.existsSync)(path);
}
/** Finds the DVC project root: the nearest folder up from `start` that has `.dvc/`. */
function projectRoot(start) {
    let dir = (0,external_node_path_.resolve)(start);
    for (;;) {
        if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, '.dvc')) && (0,external_node_fs_.statSync)((0,external_node_path_.join)(dir, '.dvc')).isDirectory())
            return dir;
        const parent = (0,external_node_path_.dirname)(dir);
        if (parent === dir)
            return undefined;
        dir = parent;
    }
}
/** True when `path` is `folder` or inside it. */
function inside(folder, path) {
    const rel = (0,external_node_path_.relative)((0,external_node_path_.resolve)(folder), (0,external_node_path_.resolve)(path));
    return rel === '' || (!rel.startsWith(`..${external_node_path_.sep}`) && rel !== '..' && !(0,external_node_path_.isAbsolute)(rel));
}
const layouts = (md5, hash) => {
    const dvc3 = ['files', 'md5', md5.slice(0, 2), md5.slice(2)];
    const dvc2 = [md5.slice(0, 2), md5.slice(2)];
    return hash === 'md5' ? [dvc3, dvc2] : [dvc2, dvc3];
};
function localStore(folder) {
    return {
        location: folder,
        async find(md5, hash) {
            for (const parts of layouts(md5, hash)) {
                const candidate = (0,external_node_path_.join)(folder, ...parts);
                if ((0,external_node_fs_.existsSync)(candidate))
                    return candidate;
            }
            return undefined;
        },
        open: async (path) => (0,external_node_fs_.createReadStream)(path),
    };
}
/** A DVC remote in a bucket: objects under the URL's path, in either layout. */
function bucketStore(url, reader) {
    const prefix = new URL(url).pathname.replace(/^\/+|\/+$/g, '');
    const key = (parts) => [prefix, ...parts].filter((p) => p !== '').join('/');
    return {
        location: url,
        async find(md5, hash) {
            for (const parts of layouts(md5, hash)) {
                if (await reader.exists(key(parts)))
                    return key(parts);
            }
            return undefined;
        },
        open: (k) => reader.open(k),
    };
}
/** A config value as configobj writes it: `"…"` or `'…'` quotes around it are not part of it. */
function unquote(value) {
    const first = value[0];
    return value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)
        ? value.slice(1, -1)
        : value;
}
/** A remote in a cloud's object store, read with the remote's settings from .dvc/config. */
async function cloudStore(url, remoteName, settings, logger) {
    const store = (0,registry/* objectStoreFor */.WN)(url.slice(0, url.indexOf(':')).toLowerCase());
    if (store === undefined)
        return undefined;
    const reader = await store.reader({
        url,
        settings: Object.fromEntries(settings),
        source: `the DVC remote '${remoteName}'`,
        settingsFile: '.dvc/config',
        setCommand: (setting, value) => `dvc remote modify ${remoteName} ${setting} ${value}`,
        logger,
    });
    return bucketStore(url, reader);
}
/** The remote named by the output, or the default one from `.dvc/config` (and `config.local`). */
async function remoteStore(root, remoteName, logger) {
    const sections = new Map();
    for (const file of ['config', 'config.local']) {
        const path = (0,external_node_path_.join)(root, '.dvc', file);
        if (!(0,external_node_fs_.existsSync)(path))
            continue;
        let section = '';
        for (const raw of (await (0,promises_.readFile)(path, 'utf8')).split(/\r?\n/)) {
            const line = raw.trim();
            if (line === '' || line.startsWith('#') || line.startsWith(';'))
                continue;
            // `['remote "store"']` or `[core]`: read without a regular expression, in one pass.
            if (line.startsWith('[') && line.endsWith(']')) {
                section = unquote(line.slice(1, -1).trim()).replace(/"/g, '').split(/\s+/).join(' ');
                if (!sections.has(section))
                    sections.set(section, new Map());
                continue;
            }
            const eq = line.indexOf('=');
            if (eq > 0) {
                sections.get(section)?.set(line.slice(0, eq).trim(), unquote(line.slice(eq + 1).trim()));
            }
        }
    }
    const name = remoteName ?? sections.get('core')?.get('remote');
    if (name === undefined) {
        throw new errors/* UserError */.yo(`the DVC project at ${root} has no default remote`, {
            hint: 'run `dvc remote add -d <name> <url>` and commit .dvc/config',
        });
    }
    const url = sections.get(`remote ${name}`)?.get('url');
    if (url === undefined)
        throw new errors/* UserError */.yo(`the DVC remote '${name}' is not defined in ${(0,external_node_path_.join)(root, '.dvc', 'config')}`);
    if (url.startsWith('file://'))
        return localStore((0,external_node_url_.fileURLToPath)(url));
    const settings = sections.get(`remote ${name}`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
        const store = await cloudStore(url, name, settings, logger);
        if (store !== undefined)
            return store;
        const schemes = ['file', ...(0,registry/* objectStoreSchemes */.X$)()].map((scheme) => `${scheme}://`);
        throw new errors/* UserError */.yo(`the DVC remote '${name}' is ${url}; local, ${schemes.join(', ')} remotes are fetched directly`, {
            hint: 'run `dvc pull` in an earlier step and give the model path itself',
        });
    }
    // Relative remote URLs are relative to the config file's folder, .dvc/.
    return localStore((0,external_node_path_.isAbsolute)(url) ? url : (0,external_node_path_.resolve)(root, '.dvc', url));
}
/**
 * Hashes bytes as DVC does: `md5` over the bytes, or `md5-dos2unix`, which
 * reads 1 MiB blocks and hashes a block with CRLF turned into LF when its
 * first 512 bytes look like text (no NUL, at most 30% other than printable
 * ASCII and \n \r \t \f \b), as dvc-data's `Dos2UnixHashStreamFile` does.
 */
class DvcHasher {
    hash = (0,external_node_crypto_.createHash)('md5');
    pending = [];
    pendingBytes = 0;
    name;
    constructor(name) {
        this.name = name;
    }
    update(chunk) {
        if (this.name === 'md5') {
            this.hash.update(chunk);
            return;
        }
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        if (this.pendingBytes < DOS2UNIX_BLOCK)
            return;
        let all = Buffer.concat(this.pending);
        while (all.length >= DOS2UNIX_BLOCK) {
            this.block(all.subarray(0, DOS2UNIX_BLOCK));
            all = all.subarray(DOS2UNIX_BLOCK);
        }
        this.pending = [all];
        this.pendingBytes = all.length;
    }
    digest() {
        if (this.pendingBytes > 0)
            this.block(Buffer.concat(this.pending));
        this.pending = [];
        this.pendingBytes = 0;
        return this.hash.digest('hex');
    }
    block(block) {
        if (!isTextBlock(block.subarray(0, 512))) {
            this.hash.update(block);
            return;
        }
        let start = 0;
        for (let i = block.indexOf('\r\n'); i !== -1; i = block.indexOf('\r\n', i + 2)) {
            this.hash.update(block.subarray(start, i));
            start = i + 1;
        }
        this.hash.update(block.subarray(start));
    }
}
const DOS2UNIX_BLOCK = 1024 * 1024;
const TEXT_BYTES = new Set([...Array.from({ length: 95 }, (_, i) => i + 32), 10, 13, 9, 12, 8]);
function isTextBlock(block) {
    if (block.length === 0)
        return true;
    if (block.includes(0))
        return false;
    let other = 0;
    for (const byte of block)
        if (!TEXT_BYTES.has(byte))
            other++;
    return other / block.length <= 0.3;
}
/** Passes bytes through while hashing them. */
class HashCheck extends external_node_stream_.Transform {
    hasher;
    constructor(name) {
        super();
        this.hasher = new DvcHasher(name);
    }
    _transform(chunk, _e, done) {
        this.hasher.update(chunk);
        done(null, chunk);
    }
}
/** The hash of bytes already in memory (a `.dir` listing). */
function hashBytes(data, name) {
    const hasher = new DvcHasher(name);
    hasher.update(data);
    return hasher.digest();
}
async function copyVerified(context, md5, target, label) {
    const { remote } = context;
    if (!inside(context.destination, target)) {
        throw new errors/* UserError */.yo(`${context.model}: DVC names a path outside the model folder: ${label}`);
    }
    const source = await remote.find(md5, context.hash);
    if (source === undefined) {
        throw new errors/* UserError */.yo(`${context.model}: DVC object ${md5} for ${label} is not in the remote ${remote.location}`, { hint: 'run `dvc push` from where the model was added, then run this again' });
    }
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
    const check = new HashCheck(context.hash);
    await (0,external_node_stream_promises_.pipeline)(await remote.open(source), check, (0,external_node_fs_.createWriteStream)(target));
    const actual = check.hasher.digest();
    if (actual !== md5) {
        throw new errors/* UserError */.yo(`${context.model}: DVC hash mismatch for ${label}: the bytes in the remote ${remote.location} hash to ${context.hash} ${actual}, DVC recorded ${md5}`, {
            hint: 'the remote copy is corrupt or was overwritten; push the model again with `dvc push --force` from where it was added',
        });
    }
}
/** Checks an output entry: a 32-hex-digit md5 (`.dir` for folders), a path, a known hash. */
function checkOutput(out, file, input) {
    const o = out;
    if (typeof o?.md5 !== 'string' || typeof o.path !== 'string') {
        throw new errors/* InputError */.dz(input, `points at ${file}, whose output has no md5 and path`);
    }
    const md5 = o.md5.endsWith('.dir') ? o.md5.slice(0, -'.dir'.length) : o.md5;
    if (!MD5.test(md5)) {
        throw new errors/* InputError */.dz(input, `points at ${file}, whose output ${o.path} has md5 '${o.md5}', not 32 hex digits`);
    }
    if (o.hash !== undefined && o.hash !== 'md5' && o.hash !== 'md5-dos2unix') {
        throw new errors/* InputError */.dz(input, `points at ${file}, whose output ${o.path} uses the hash '${o.hash}'; md5 (DVC 3) and md5-dos2unix (DVC 2) are supported`);
    }
    return o;
}
async function readYaml(file, input, what) {
    try {
        // failsafe: every scalar stays a string, so an all-digit md5 is not read as a number.
        return (0,dist/* parse */.qg)(await (0,promises_.readFile)(file, 'utf8'), { schema: 'failsafe' });
    }
    catch (err) {
        throw new errors/* InputError */.dz(input, `points at ${file}, which is not a readable ${what}: ${err.message.split('\n')[0]}`);
    }
}
/** Reads the `.dvc` file, fetches its single output into `destination`, verifying every hash. */
async function fetchDvcModel(dvcFile, destination, logger, input = 'model', model = dvcFile) {
    const doc = (await readYaml(dvcFile, input, '.dvc file'));
    const outs = doc?.outs ?? [];
    if (!Array.isArray(outs) || outs.length !== 1) {
        throw new errors/* InputError */.dz(input, `points at ${dvcFile}, which must have exactly one output`);
    }
    const out = checkOutput(outs[0], dvcFile, input);
    return fetchOutput({ out, file: dvcFile, base: (0,external_node_path_.dirname)((0,external_node_path_.resolve)(dvcFile)) }, destination, logger, {
        input,
        model,
    });
}
/**
 * Finds the `dvc.lock` stage output at `path` (a path that is not on disk):
 * `dvc.lock` files in the path's folder and each folder above it, up to the
 * project root, whose outputs are relative to the lock file's folder.
 */
async function findDvcLockOutput(path, input = 'model') {
    const wanted = (0,external_node_path_.resolve)(path);
    let dir = (0,external_node_path_.dirname)(wanted);
    while (!(0,external_node_fs_.existsSync)(dir)) {
        const parent = (0,external_node_path_.dirname)(dir);
        if (parent === dir)
            return undefined;
        dir = parent;
    }
    const root = projectRoot(dir);
    if (root === undefined)
        return undefined;
    for (;;) {
        const lock = (0,external_node_path_.join)(dir, 'dvc.lock');
        if ((0,external_node_fs_.existsSync)(lock)) {
            const doc = (await readYaml(lock, input, 'dvc.lock'));
            for (const [stage, body] of Object.entries(doc?.stages ?? {})) {
                for (const out of Array.isArray(body?.outs) ? body.outs : []) {
                    const o = out;
                    if (typeof o?.path === 'string' && (0,external_node_path_.resolve)(dir, o.path) === wanted) {
                        return { file: lock, stage, out: checkOutput(out, `${lock} (stage ${stage})`, input) };
                    }
                }
            }
        }
        if (dir === root)
            return undefined;
        dir = (0,external_node_path_.dirname)(dir);
    }
}
/** Fetches one `dvc.lock` stage output into `destination`, verifying every hash. */
async function fetchDvcLockOutput(found, destination, logger, input = 'model', model = found.out.path) {
    const result = await fetchOutput({ out: found.out, file: found.file, base: (0,external_node_path_.dirname)(found.file) }, destination, logger, { input, model });
    return { ...result, stage: found.stage };
}
async function fetchOutput(source, destination, logger, names) {
    const { out, file } = source;
    const root = projectRoot(source.base);
    if (root === undefined)
        throw new errors/* InputError */.dz(names.input, `points at ${file}, which is not inside a DVC project (no .dvc/ folder above it)`);
    const remote = await remoteStore(root, out.remote, logger);
    // The output keeps its own name under a folder of ours; its path never leaves that folder.
    const name = out.path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
    if (name.length === 0 || name.includes('..') || (0,external_node_path_.isAbsolute)(out.path)) {
        throw new errors/* InputError */.dz(names.input, `points at ${file}, whose output path is unsafe: ${out.path}`);
    }
    await (0,promises_.rm)(destination, { recursive: true, force: true });
    const target = (0,external_node_path_.join)(destination, ...name);
    const context = {
        model: names.model,
        remote,
        hash: out.hash === 'md5' ? 'md5' : 'md5-dos2unix',
        destination,
    };
    const base = { md5: out.md5, remote: remote.location, file };
    try {
        if (!out.md5.endsWith('.dir')) {
            await copyVerified(context, out.md5, target, out.path);
            logger.info(`DVC: fetched ${out.path} (md5 ${out.md5}) from ${remote.location}`);
            return { ...base, path: target, files: 1 };
        }
        const entries = await readListing(context, out);
        for (const entry of entries) {
            await copyVerified(context, entry.md5, (0,external_node_path_.join)(target, ...entry.relpath.split('/')), `${out.path}/${entry.relpath}`);
        }
        logger.info(`DVC: fetched ${out.path} (${entries.length} files, md5 ${out.md5}) from ${remote.location}`);
        return { ...base, path: target, files: entries.length };
    }
    catch (err) {
        // Nothing half-fetched is left to package.
        await (0,promises_.rm)(destination, { recursive: true, force: true });
        throw err;
    }
}
/** A folder's `.dir` object: a JSON list of {md5, relpath}, itself addressed by its hash. */
async function readListing(context, out) {
    const { remote } = context;
    const listingMd5 = out.md5.slice(0, -'.dir'.length);
    const listingSource = (await remote.find(`${listingMd5}.dir`, context.hash)) ??
        (await remote.find(listingMd5, context.hash));
    if (listingSource === undefined) {
        throw new errors/* UserError */.yo(`${context.model}: DVC folder listing ${out.md5} for ${out.path} is not in the remote ${remote.location}`, { hint: 'run `dvc push` from where the model was added, then run this again' });
    }
    const chunks = [];
    for await (const chunk of await remote.open(listingSource))
        chunks.push(chunk);
    const listingBytes = Buffer.concat(chunks);
    const listingActual = hashBytes(listingBytes, context.hash);
    if (listingActual !== listingMd5) {
        throw new errors/* UserError */.yo(`${context.model}: DVC hash mismatch for the folder listing of ${out.path} in the remote ${remote.location}: ${context.hash} ${listingActual}, DVC recorded ${listingMd5}`, { hint: 'push the model again with `dvc push --force` from where it was added' });
    }
    let parsed;
    try {
        parsed = JSON.parse(listingBytes.toString('utf8'));
    }
    catch {
        parsed = undefined;
    }
    if (!Array.isArray(parsed)) {
        throw new errors/* UserError */.yo(`${context.model}: the DVC folder listing of ${out.path} in ${remote.location} is not a JSON list`);
    }
    const seen = new Set();
    return parsed.map((entry) => {
        const md5 = entry?.md5;
        const relpath = entry?.relpath;
        const parts = typeof relpath === 'string' ? relpath.split('/') : [];
        if (typeof md5 !== 'string' ||
            !MD5.test(md5) ||
            typeof relpath !== 'string' ||
            parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\')) ||
            seen.has(relpath)) {
            throw new errors/* UserError */.yo(`${context.model}: the DVC folder listing of ${out.path} has an unsafe entry: ${JSON.stringify(entry).slice(0, 200)}`, {
                hint: 'the listing must give each file a 32-hex-digit md5 and a relative path inside the folder',
            });
        }
        seen.add(relpath);
        return { md5, relpath };
    });
}

// EXTERNAL MODULE: ./shared/common/retry.ts
var retry = __webpack_require__(80272);
;// CONCATENATED MODULE: ./shared/model/sources/mlflow.ts









const MLFLOW_URI_EXAMPLES = 'models:/resnet50/3, models:/resnet50@champion, models:/m-<logged model id> or runs:/<run id>/model';
const VERSION = /^[1-9][0-9]{0,9}$/;
const SEGMENT = /^[A-Za-z0-9._-]+$/;
function isMlflowUri(model) {
    return /^(models|runs):/.test(model.trim());
}
function parseMlflowUri(uri) {
    const text = uri.trim();
    const logged = /^models:\/(m-[0-9a-zA-Z]+)\/?$/.exec(text);
    if (logged)
        return { kind: 'logged-model', modelId: logged[1] };
    const registered = /^models:\/([^/@]+)(?:\/([^/@]+)|@([^/@]+))\/?$/.exec(text);
    if (registered) {
        const [, name, version, alias] = registered;
        if (version !== undefined)
            return VERSION.test(version) ? { kind: 'version', name, version } : undefined;
        return { kind: 'alias', name, alias: alias };
    }
    const run = /^runs:\/([0-9A-Za-z_-]+)\/(.+?)\/?$/.exec(text);
    if (run) {
        const path = run[2];
        const parts = path.split('/');
        if (parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..'))
            return undefined;
        return { kind: 'run', runId: run[1], path };
    }
    return undefined;
}
/** Folds a server's text to one short line: it is quoted in messages, never logged raw. */
function remoteText(text) {
    return (0,errors/* oneLine */.TN)(text).slice(0, 300);
}
class MlflowClient {
    base;
    authorization;
    /** The model URI as the user wrote it, for every message. */
    model;
    constructor(trackingUri, auth, logger, model = '') {
        let url;
        try {
            url = new URL(trackingUri);
        }
        catch {
            throw new errors/* InputError */.dz('mlflow-tracking-uri', `is not a URL: '${trackingUri}'`, 'https://mlflow.example.com');
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
            throw new errors/* InputError */.dz('mlflow-tracking-uri', `must be an http(s) tracking server, not '${trackingUri}'`, 'https://mlflow.example.com');
        }
        // Credentials written into the URL are used as basic auth, never sent or recorded in the URL.
        if (url.username !== '' && auth.token === undefined && auth.username === undefined) {
            auth = {
                username: decodeURIComponent(url.username),
                password: decodeURIComponent(url.password),
            };
        }
        this.base = withoutCredentials(trackingUri).replace(/\/+$/, '');
        this.model = model;
        if (auth.token) {
            logger.secret(auth.token);
            this.authorization = `Bearer ${auth.token}`;
        }
        else if (auth.username !== undefined && auth.password !== undefined) {
            logger.secret(auth.password);
            const basic = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
            logger.secret(basic);
            this.authorization = `Basic ${basic}`;
        }
    }
    /** `<model URI> on the MLflow server <url>: <problem>`, with the fix as the hint. */
    refuse(problem, hint) {
        return new errors/* UserError */.yo(`${this.model} on the MLflow server ${this.base}: ${problem}`, {
            ...(hint ? { hint } : {}),
        });
    }
    async request(path, what, init = {}) {
        const url = `${this.base}${path}`;
        return (0,retry/* withRetry */.bD)(async () => {
            const response = await (0,http/* httpFetch */.tX)(url, {
                method: init.method ?? 'GET',
                headers: {
                    ...(this.authorization ? { authorization: this.authorization } : {}),
                    ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
                },
                ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
                timeoutMs: 0,
                idleTimeoutMs: 60_000,
                server: 'MLflow tracking server',
                input: 'mlflow-tracking-uri',
            });
            if (response.ok)
                return response;
            const body = await response.text().catch(() => '');
            if (response.status === 429 || response.status >= 500) {
                throw new retry/* HttpStatusError */.F9(response.status, url, `${what}: HTTP ${response.status}`, response.headers.get('retry-after'));
            }
            throw new MlflowHttpError(response.status, what, body, this.model, this.base);
        });
    }
    async json(path, what, init) {
        const response = await this.request(path, what, init);
        return (await response.json());
    }
    /**
     * A lookup's "not found" becomes this message and fix: a 404, or the 400
     * INVALID_PARAMETER_VALUE "… not found." that MLflow answers for a missing alias.
     */
    notFound(problem, hint) {
        return (err) => {
            if (err instanceof MlflowHttpError &&
                (err.status === 404 ||
                    (err.status === 400 &&
                        err.code === 'INVALID_PARAMETER_VALUE' &&
                        /not found/i.test(err.detail)))) {
                throw this.refuse(problem, hint);
            }
            throw err;
        };
    }
    async resolve(uri) {
        switch (uri.kind) {
            case 'version':
            case 'alias':
                return this.resolveVersion(uri);
            case 'logged-model':
                return this.resolveLoggedModel(uri.modelId);
            case 'run':
                return this.resolveRun(uri.runId, uri.path);
        }
    }
    async resolveVersion(uri) {
        const q = (params) => new URLSearchParams(params).toString();
        const models = `the model's page in the MLflow UI (Models → ${uri.name})`;
        let version;
        if (uri.kind === 'alias') {
            const byAlias = await this.json(`/api/2.0/mlflow/registered-models/alias?${q({ name: uri.name, alias: uri.alias })}`, `resolving alias '${uri.alias}' of model '${uri.name}'`).catch(this.notFound(`model '${uri.name}' has no alias '${uri.alias}'`, `set the alias on a version (${models}, or MlflowClient().set_registered_model_alias) or use models:/${uri.name}/<version>`));
            this.checkName(byAlias.model_version?.name, uri.name);
            version = this.checkVersion(byAlias.model_version?.version);
        }
        else {
            version = uri.version;
        }
        const got = await this.json(`/api/2.0/mlflow/model-versions/get?${q({ name: uri.name, version })}`, `reading version ${version} of model '${uri.name}'`).catch(this.notFound(`model '${uri.name}' has no version ${version} (it was deleted, or never registered)`, `pick a version that exists (${models}) or an alias such as models:/${uri.name}@champion`));
        const mv = got.model_version ?? {};
        this.checkName(mv.name, uri.name);
        if (this.checkVersion(mv.version) !== version) {
            throw this.refuse(`asked for version ${version}, the server answered version ${remoteText(String(mv.version))}`);
        }
        const status = mv.status ?? 'READY';
        if (status !== 'READY') {
            throw this.refuse(`model '${uri.name}' version ${version} is ${remoteText(status)}, not READY; nothing was packaged`, status === 'PENDING_REGISTRATION'
                ? 'wait for the registration to finish (the version turns READY), then run this again'
                : `register the model version again (${models})`);
        }
        const download = await this.json(`/api/2.0/mlflow/model-versions/get-download-uri?${q({ name: uri.name, version })}`, `getting the download URI of model '${uri.name}' version ${version}`);
        if (typeof download.artifact_uri !== 'string' || download.artifact_uri === '') {
            throw this.refuse(`the server gave no download URI for version ${version}`);
        }
        // MLflow 3 records a version's logged model as its source, `models:/m-…`.
        const modelId = mv.model_id || /^models:\/(m-[0-9A-Za-z]+)\/?$/.exec(mv.source ?? '')?.[1];
        return {
            name: uri.name,
            version,
            ...(uri.kind === 'alias' ? { alias: uri.alias } : {}),
            ...(mv.run_id ? { runId: mv.run_id } : {}),
            ...(modelId ? { modelId } : {}),
            ...(mv.source ? { source: mv.source } : {}),
            artifactUri: download.artifact_uri,
        };
    }
    async resolveLoggedModel(modelId) {
        const got = await this.json(`/api/2.0/mlflow/logged-models/${encodeURIComponent(modelId)}`, `reading logged model ${modelId}`).catch(this.notFound(`there is no logged model ${modelId}`, "copy the model id (m-…) from the run's Logged models in the MLflow UI, or use models:/<name>/<version>"));
        const info = got.model?.info ?? {};
        if (info.model_id !== modelId) {
            throw this.refuse(`asked for logged model ${modelId}, the server answered ${remoteText(String(info.model_id))}`);
        }
        if (info.status !== undefined && !/READY$/.test(info.status)) {
            throw this.refuse(`logged model ${modelId} is ${remoteText(info.status)}, not ready`, 'log the model again and use the new id');
        }
        if (typeof info.artifact_uri !== 'string' || info.artifact_uri === '') {
            throw this.refuse(`logged model ${modelId} has no artifact location`);
        }
        return {
            modelId,
            ...(info.source_run_id ? { runId: info.source_run_id } : {}),
            artifactUri: info.artifact_uri,
        };
    }
    /**
     * A run's artifacts under `path`; MLflow 3 keeps a model logged in the run
     * with the logged models instead, found by its name and source run, as
     * MLflow's own `runs:/` resolution does.
     */
    async resolveRun(runId, path) {
        const got = await this.json(`/api/2.0/mlflow/runs/get?${new URLSearchParams({ run_id: runId }).toString()}`, `reading run ${runId}`).catch(this.notFound(`there is no run ${runId}`, "copy the run id from the run's page in the MLflow UI"));
        const info = got.run?.info ?? {};
        if (info.run_id !== runId) {
            throw this.refuse(`asked for run ${runId}, the server answered ${remoteText(String(info.run_id))}`);
        }
        if (info.lifecycle_stage === 'deleted') {
            throw this.refuse(`run ${runId} is deleted`, 'restore the run in the MLflow UI, or use another run');
        }
        if (typeof info.artifact_uri !== 'string' || info.artifact_uri === '') {
            throw this.refuse(`run ${runId} has no artifact location`);
        }
        const runArtifacts = `${info.artifact_uri.replace(/\/+$/, '')}/${path}`;
        if ((await this.listing(runArtifacts)).length > 0) {
            return { runId, artifactUri: runArtifacts };
        }
        const [name, ...rest] = path.split('/');
        const search = await this.json('/api/2.0/mlflow/logged-models/search', `searching the logged models of run ${runId}`, {
            method: 'POST',
            body: {
                experiment_ids: [info.experiment_id],
                filter: `name = '${name}'`,
                max_results: 50,
            },
        });
        const logged = (search.models ?? [])
            .map((m) => m.info ?? {})
            .find((m) => m.source_run_id === runId && m.name === name && typeof m.artifact_uri === 'string');
        if (logged === undefined) {
            throw this.refuse(`run ${runId} has no artifacts at '${path}' and logged no model named '${name}'; nothing was packaged`, "check the artifact path in the run's Artifacts tab (runs:/<run id>/<path>), or use the registered version (models:/<name>/<version>)");
        }
        const artifactUri = [String(logged.artifact_uri).replace(/\/+$/, ''), ...rest].join('/');
        return { runId, ...(logged.model_id ? { modelId: logged.model_id } : {}), artifactUri };
    }
    checkName(answered, asked) {
        if (answered !== asked) {
            throw this.refuse(`asked for model '${asked}', the server answered '${remoteText(String(answered))}'`);
        }
    }
    checkVersion(answered) {
        const version = String(answered ?? '');
        if (!VERSION.test(version)) {
            throw this.refuse(`the server answered version '${remoteText(version)}', not a positive whole number`);
        }
        return version;
    }
    /** Every file under an artifact URI, with its size and a way to read it. */
    async listing(artifactUri) {
        return (await storeFor(artifactUri, this)).list();
    }
    /** Lists through the tracking server's artifact proxy (`mlflow-artifacts:`). */
    async proxyList(root) {
        const files = [];
        const walk = async (path, rel) => {
            const listing = await this.json(`/api/2.0/mlflow-artifacts/artifacts?${new URLSearchParams({ path }).toString()}`, `listing artifacts at ${path}`);
            for (const entry of listing.files ?? []) {
                if (typeof entry.path !== 'string')
                    continue;
                // The proxy answers with names relative to the listed folder; some servers give full paths.
                const name = entry.path.startsWith(`${path}/`)
                    ? entry.path.slice(path.length + 1)
                    : entry.path;
                const relPath = rel === '' ? name : `${rel}/${name}`;
                const remote = `${path}/${name}`;
                if (entry.is_dir) {
                    await walk(remote, relPath);
                    continue;
                }
                files.push({
                    path: relPath,
                    size: Number(entry.file_size ?? -1),
                    open: async () => {
                        const response = await this.request(`/api/2.0/mlflow-artifacts/artifacts/${remote.split('/').map(encodeURIComponent).join('/')}`, `downloading ${remote}`);
                        if (response.body === null)
                            throw this.refuse(`the artifact proxy sent no body for ${remote}`);
                        return external_node_stream_.Readable.fromWeb(response.body);
                    },
                });
            }
        };
        await walk(root, '');
        return files;
    }
    /**
     * Downloads every file under the model's artifact URI into `destination`
     * (a folder of ours, emptied first), checking that each path stays inside
     * it and that each file has the size the store listed.
     */
    async download(model, destination, logger) {
        const store = await storeFor(model.artifactUri, this, logger);
        await (0,promises_.rm)(destination, { recursive: true, force: true });
        await (0,promises_.mkdir)(destination, { recursive: true });
        let bytes = 0;
        try {
            const files = await store.list();
            if (files.length === 0) {
                throw this.refuse(`the model's artifacts at ${model.artifactUri} hold no files; nothing was packaged`, 'log the model again; the store may have been cleaned up');
            }
            for (const file of files) {
                const target = (0,external_node_path_.join)(destination, ...file.path.split('/'));
                if (!safeRelative(file.path) || !mlflow_inside(destination, target)) {
                    throw this.refuse(`the artifact store listed a path outside the model folder: '${remoteText(file.path)}'`);
                }
                await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
                const counter = new ByteCounter();
                await (0,external_node_stream_promises_.pipeline)(await file.open(), counter, (0,external_node_fs_.createWriteStream)(target));
                if (file.size >= 0 && counter.bytes !== file.size) {
                    throw this.refuse(`${store.location}/${file.path} is ${counter.bytes} bytes, the store listed ${file.size}; nothing was packaged`, 'the download was cut short or the file changed while it was read; run this again');
                }
                bytes += counter.bytes;
                logger.debug(`downloaded ${file.path} (${counter.bytes} bytes)`);
            }
            return { files: files.length, bytes };
        }
        catch (err) {
            await (0,promises_.rm)(destination, { recursive: true, force: true });
            throw err;
        }
    }
    /** For the artifact stores' messages. */
    describe(problem, hint) {
        return this.refuse(problem, hint);
    }
}
class ByteCounter extends external_node_stream_.Transform {
    bytes = 0;
    _transform(chunk, _e, done) {
        this.bytes += chunk.length;
        done(null, chunk);
    }
}
function safeRelative(path) {
    const parts = path.split('/');
    return (parts.length > 0 && parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\')));
}
function mlflow_inside(folder, path) {
    const rel = (0,external_node_path_.relative)((0,external_node_path_.resolve)(folder), (0,external_node_path_.resolve)(path));
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${external_node_path_.sep}`) && !(0,external_node_path_.isAbsolute)(rel);
}
/** Files under a bucket prefix, read with the cloud's reader. */
function mlflow_bucketStore(location, prefix, reader) {
    const folder = prefix.replace(/\/+$/, '');
    return {
        location,
        async list() {
            const objects = await reader.list(folder === '' ? '' : `${folder}/`);
            return objects
                .filter((o) => !o.key.endsWith('/'))
                .map((o) => ({
                path: folder === '' ? o.key : o.key.slice(folder.length + 1),
                size: o.size,
                open: () => reader.open(o.key),
            }));
        },
    };
}
/** The store an artifact URI names. */
async function storeFor(artifactUri, client, logger) {
    const uri = artifactUri.replace(/\/+$/, '');
    const proxy = /^mlflow-artifacts:(?:\/\/[^/]+)?\/(.*)$/.exec(uri);
    if (proxy) {
        const root = proxy[1];
        return { location: uri, list: () => client.proxyList(root) };
    }
    const log = logger ?? { info() { }, debug() { }, warning() { }, error() { }, secret() { } };
    let url;
    try {
        url = new URL(uri);
    }
    catch {
        url = undefined;
    }
    const key = url ? decodeURIComponent(url.pathname.replace(/^\/+/, '')) : '';
    const store = url ? (0,registry/* objectStoreFor */.WN)(url.protocol.slice(0, -1)) : undefined;
    if (store !== undefined) {
        const endpoint = process.env.MLFLOW_S3_ENDPOINT_URL;
        const reader = await store.reader({
            url: uri,
            // MLflow's own variable for an S3-compatible store, in DVC's setting name.
            settings: endpoint ? { endpointurl: endpoint } : {},
            source: `the artifact location ${uri}`,
            refuse: (problem, hint) => client.describe(problem, hint),
            logger: log,
        });
        return mlflow_bucketStore(uri, key, reader);
    }
    const schemes = (0,registry/* objectStoreSchemes */.X$)().map((scheme) => `${scheme}://`);
    throw client.describe(`the model's files are at ${uri}, which package cannot read: it reads the tracking server's artifact proxy (mlflow-artifacts:) and ${schemes.join(', ')} stores`, 'run the tracking server with --serve-artifacts (the default since MLflow 2.0), or keep the artifacts in an object store of one of those');
}
/** The tracking URI as it may be logged and recorded in the image: no user or password. */
function withoutCredentials(trackingUri) {
    const url = new URL(trackingUri);
    if (url.username === '' && url.password === '')
        return trackingUri;
    url.username = '';
    url.password = '';
    return url.toString();
}
class MlflowHttpError extends errors/* UserError */.yo {
    status;
    /** MLflow's `error_code`, e.g. RESOURCE_DOES_NOT_EXIST; '' when the body had none. */
    code;
    /** The server's message, folded to one short line. */
    detail;
    constructor(status, what, body, model, server) {
        let detail = remoteText(body);
        let code = '';
        try {
            const parsed = JSON.parse(body);
            code = typeof parsed.error_code === 'string' ? remoteText(parsed.error_code) : '';
            if (parsed.message)
                detail = remoteText(`${code} ${parsed.message}`);
        }
        catch {
            // not JSON: keep the folded text
        }
        super(`${model ? `${model} on ` : ''}the MLflow server ${server}: ${what} failed (HTTP ${status}${detail ? `: ${detail}` : ''})`, {
            hint: status === 401 || status === 403
                ? 'check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD'
                : undefined,
        });
        this.status = status;
        this.code = code;
        this.detail = detail;
    }
}

;// CONCATENATED MODULE: ./shared/model/sources/resolve.ts





/**
 * Turns the `model` input into local files: a path; an MLflow model
 * (`models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/m-<id>`,
 * `runs:/<run>/<path>`); or a DVC-tracked path (a `.dvc` file, a path whose
 * `.dvc` file sits next to it, or a stage output listed in `dvc.lock`).
 */
async function resolveModel(model, options) {
    if (isMlflowUri(model))
        return resolveMlflowModel(model, options);
    const dvcFile = model.endsWith('.dvc')
        ? model
        : !(0,external_node_fs_.existsSync)(model) && (0,external_node_fs_.existsSync)(`${model}.dvc`)
            ? `${model}.dvc`
            : undefined;
    if (dvcFile !== undefined && isDvcFile(dvcFile)) {
        return resolveDvcFile(model, dvcFile, options);
    }
    if (!(0,external_node_fs_.existsSync)(model)) {
        const staged = await findDvcLockOutput(model);
        if (staged !== undefined)
            return resolveDvcStageOutput(model, staged, options);
    }
    return { path: model, source: { kind: 'local', uri: model } };
}
async function resolveMlflowModel(model, options) {
    const uri = parseMlflowUri(model);
    if (uri === undefined) {
        throw new errors/* InputError */.dz('model', `is not an MLflow model URI: '${model}'`, MLFLOW_URI_EXAMPLES);
    }
    const trackingUri = options.mlflowTrackingUri;
    if (!trackingUri) {
        throw new errors/* InputError */.dz('mlflow-tracking-uri', `is needed for ${model} (or set MLFLOW_TRACKING_URI)`, 'https://mlflow.example.com');
    }
    const client = new MlflowClient(trackingUri, options.mlflowAuth, options.logger, model);
    const resolved = await client.resolve(uri);
    // A fixed folder of ours: nothing the server answers becomes part of the path.
    const destination = (0,external_node_path_.join)(options.workDir, 'mlflow', 'model');
    const downloaded = await client.download(resolved, destination, options.logger);
    const what = resolved.name !== undefined
        ? `${resolved.name} version ${resolved.version}`
        : resolved.modelId !== undefined
            ? `logged model ${resolved.modelId}`
            : `run ${resolved.runId}`;
    options.logger.info(`MLflow: ${what} (run ${resolved.runId ?? 'unknown'}) from ${resolved.artifactUri}: ${downloaded.files} files, ${downloaded.bytes} bytes`);
    return {
        path: destination,
        ...(resolved.version !== undefined ? { version: resolved.version } : {}),
        source: {
            kind: 'mlflow',
            uri: model,
            mlflow: {
                trackingUri: withoutCredentials(trackingUri),
                ...(resolved.name !== undefined ? { name: resolved.name } : {}),
                ...(resolved.version !== undefined ? { version: resolved.version } : {}),
                ...(resolved.runId ? { runId: resolved.runId } : {}),
                ...(resolved.modelId ? { modelId: resolved.modelId } : {}),
                ...(resolved.alias ? { alias: resolved.alias } : {}),
                ...(resolved.source ? { sourceUri: resolved.source } : {}),
                artifactUri: resolved.artifactUri,
            },
        },
    };
}
async function resolveDvcFile(model, dvcFile, options) {
    const fetched = await fetchDvcModel(dvcFile, (0,external_node_path_.join)(options.workDir, 'dvc'), options.logger, 'model', model);
    return {
        path: fetched.path,
        source: {
            kind: 'dvc',
            uri: model,
            dvc: { file: dvcFile, md5: fetched.md5, remote: fetched.remote },
        },
    };
}
async function resolveDvcStageOutput(model, staged, options) {
    const fetched = await fetchDvcLockOutput(staged, (0,external_node_path_.join)(options.workDir, 'dvc'), options.logger, 'model', model);
    return {
        path: fetched.path,
        source: {
            kind: 'dvc',
            uri: model,
            dvc: { file: staged.file, md5: fetched.md5, remote: fetched.remote, stage: staged.stage },
        },
    };
}

;// CONCATENATED MODULE: ./shared/orchestrators/build-model-image.ts





const noGroup = (_name, step) => step();
/**
 * Resolves the model (fetching MLflow and DVC models), then packages it
 * daemonlessly on the base image, or builds the user's Dockerfile.
 */
async function buildModelImage(request, deps) {
    const group = deps.group ?? noGroup;
    const runtime = runtimes/* RUNTIMES */.a[request.runtime];
    if (request.dockerfile !== undefined)
        refuseUnsupportedSettings(request);
    const resolved = await group('Resolving the model', () => resolveModel(request.model, {
        mlflowTrackingUri: request.mlflowTrackingUri,
        mlflowAuth: request.mlflowAuth,
        workDir: (0,external_node_path_.join)(request.workDir, 'source'),
        logger: deps.logger,
    }));
    const version = request.version ?? resolved.version ?? '1';
    const output = request.output ?? (0,external_node_path_.join)(request.workDir, `layout-${tagFor(version)}`);
    const built = request.dockerfile !== undefined
        ? await group('Building the Dockerfile', () => buildFromDockerfile(request, request.dockerfile, resolved, runtime, version, output, deps))
        : await group('Packaging', () => packageResolved(request, resolved, runtime, version, output, deps));
    return { ...built, version, runtime, source: resolved.source };
}
function packageResolved(request, resolved, runtime, version, output, deps) {
    return packageModel({
        modelPath: resolved.path,
        source: resolved.source,
        name: request.name,
        version,
        runtime,
        baseImage: request.baseImage ?? runtime.defaultBaseImage,
        platforms: request.platforms,
        entrypoint: request.entrypoint,
        cmd: request.cmd,
        env: request.env,
        ports: request.ports,
        labels: request.labels,
        annotations: request.annotations,
        output,
        sourceDateEpoch: request.sourceDateEpoch,
        includeBaseLayers: request.includeBaseLayers,
        lineage: request.lineage,
        baseCredential: request.baseCredential,
        insecureHosts: request.insecureRegistries,
        logger: deps.logger,
    });
}
async function buildFromDockerfile(request, dockerfile, resolved, runtime, version, output, deps) {
    const model = await digestModel(resolved.path);
    const tag = tagFor(version);
    const built = await buildDockerfile({
        dockerfile,
        context: request.context ?? '.',
        output,
        tag,
        name: request.name,
        version,
        labels: request.labels,
        sourceDateEpoch: request.sourceDateEpoch,
        logger: deps.logger,
        baseCredential: request.baseCredential,
        ...(request.baseImage ? { baseImage: request.baseImage } : {}),
        insecureHosts: request.insecureRegistries,
        platforms: request.platforms,
        ...(request.entrypoint ? { entrypoint: request.entrypoint } : {}),
        ...(request.cmd ? { cmd: request.cmd } : {}),
        env: request.env,
        ...(request.ports ? { ports: request.ports } : {}),
        annotations: request.annotations,
        includeBaseLayers: request.includeBaseLayers,
    });
    return {
        layout: output,
        tag,
        digest: built.digest,
        mediaType: built.mediaType,
        modelDigest: model.digest,
        openapi: await model.writeOpenApi(runtime, request.name, version, output),
        annotations: {},
        layers: [],
        platforms: [],
        base: undefined,
        modelPath: resolved.path,
        modelCompressionRatio: 1,
    };
}


/***/ })

};
