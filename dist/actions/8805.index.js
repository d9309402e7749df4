export const id = 8805;
export const ids = [8805];
export const modules = {

/***/ 98805:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  a: () => (/* binding */ RUNTIMES)
});

// UNUSED EXPORTS: runtimeByName

// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
;// CONCATENATED MODULE: ./shared/model/runtimes/placement.ts

/** Places every file, link and folder of the tree under `prefix`, except `skip` (relative paths). */
function placeTree(tree, prefix, modelPath, skip = new Set()) {
    const at = (rel) => `${prefix}/${rel}`;
    return {
        modelPath,
        files: tree.files
            .filter((f) => !skip.has(f.path))
            .map((file) => ({ file, imagePath: at(file.path) })),
        symlinks: tree.symlinks
            .filter((l) => !skip.has(l.path))
            .map((l) => ({ imagePath: at(l.path), target: l.target })),
        directories: [prefix, ...tree.directories.map(at)],
        generated: [],
    };
}
function hasFile(tree, path) {
    return tree.files.some((f) => f.path === path) || tree.symlinks.some((l) => l.path === path);
}
function extension(path) {
    const dot = path.lastIndexOf('.');
    return dot < 0 ? '' : path.slice(dot).toLowerCase();
}
function doesNotFit(runtime, what, example) {
    return new errors/* InputError */.dz('model', `does not fit the ${runtime} runtime: ${what}`, example);
}
function requireNumericVersion(runtime, version) {
    if (!/^\d+$/.test(version)) {
        throw new errors/* InputError */.dz('version', `must be a whole number for the ${runtime} runtime, which loads numbered version folders; got '${version}'`, 'version: 3');
    }
}

;// CONCATENATED MODULE: ./shared/model/runtimes/custom.ts

/**
 * Any server image: the model goes to `/models/<name>/<version>/` and the base
 * image (required) decides how it is served; ports and command come from inputs.
 */
const custom = {
    name: 'custom',
    protocol: 'http',
    defaultBaseImage: undefined,
    ports: [{ name: 'http', port: 8080 }],
    health: { live: '/health', ready: '/health' },
    // Any server image: the pod runs as the image's own non-root user when it
    // names one by uid, else as 1000 with HOME on an emptyDir (see planServing).
    pod: {
        runAsUser: 1000,
        readOnlyRootFilesystem: false,
        startupSeconds: 120,
        pullSeconds: 180,
        shutdownSeconds: 30,
        defaultRequests: { cpu: '250m', memory: '512Mi' },
    },
    numericVersion: false,
    command: () => ({}),
    env: (ctx) => ({
        MODEL_NAME: ctx.name,
        MODEL_VERSION: ctx.version,
        MODEL_PATH: `/models/${ctx.name}/${ctx.version}`,
    }),
    plan: (ctx) => placeTree(ctx.tree, `/models/${ctx.name}/${ctx.version}`, `/models/${ctx.name}/${ctx.version}`),
};

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
;// CONCATENATED MODULE: ./shared/model/mlmodel.ts

const NUMPY_TO_V2 = {
    float32: 'FP32',
    float64: 'FP64',
    float16: 'FP16',
    int8: 'INT8',
    int16: 'INT16',
    int32: 'INT32',
    int64: 'INT64',
    uint8: 'UINT8',
    bool: 'BOOL',
    double: 'FP64',
    float: 'FP32',
    long: 'INT64',
    integer: 'INT32',
    boolean: 'BOOL',
    string: 'BYTES',
    binary: 'BYTES',
};
/**
 * The signature of an MLflow `MLmodel` file: `signature.inputs`/`outputs` are
 * JSON strings of column specs (`{name, type}`) or tensor specs
 * (`{type: tensor, tensor-spec: {dtype, shape}}`).
 */
function signatureFromMlmodel(text) {
    let doc;
    try {
        doc = (0,dist/* parse */.qg)(text, { maxAliasCount: 10 });
    }
    catch {
        return undefined;
    }
    const read = (json, prefix) => {
        if (json === undefined)
            return [];
        let columns;
        try {
            columns = JSON.parse(json);
        }
        catch {
            return [];
        }
        if (!Array.isArray(columns))
            return [];
        return columns.map((c, i) => {
            const dtype = c['tensor-spec']?.dtype ?? c.type ?? '';
            return {
                name: c.name ?? `${prefix}-${i}`,
                datatype: NUMPY_TO_V2[dtype] ?? dtype.toUpperCase(),
                shape: c['tensor-spec']?.shape ?? [-1],
            };
        });
    };
    const inputs = read(doc?.signature?.inputs, 'input');
    const outputs = read(doc?.signature?.outputs, 'output');
    return inputs.length === 0 && outputs.length === 0 ? undefined : { inputs, outputs };
}

;// CONCATENATED MODULE: ./shared/model/runtimes/mlserver.ts




/** The first bytes of a model file: enough to tell the formats that share an extension. */
function head(source, bytes = 64) {
    const fd = (0,external_node_fs_.openSync)(source, 'r');
    try {
        const buffer = Buffer.alloc(bytes);
        const read = (0,external_node_fs_.readSync)(fd, buffer, 0, bytes, 0);
        return buffer.subarray(0, read).toString('latin1');
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/**
 * LightGBM saves a text model that starts with a `tree` line and then
 * `version=v…`, whatever the file is named; MLServer's LightGBM runtime
 * looks for model.bst, the name its XGBoost runtime looks for too, so the
 * content tells them apart.
 */
function isLightGbmText(source) {
    return /^tree\r?\nversion=v\d/.test(head(source));
}
/** File types MLServer has a runtime for, when no model-settings.json is given. */
const IMPLEMENTATIONS = [
    { match: (p) => p === 'MLmodel', implementation: 'mlserver_mlflow.MLflowRuntime' },
    {
        match: (p) => ['.joblib', '.pkl', '.pickle'].includes(extension(p)),
        implementation: 'mlserver_sklearn.SKLearnModel',
    },
    {
        match: (p, source) => ['.bst', '.txt'].includes(extension(p)) && isLightGbmText(source),
        implementation: 'mlserver_lightgbm.LightGBMModel',
    },
    {
        match: (p) => ['.bst', '.ubj'].includes(extension(p)),
        implementation: 'mlserver_xgboost.XGBoostModel',
    },
];
/**
 * MLServer loads every folder under its models root that has a
 * `model-settings.json`. One is generated from the file type when not given.
 */
const mlserver = {
    name: 'mlserver',
    protocol: 'open-inference-v2',
    defaultBaseImage: 'docker.io/seldonio/mlserver:1.6.1',
    ports: [
        { name: 'http', port: 8080 },
        { name: 'grpc', port: 8081 },
        { name: 'metrics', port: 8082 },
    ],
    health: { live: '/v2/health/live', ready: '/v2/health/ready' },
    // The Open Inference Protocol's gRPC API.
    grpcPackage: 'inference',
    // The image's USER is 1000; MLServer writes its environments and logs.
    pod: {
        runAsUser: 1000,
        readOnlyRootFilesystem: false,
        startupSeconds: 300,
        pullSeconds: 300,
        shutdownSeconds: 30,
        defaultRequests: { cpu: '500m', memory: '1Gi' },
    },
    numericVersion: false,
    command: () => ({ cmd: ['mlserver', 'start', '/mnt/models'] }),
    env: () => ({}),
    plan(ctx) {
        const { tree } = ctx;
        const dir = `/mnt/models/${ctx.name}`;
        const plan = placeTree(tree, dir, dir);
        plan.directories.unshift('/mnt/models');
        if (hasFile(tree, 'MLmodel')) {
            const mlmodel = tree.files.find((f) => f.path === 'MLmodel');
            const signature = mlmodel
                ? signatureFromMlmodel((0,external_node_fs_.readFileSync)(mlmodel.source, 'utf8'))
                : undefined;
            if (signature)
                plan.signature = signature;
        }
        if (hasFile(tree, 'model-settings.json')) {
            const settings = tree.files.find((f) => f.path === 'model-settings.json');
            try {
                JSON.parse((0,external_node_fs_.readFileSync)(settings.source, 'utf8'));
            }
            catch (err) {
                throw new errors/* InputError */.dz('model', `has a model-settings.json that is not JSON: ${err.message}`);
            }
            return plan;
        }
        const candidates = tree.singleFile
            ? tree.files
            : tree.files.filter((f) => !f.path.includes('/'));
        const match = IMPLEMENTATIONS.map((i) => ({
            ...i,
            file: candidates.find((f) => i.match(f.path, f.source))?.path,
        })).find((i) => i.file !== undefined);
        if (match === undefined) {
            throw doesNotFit('mlserver', 'no model-settings.json, and no file MLServer knows how to load (MLmodel, .joblib/.pkl, an XGBoost .bst/.ubj, a LightGBM text model .bst/.txt)', 'a folder with model.joblib, or one with model-settings.json');
        }
        const settings = {
            name: ctx.name,
            implementation: match.implementation,
            parameters: {
                uri: match.file === 'MLmodel' ? './' : `./${match.file}`,
                version: ctx.version,
            },
        };
        plan.generated.push({
            imagePath: `${dir}/model-settings.json`,
            content: Buffer.from(JSON.stringify(settings, null, 2) + '\n'),
        });
        return plan;
    },
};

;// CONCATENATED MODULE: ./shared/model/runtimes/tfserving.ts

/**
 * TF Serving loads `/models/<name>/<version>/saved_model.pb` with `variables/`;
 * the official image starts the server from MODEL_NAME and MODEL_BASE_PATH.
 */
const tfserving = {
    name: 'tfserving',
    protocol: 'tfserving',
    defaultBaseImage: 'docker.io/tensorflow/serving:2.16.1',
    ports: [
        { name: 'http', port: 8501 },
        { name: 'grpc', port: 8500 },
    ],
    health: { live: '/v1/models/{name}', ready: '/v1/models/{name}' },
    // PredictionService and ModelService.
    grpcPackage: 'tensorflow.serving',
    // The official image has no user of its own and runs as root; the server
    // reads the model and writes nothing, so any non-root uid serves.
    pod: {
        runAsUser: 1000,
        readOnlyRootFilesystem: true,
        startupSeconds: 300,
        pullSeconds: 180,
        shutdownSeconds: 30,
        defaultRequests: { cpu: '500m', memory: '1Gi' },
    },
    numericVersion: true,
    command: () => ({}),
    env: (ctx) => ({ MODEL_NAME: ctx.name, MODEL_BASE_PATH: '/models' }),
    plan(ctx) {
        requireNumericVersion('tfserving', ctx.version);
        const { tree } = ctx;
        if (tree.singleFile ||
            !(hasFile(tree, 'saved_model.pb') || hasFile(tree, 'saved_model.pbtxt'))) {
            throw doesNotFit('tfserving', 'a SavedModel folder needs saved_model.pb (and usually variables/)', 'model: export/resnet50 (saved_model.pb + variables/)');
        }
        return placeTree(tree, `/models/${ctx.name}/${ctx.version}`, `/models/${ctx.name}`);
    },
};

;// CONCATENATED MODULE: ./shared/model/runtimes/torchserve.ts


const MODEL_STORE = '/home/model-server/model-store';
/**
 * The image's config.properties (addresses, model store, workers). TorchServe
 * looks for config.properties in its working directory unless told where,
 * so an image whose WORKDIR differs would start on its built-in defaults.
 */
const TS_CONFIG = '/home/model-server/config.properties';
/** TorchServe serves `.mar` archives from its model store. */
const torchserve = {
    name: 'torchserve',
    protocol: 'torchserve',
    defaultBaseImage: 'docker.io/pytorch/torchserve:0.12.0-cpu',
    ports: [
        { name: 'http', port: 8080 },
        { name: 'management', port: 8081 },
        { name: 'metrics', port: 8082 },
        // The gRPC inference API (package org.pytorch.serve.grpc.inference).
        { name: 'grpc', port: 7070 },
    ],
    health: { live: '/ping', ready: '/ping' },
    // InferenceAPIsService (management is on another port).
    grpcPackage: 'org.pytorch.serve.grpc.inference',
    // The image runs as its model-server user (uid 1000), which writes logs and
    // unpacks .mar files under its home directory.
    pod: {
        runAsUser: 1000,
        readOnlyRootFilesystem: false,
        startupSeconds: 300,
        pullSeconds: 300,
        shutdownSeconds: 30,
        defaultRequests: { cpu: '1', memory: '2Gi' },
    },
    numericVersion: false,
    command: (ctx) => ({
        cmd: [
            'torchserve',
            '--start',
            '--foreground',
            '--ncs',
            '--disable-token-auth',
            '--ts-config',
            TS_CONFIG,
            '--model-store',
            MODEL_STORE,
            '--models',
            `${ctx.name}=${ctx.name}.mar`,
        ],
    }),
    env: () => ({}),
    plan(ctx) {
        const archives = ctx.tree.files.filter((f) => extension(f.path) === '.mar');
        const config = ctx.tree.files.find((f) => f.path === 'config.properties');
        if (archives.length === 0) {
            throw doesNotFit('torchserve', 'no .mar model archive (build one with torch-model-archiver)', 'model: model-store/resnet50.mar');
        }
        if (archives.length > 1) {
            throw new errors/* InputError */.dz('model', `holds ${archives.length} .mar archives (${archives.map((a) => a.path).join(', ')}); give exactly one`);
        }
        const file = archives[0];
        return {
            modelPath: `${MODEL_STORE}/${ctx.name}.mar`,
            files: [
                { file, imagePath: `${MODEL_STORE}/${ctx.name}.mar` },
                // A config.properties beside the archive replaces the image's.
                ...(config ? [{ file: config, imagePath: TS_CONFIG }] : []),
            ],
            symlinks: [],
            directories: [MODEL_STORE],
            generated: [],
        };
    },
};

// EXTERNAL MODULE: ./shared/model/runtimes/pod.ts
var pod = __webpack_require__(2399);
;// CONCATENATED MODULE: ./shared/model/runtimes/pbtxt.ts
class PbtxtError extends Error {
}
function tokenize(text) {
    const tokens = [];
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === '#') {
            const end = text.indexOf('\n', i);
            i = end === -1 ? text.length : end + 1;
        }
        else if (/\s/.test(c)) {
            i++;
        }
        else if ('{}[]<>:,;'.includes(c)) {
            tokens.push({ kind: 'punct', text: c });
            i++;
        }
        else if (c === '"' || c === "'") {
            let value = '';
            let j = i + 1;
            for (; j < text.length && text[j] !== c; j++) {
                if (text[j] === '\n')
                    throw new PbtxtError('a string runs past the end of its line');
                if (text[j] === '\\' && j + 1 < text.length)
                    j++;
                value += text[j];
            }
            if (j >= text.length)
                throw new PbtxtError('a string is not closed');
            tokens.push({ kind: 'string', value });
            i = j + 1;
        }
        else {
            let j = i;
            while (j < text.length && /[\w.+-]/.test(text[j]))
                j++;
            if (j === i)
                throw new PbtxtError(`unexpected '${c}'`);
            const word = text.slice(i, j);
            const number = Number(word);
            tokens.push(/^[-+]?(\d|\.\d)/.test(word) && Number.isFinite(number)
                ? { kind: 'number', value: number }
                : { kind: 'name', text: word });
            i = j;
        }
    }
    return tokens;
}
function pbtxt_parsePbtxt(text) {
    const tokens = tokenize(text);
    let at = 0;
    const peek = () => tokens[at];
    const isPunct = (t, p) => t?.kind === 'punct' && t.text === p;
    const scalar = () => {
        const t = tokens[at++];
        if (t === undefined)
            throw new PbtxtError('the text ends where a value should be');
        if (t.kind === 'number' || t.kind === 'string')
            return t.value;
        if (t.kind === 'name')
            return t.text;
        throw new PbtxtError(`'${t.text}' where a value should be`);
    };
    const value = () => {
        const t = peek();
        if (isPunct(t, '{') || isPunct(t, '<')) {
            at++;
            return message(t?.kind === 'punct' && t.text === '{' ? '}' : '>');
        }
        return scalar();
    };
    const message = (close) => {
        const out = {};
        for (;;) {
            const t = peek();
            if (t === undefined) {
                if (close === undefined)
                    return out;
                throw new PbtxtError(`a message is not closed with '${close}'`);
            }
            if (close !== undefined && isPunct(t, close)) {
                at++;
                return out;
            }
            if (isPunct(t, ',') || isPunct(t, ';')) {
                at++;
                continue;
            }
            if (t.kind !== 'name')
                throw new PbtxtError('a field name is missing');
            at++;
            const values = (out[t.text] ??= []);
            if (isPunct(peek(), ':'))
                at++;
            if (isPunct(peek(), '[')) {
                at++;
                while (!isPunct(peek(), ']')) {
                    if (peek() === undefined)
                        throw new PbtxtError(`the list of '${t.text}' is not closed`);
                    values.push(value());
                    if (isPunct(peek(), ','))
                        at++;
                }
                at++;
            }
            else {
                values.push(value());
            }
        }
    };
    return message(undefined);
}
/** The first value of a field, when it is a scalar. */
function pbScalar(message, field) {
    const value = message[field]?.[0];
    return typeof value === 'object' ? undefined : value;
}
/** The messages of a repeated message field. */
function pbMessages(message, field) {
    return (message[field] ?? []).filter((v) => typeof v === 'object');
}

;// CONCATENATED MODULE: ./shared/model/runtimes/triton.ts




const MODEL_FILES = {
    '.onnx': { file: 'model.onnx', backend: 'onnxruntime' },
    '.plan': { file: 'model.plan', backend: 'tensorrt' },
    '.pt': { file: 'model.pt', backend: 'pytorch' },
    '.savedmodel': { file: 'model.savedmodel', backend: 'tensorflow' },
};
/**
 * Triton model repository: `/models/<name>/config.pbtxt` and
 * `/models/<name>/<version>/model.<ext>`. Triton completes the config of ONNX
 * and TensorRT models from the model itself, so a minimal one is generated for
 * those; TorchScript carries no tensor names, so its config must be given.
 */
const triton = {
    name: 'triton',
    protocol: 'open-inference-v2',
    defaultBaseImage: 'nvcr.io/nvidia/tritonserver:24.08-py3',
    ports: [
        { name: 'http', port: 8000 },
        { name: 'grpc', port: 8001 },
        { name: 'metrics', port: 8002 },
    ],
    health: { live: '/v2/health/live', ready: '/v2/health/ready' },
    // The Open Inference Protocol's gRPC API.
    grpcPackage: 'inference',
    // The NGC image has the triton-server user, uid 1000, made for running
    // non-root; the server writes nothing outside /tmp, and its Python backend
    // and TensorRT-LLM talk through /dev/shm. Images of 10 GB and more.
    pod: {
        runAsUser: 1000,
        readOnlyRootFilesystem: true,
        startupSeconds: 600,
        pullSeconds: 600,
        shutdownSeconds: 30,
        defaultRequests: { cpu: '1', memory: '2Gi' },
        scratch: [(0,pod/* sharedMemory */.o)('1Gi')],
    },
    numericVersion: true,
    command: () => ({ cmd: ['tritonserver', '--model-repository=/models'] }),
    env: () => ({}),
    plan(ctx) {
        requireNumericVersion('triton', ctx.version);
        if (ctx.tree.singleFile)
            return singleFilePlan(ctx);
        // Already a Triton model folder (config.pbtxt + numbered version folders): kept as it is.
        const versionFolders = ctx.tree.directories.filter((d) => /^\d+$/.test(d));
        if (versionFolders.length > 0 && hasFile(ctx.tree, 'config.pbtxt')) {
            return repositoryPlan(ctx, versionFolders);
        }
        return modelFolderPlan(ctx);
    },
};
/** One model file: it goes into the version folder, with a minimal config.pbtxt. */
function singleFilePlan(ctx) {
    const repo = `/models/${ctx.name}`;
    const versionDir = `${repo}/${ctx.version}`;
    const file = ctx.tree.files[0];
    const known = MODEL_FILES[extension(file.path)];
    if (known === undefined) {
        throw doesNotFit('triton', `${file.path} is not a model.onnx, model.plan or model.pt`, 'model: models/resnet50.onnx');
    }
    if (known.backend === 'pytorch') {
        throw doesNotFit('triton', `a TorchScript model needs a config.pbtxt naming its inputs and outputs; give a folder with ${known.file} and config.pbtxt`, 'model: models/resnet50/ (model.pt + config.pbtxt)');
    }
    return {
        modelPath: repo,
        files: [{ file, imagePath: `${versionDir}/${known.file}` }],
        symlinks: [],
        directories: [repo, versionDir],
        generated: [
            {
                imagePath: `${repo}/config.pbtxt`,
                content: Buffer.from(minimalConfig(ctx.name, known.backend)),
            },
        ],
    };
}
/** A Triton model folder as it is, when a version folder holds a model. */
function repositoryPlan(ctx, versionFolders) {
    const { tree } = ctx;
    const repo = `/models/${ctx.name}`;
    const hasModel = versionFolders.some((v) => Object.values(MODEL_FILES).some((m) => hasFile(tree, `${v}/${m.file}`) || tree.directories.includes(`${v}/${m.file}`)));
    if (!hasModel) {
        throw doesNotFit('triton', `none of the version folders (${versionFolders.join(', ')}) holds a model.onnx, model.plan, model.pt or model.savedmodel/`, 'resnet50/config.pbtxt + resnet50/1/model.onnx');
    }
    const plan = placeTree(tree, repo, repo);
    const config = tree.files.find((f) => f.path === 'config.pbtxt');
    const signature = readConfig(config.source, ctx.name);
    if (signature)
        plan.signature = signature;
    return plan;
}
/** A folder with the model file (and maybe config.pbtxt): it becomes the version folder. */
function modelFolderPlan(ctx) {
    const { tree } = ctx;
    const repo = `/models/${ctx.name}`;
    const modelFile = Object.values(MODEL_FILES).find((m) => hasFile(tree, m.file) || tree.directories.includes(m.file));
    if (modelFile === undefined) {
        throw doesNotFit('triton', `no model.onnx, model.plan, model.pt or model.savedmodel/ in ${tree.root}`, 'a folder with model.onnx (and optionally config.pbtxt)');
    }
    const hasConfig = hasFile(tree, 'config.pbtxt');
    if (!hasConfig && (modelFile.backend === 'pytorch' || modelFile.backend === 'tensorflow')) {
        throw doesNotFit('triton', `${modelFile.file} needs a config.pbtxt next to it naming its inputs and outputs`, 'model.pt + config.pbtxt');
    }
    const plan = placeTree(tree, `${repo}/${ctx.version}`, repo, new Set(['config.pbtxt']));
    plan.directories.unshift(repo);
    if (hasConfig) {
        const config = tree.files.find((f) => f.path === 'config.pbtxt');
        plan.files.push({ file: config, imagePath: `${repo}/config.pbtxt` });
        const signature = readConfig(config.source, ctx.name);
        if (signature)
            plan.signature = signature;
    }
    else {
        plan.generated.push({
            imagePath: `${repo}/config.pbtxt`,
            content: Buffer.from(minimalConfig(ctx.name, modelFile.backend)),
        });
    }
    return plan;
}
function minimalConfig(name, backend) {
    return `name: "${name}"\nbackend: "${backend}"\n`;
}
const DATATYPES = {
    TYPE_BOOL: 'BOOL',
    TYPE_UINT8: 'UINT8',
    TYPE_UINT16: 'UINT16',
    TYPE_UINT32: 'UINT32',
    TYPE_UINT64: 'UINT64',
    TYPE_INT8: 'INT8',
    TYPE_INT16: 'INT16',
    TYPE_INT32: 'INT32',
    TYPE_INT64: 'INT64',
    TYPE_FP16: 'FP16',
    TYPE_FP32: 'FP32',
    TYPE_FP64: 'FP64',
    TYPE_STRING: 'BYTES',
    TYPE_BF16: 'BF16',
};
/** A config.pbtxt above this size is not a model configuration. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Reads the user's config.pbtxt: it must parse, and its `name` (when set)
 * must be the name the model is served as, or Triton refuses to load it.
 * Its inputs and outputs give the signature.
 */
function readConfig(source, servedAs) {
    const bytes = (0,external_node_fs_.readFileSync)(source);
    if (bytes.length > MAX_CONFIG_BYTES) {
        throw doesNotFit('triton', `config.pbtxt is ${bytes.length} bytes, more than a model configuration`, 'a config.pbtxt of a few KiB');
    }
    let config;
    try {
        config = pbtxt_parsePbtxt(bytes.toString('utf8'));
    }
    catch (err) {
        if (!(err instanceof PbtxtError))
            throw err;
        throw doesNotFit('triton', `config.pbtxt is not valid protobuf text: ${err.message}`, 'name: "resnet50"\nbackend: "onnxruntime"');
    }
    const name = pbScalar(config, 'name');
    if (name !== undefined && String(name) !== servedAs) {
        throw doesNotFit('triton', `config.pbtxt names the model '${String(name).slice(0, 100)}', but it is served as '${servedAs}' (the name input); Triton does not load a model whose config names another`, `name: "${servedAs}" in config.pbtxt, or name: ${String(name).slice(0, 100)} on the step`);
    }
    return signatureOf(config);
}
/**
 * Tensor names, types and dims from a config's `input` and `output` lists;
 * with `max_batch_size` above 0 Triton adds the batch dimension in front,
 * so the signature does too. Undefined when the config lists no tensors.
 */
function signatureFromConfig(text) {
    return signatureOf(parsePbtxt(text));
}
function signatureOf(config) {
    const batched = Number(pbScalar(config, 'max_batch_size') ?? 0) > 0;
    const tensors = (field) => pbMessages(config, field).flatMap((tensor) => {
        const name = pbScalar(tensor, 'name');
        if (name === undefined)
            return [];
        const type = String(pbScalar(tensor, 'data_type') ?? '');
        const dims = (tensor.dims ?? []).filter((d) => typeof d === 'number');
        return [
            {
                name: String(name),
                datatype: DATATYPES[type] ?? type,
                shape: batched ? [-1, ...dims] : dims,
            },
        ];
    });
    const inputs = tensors('input');
    const outputs = tensors('output');
    return inputs.length === 0 && outputs.length === 0 ? undefined : { inputs, outputs };
}

;// CONCATENATED MODULE: ./shared/model/runtimes/vllm.ts


/** vLLM serves a Hugging Face model folder through its OpenAI-compatible server. */
const vllm = {
    name: 'vllm',
    protocol: 'openai',
    defaultBaseImage: 'docker.io/vllm/vllm-openai:v0.6.3',
    ports: [{ name: 'http', port: 8000 }],
    health: { live: '/health', ready: '/health' },
    // The vllm-openai image runs as root with HOME=/root, where vLLM, Hugging
    // Face, Triton (the compiler) and torch keep their caches. As uid 1000 they
    // go to an emptyDir HOME instead; USER stands in for the passwd entry the
    // uid lacks (getpass reads it before asking the passwd file). Tensor
    // parallelism needs /dev/shm larger than a container's 64 MiB. Images of ~9 GB.
    pod: {
        runAsUser: 1000,
        readOnlyRootFilesystem: false,
        startupSeconds: 900,
        pullSeconds: 600,
        shutdownSeconds: 60,
        defaultRequests: { cpu: '4', memory: '16Gi' },
        scratch: [{ name: 'home', mountPath: pod/* SCRATCH_HOME */.X }, (0,pod/* sharedMemory */.o)('2Gi')],
        env: { HOME: pod/* SCRATCH_HOME */.X, USER: 'vllm' },
        requiresGpu: true,
    },
    numericVersion: false,
    // The image's entrypoint is the API server; these are its arguments.
    command: (ctx) => ({
        cmd: ['--model', `/models/${ctx.name}`, '--served-model-name', ctx.name, '--port', '8000'],
    }),
    env: () => ({}),
    plan(ctx) {
        const { tree } = ctx;
        const missing = [];
        if (tree.singleFile || !hasFile(tree, 'config.json'))
            missing.push('config.json');
        const weights = tree.files.some((f) => ['.safetensors', '.bin', '.pt', '.gguf'].includes(extension(f.path)));
        if (!weights)
            missing.push('weights (*.safetensors or *.bin)');
        if (missing.length > 0) {
            throw doesNotFit('vllm', `a Hugging Face model folder needs ${missing.join(' and ')}`, 'model: models/llama (config.json, model.safetensors, tokenizer.json)');
        }
        return placeTree(tree, `/models/${ctx.name}`, `/models/${ctx.name}`);
    },
};

;// CONCATENATED MODULE: ./shared/model/runtimes/index.ts








const RUNTIMES = {
    triton: triton,
    tfserving: tfserving,
    torchserve: torchserve,
    mlserver: mlserver,
    vllm: vllm,
    custom: custom,
};
function runtimeByName(name, input = 'runtime') {
    const runtime = RUNTIMES[name.toLowerCase()];
    if (runtime === undefined) {
        throw new InputError(input, `must be one of ${RUNTIME_NAMES.join(', ')}; got '${name}'`, 'runtime: triton');
    }
    return runtime;
}


/***/ }),

/***/ 2399:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ SCRATCH_HOME),
/* harmony export */   o: () => (/* binding */ sharedMemory)
/* harmony export */ });
/** The folder HOME points at where the image has no writable home for the pod's uid. */
const SCRATCH_HOME = '/home/model-server';
/** /dev/shm as a tmpfs of this size. */
function sharedMemory(sizeLimit) {
    return { name: 'dshm', mountPath: '/dev/shm', medium: 'Memory', sizeLimit };
}


/***/ })

};
