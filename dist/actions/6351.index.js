export const id = 6351;
export const ids = [6351];
export const modules = {

/***/ 86351:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  c3: () => (/* reexport */ summary/* JobSummary */.c),
  MV: () => (/* reexport */ actionsLogger),
  OC: () => (/* reexport */ azureFederationInputs),
  tE: () => (/* reexport */ booleanInput),
  OO: () => (/* reexport */ documentInput),
  Ts: () => (/* reexport */ durationInput),
  gX: () => (/* reexport */ enumInput),
  Os: () => (/* reexport */ group),
  zE: () => (/* reexport */ headersInput),
  TR: () => (/* reexport */ hostListInput),
  $A: () => (/* reexport */ integerInput),
  io: () => (/* reexport */ isSecretHeader),
  dt: () => (/* reexport */ listInput),
  zQ: () => (/* reexport */ mapInput),
  JJ: () => (/* reexport */ modelNameInput),
  Jz: () => (/* reexport */ optionalBoolean),
  pQ: () => (/* reexport */ optionalDuration),
  $H: () => (/* reexport */ optionalInteger),
  sx: () => (/* reexport */ optionalString),
  Fk: () => (/* reexport */ requiredString),
  Cs: () => (/* reexport */ runAction),
  yk: () => (/* reexport */ secretString),
  Hh: () => (/* reexport */ serverUrlInput),
  uH: () => (/* reexport */ setOutput),
  SB: () => (/* reexport */ sloInputs),
  eR: () => (/* reexport */ yamlInput)
});

// UNUSED EXPORTS: cloudIdentityInputs, exportVariable, getState, isPost, jsonInput, markMainDone, numberInput, saveState, setSecret

// EXTERNAL MODULE: ./shared/clouds/registry.ts + 12 modules
var registry = __webpack_require__(31741);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/common/duration.ts
var duration = __webpack_require__(59284);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/common/yaml-problem.ts
var yaml_problem = __webpack_require__(42233);
;// CONCATENATED MODULE: ./shared/common/document-input.ts




/** Requests and expectations are read into memory and sent many times; 10 MiB is far above any smoke request. */
const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/**
 * An input that is either the document itself (JSON, or YAML where allowed)
 * or the path of a file holding it, relative to the workspace. Inline text is
 * recognised by its first character, so a file name is never parsed as YAML.
 */
function readDocumentInput(input, value, options) {
    if (value === undefined || value.trim() === '')
        return undefined;
    const text = value.trim();
    const inline = /^[[{"]/.test(text) || (options.yaml && text.includes('\n'));
    let source = text;
    let where = 'inline';
    if (!inline) {
        const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
        const file = (0,external_node_path_.isAbsolute)(text) ? text : (0,external_node_path_.resolve)(workspace, text);
        if (!(0,external_node_fs_.existsSync)(file)) {
            throw new errors/* InputError */.dz(input, `names the file '${text}', which does not exist (looked in ${workspace})`, options.example);
        }
        const size = (0,external_node_fs_.statSync)(file).size;
        if (size > MAX_DOCUMENT_BYTES) {
            throw new errors/* InputError */.dz(input, `names the file '${text}' of ${size} bytes, more than the ${MAX_DOCUMENT_BYTES} a smoke-test document may have`, 'a small representative request; a load test belongs in a benchmark, not a smoke test');
        }
        source = (0,external_node_fs_.readFileSync)(file, 'utf8');
        where = `file '${text}'`;
    }
    // Inline JSON is YAML too, so inline YAML in flow style ({outputs: {y: [1]}}) is read as well;
    // a .json file is read as JSON, which is faster for a large one.
    const yaml = options.yaml && !(where !== 'inline' && /\.json$/i.test(text));
    try {
        return yaml ? (0,yaml_problem/* parseYamlInput */.PJ)(source) : JSON.parse(source);
    }
    catch (err) {
        const problem = err instanceof yaml_problem/* YamlProblem */.lw ? err.detail : `: ${err.message.split('\n')[0]}`;
        throw new errors/* InputError */.dz(input, `(${where}) is not valid ${yaml ? 'YAML' : 'JSON'}${problem}`, options.example);
    }
}

// EXTERNAL MODULE: ./shared/common/closers.ts
var closers = __webpack_require__(33265);
// EXTERNAL MODULE: ./shared/common/network.ts
var common_network = __webpack_require__(21084);
// EXTERNAL MODULE: ./shared/common/logger.ts
var logger = __webpack_require__(90828);
// EXTERNAL MODULE: ./shared/action/runner.ts
var runner = __webpack_require__(76663);
;// CONCATENATED MODULE: ./shared/action/run.ts





/** The GitHub Actions implementation of the shared Logger. */
const actionsLogger = {
    // Annotations and debug lines are escaped as commands; plain lines are made inert.
    info: (m) => runner/* info */.pq((0,logger/* inertCommands */.rn)(m)),
    debug: (m) => runner/* debug */.Yz(m),
    warning: (m, p) => runner/* warning */.$e(m, p),
    error: (m, p) => runner/* error */.z3(m, p),
    secret: (v) => {
        if (v === '')
            return;
        runner/* setSecret */.Pq(v);
        // A multi-line secret (a PEM key) is masked line by line too: the runner
        // matches masks within a line, so a line logged alone would escape the whole.
        for (const line of v.split(/\r?\n/)) {
            const text = line.trim();
            if (text !== v && text.length >= 8 && !/^-----(BEGIN|END) /.test(text))
                runner/* setSecret */.Pq(text);
        }
    },
};
function debugEnabled() {
    return process.env.MODEL_DEPLOY_DEBUG === 'true' || runner/* isDebug */._o();
}
/**
 * The error boundary of an action. A UserError is reported plainly as
 * `model-deploy/<action> failed: …`; anything else is a bug and keeps its stack.
 * Never throws: the outcome is the process exit code.
 */
async function runAction(action, body) {
    try {
        await body();
        return true;
    }
    catch (err) {
        const prefix = `model-deploy/${action} failed: `;
        // A network failure that no caller named a server for (a body cut short
        // after its headers arrived) is still not a bug: say what happened.
        const network = (0,errors/* isUserError */.iU)(err) ? undefined : (0,common_network/* networkCause */.u6)(err);
        if (network !== undefined) {
            runner/* setFailed */.C1(`${prefix}${(0,errors/* oneLine */.TN)((0,errors/* errorMessage */.gJ)(err))}: a network failure, not a bug: ${network.words}` +
                '\n  how to fix: check that this runner can reach the servers named in the inputs (HTTPS_PROXY/NO_PROXY, firewall), then run the job again');
            if (debugEnabled() && err instanceof Error && err.stack)
                runner/* info */.pq(err.stack);
        }
        else if ((0,errors/* isUserError */.iU)(err)) {
            const hint = err.hint === undefined ? '' : `\n  how to fix: ${err.hint}`;
            runner/* setFailed */.C1(prefix + err.message + hint);
            if (debugEnabled() && err.stack)
                runner/* info */.pq(err.stack);
        }
        else {
            const stack = err instanceof Error && err.stack ? `\n${err.stack}` : '';
            runner/* setFailed */.C1(`${prefix}${(0,errors/* errorMessage */.gJ)(err)}${stack}\n` +
                'This looks like a bug in model-deploy; please report it with this log.');
        }
        return false;
    }
    finally {
        await (0,closers/* runClosers */.x)();
    }
}
/** A collapsible log group that always closes, even when the body throws. */
async function group(title, body) {
    runner/* startGroup */.Oh(title);
    try {
        return await body();
    }
    finally {
        runner/* endGroup */.N4();
    }
}
/** Outputs are machine-friendly: objects and arrays become JSON. */
function setOutput(name, value) {
    runner/* setOutput */.uH(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
}
function setSecret(value) {
    if (value !== '')
        core.setSecret(value);
}
/** State handed from the main step to the post step. */
function saveState(name, value) {
    core.saveState(name, value);
}
function getState(name) {
    return core.getState(name);
}
function isPost() {
    return core.getState('isPost') === 'true';
}
function markMainDone() {
    core.saveState('isPost', 'true');
}
function exportVariable(name, value) {
    core.exportVariable(name, value);
}

;// CONCATENATED MODULE: ./shared/action/inputs.ts







function raw(name) {
    return runner/* getInput */.V4(name, { trimWhitespace: true });
}
function requiredString(name, options = {}) {
    const value = raw(name);
    if (value === '') {
        throw new errors/* InputError */.dz(name, 'is required but was not given', options.example);
    }
    return value;
}
function optionalString(name, fallback) {
    const value = raw(name);
    return value === '' ? fallback : value;
}
/** A secret input: masked the moment it is read. */
function secretString(name) {
    const value = runner/* getInput */.V4(name, { trimWhitespace: false });
    if (value === '')
        return undefined;
    runner/* setSecret */.Pq(value);
    return value;
}
/** Only `true` or `false` (any case): `yes`, `1` and typos are refused rather than guessed. */
function booleanInput(name, fallback) {
    const value = raw(name).toLowerCase();
    if (value === '')
        return fallback;
    if (value === 'true')
        return true;
    if (value === 'false')
        return false;
    throw new errors/* InputError */.dz(name, `must be true or false, not '${raw(name)}'`, `${name}: true`);
}
/** The default is what most users run with, so it is the example unless one is given. */
function integerInput(name, fallback, bounds = {}) {
    return optionalInteger(name, { example: fallback, ...bounds }) ?? fallback;
}
function optionalInteger(name, bounds = {}) {
    const value = raw(name);
    if (value === '')
        return undefined;
    const example = `${name}: ${bounds.example ?? bounds.min ?? 1}`;
    if (!/^-?\d+$/.test(value)) {
        throw new errors/* InputError */.dz(name, `must be a whole number, not '${value}'`, example);
    }
    const n = Number(value);
    if (bounds.min !== undefined && n < bounds.min) {
        throw new errors/* InputError */.dz(name, `must be at least ${bounds.min}, not ${n}`, example);
    }
    if (bounds.max !== undefined && n > bounds.max) {
        throw new errors/* InputError */.dz(name, `must be at most ${bounds.max}, not ${n}`, example);
    }
    return n;
}
/** A number, such as a fraction or a latency; `example` is a realistic value of this input. */
function numberInput(name, fallback, example) {
    const value = raw(name);
    if (value === '')
        return fallback;
    const n = Number(value);
    if (!Number.isFinite(n)) {
        const unit = /^[\d.]+\s*[a-z%]+$/i.test(value);
        throw new errors/* InputError */.dz(name, `must be ${unit ? 'a plain number, without a unit or %,' : 'a number,'} not '${value}'`, `${name}: ${example}`);
    }
    return n;
}
function sloInputs() {
    const sloErrorRate = numberInput('slo-error-rate', 0, '0.01');
    if (sloErrorRate < 0 || sloErrorRate > 1) {
        throw new errors/* InputError */.dz('slo-error-rate', `must be a fraction between 0 and 1, not ${sloErrorRate}`, 'slo-error-rate: 0.01');
    }
    const sloP95Ms = numberInput('slo-p95-ms', undefined, '250');
    if (sloP95Ms !== undefined && sloP95Ms <= 0) {
        throw new errors/* InputError */.dz('slo-p95-ms', `must be a positive number of milliseconds, not ${sloP95Ms}`, 'slo-p95-ms: 250');
    }
    return { sloErrorRate, sloP95Ms };
}
/** A duration such as `30s`, `10m`, `1h30m`; returns milliseconds. */
function durationInput(name, fallback) {
    const value = raw(name) || fallback;
    const ms = (0,duration/* parseDuration */.E)(value);
    if (ms === undefined) {
        // The default is this input's usual size: a request timeout is seconds, a rollout minutes.
        throw new errors/* InputError */.dz(name, `must be a duration like 30s, 10m or 1h, not '${value}'`, `${name}: ${fallback}`);
    }
    return ms;
}
function enumInput(name, allowed, fallback) {
    const value = raw(name);
    if (value === '')
        return fallback;
    const match = allowed.find((a) => a === value.toLowerCase());
    if (match === undefined) {
        throw new errors/* InputError */.dz(name, `must be one of ${allowed.join(', ')}; got '${value}'`, `${name}: ${allowed[0]}`);
    }
    return match;
}
/**
 * A list: one item per line, or comma-separated on one line. Blank lines and
 * `#` comments are ignored.
 */
function listInput(name, options = {}) {
    const value = raw(name);
    const items = value
        .split(/\r?\n/)
        .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
        .filter((line) => line !== '')
        .flatMap((line) => line.split(',').map((item) => item.trim()))
        .filter((item) => item !== '');
    if (options.required && items.length === 0) {
        throw new errors/* InputError */.dz(name, 'is required but was not given', options.example);
    }
    return items;
}
/** `KEY=value` pairs, one per line (also accepts a YAML/JSON mapping). */
function mapInput(name, options = {}) {
    const value = raw(name);
    if (value === '')
        return {};
    if (value.startsWith('{')) {
        const parsed = jsonInput(name, { example: options.example ?? '{"KEY": "value"}' });
        return stringMap(name, parsed, options);
    }
    const out = {};
    for (const line of value.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed === '' || trimmed.startsWith('#'))
            continue;
        const eq = trimmed.search(/[=:]/);
        if (eq <= 0) {
            throw new errors/* InputError */.dz(name, `has a line that is not KEY=value: '${trimmed}'`, options.example ?? 'KEY=value');
        }
        out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
    }
    return out;
}
function stringMap(name, parsed, options) {
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new errors/* InputError */.dz(name, 'must be a mapping of names to values', options.example ?? '{"KEY": "value"}');
    }
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}
function jsonInput(name, options = {}) {
    const value = raw(name);
    if (value === '')
        return undefined;
    try {
        return JSON.parse(value);
    }
    catch (err) {
        throw new errors/* InputError */.dz(name, `is not valid JSON: ${err.message}`, options.example);
    }
}
/**
 * YAML (JSON is YAML too). A mistake is reported where it is (line, column)
 * and in plain words, with the input's accepted form; aliases are limited so
 * a "billion laughs" document fails instead of exhausting memory.
 */
function yamlInput(name, options = {}) {
    const value = raw(name);
    if (value === '')
        return undefined;
    try {
        return (0,yaml_problem/* parseYamlInput */.PJ)(value);
    }
    catch (err) {
        if (!(err instanceof yaml_problem/* YamlProblem */.lw))
            throw err;
        throw new errors/* InputError */.dz(name, `is not valid YAML${err.detail}`, options.example);
    }
}
/** Registry hosts, `host` or `host:port` each: a URL or a path is refused rather than never matching. */
function hostListInput(name) {
    const hosts = listInput(name);
    for (const host of hosts) {
        if (!/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(host)) {
            throw new errors/* InputError */.dz(name, `has '${host}', which is not a host or host:port`, `${name}: registry.internal:5000`);
        }
    }
    return hosts;
}
/** Every cloud's identity inputs for GitHub OIDC federation, as the job gives them, checked by the cloud. */
function cloudIdentityInputs() {
    return (0,registry/* readCloudIdentities */.IP)((input) => optionalString(input));
}
/** `azure-client-id` and `azure-tenant-id`: both or neither, a GUID client id, a GUID or domain tenant. */
function azureFederationInputs() {
    const { clientId, tenantId } = cloudIdentityInputs().azure ?? {};
    return { ...(clientId ? { clientId } : {}), ...(tenantId ? { tenantId } : {}) };
}
/**
 * The served model name or id, as it goes into request paths: `/` is allowed
 * (OpenAI-style ids such as `org/model`), but not spaces, `..` segments, `?`,
 * `#` or `%`, which would change the URL rather than name a model.
 */
function modelNameInput(name, fallback) {
    const value = optionalString(name) ?? fallback;
    if (value === undefined)
        return undefined;
    if (/[\s?#%\\]/.test(value) || value.split('/').some((part) => part === '..' || part === '.')) {
        throw new errors/* InputError */.dz(name, `must be the served model name, without spaces, '..', '?', '#' or '%'; got '${value}'`, `${name}: resnet50`);
    }
    return value;
}
/** A duration that may be left unset: undefined then, rather than a default. */
function optionalDuration(name, example) {
    return raw(name) === '' ? undefined : durationInput(name, example);
}
/** A strict boolean that may be left unset: undefined then, rather than a default. */
function optionalBoolean(name) {
    return raw(name) === '' ? undefined : booleanInput(name, false);
}
/** Header names whose values are credentials. */
const SECRET_HEADER = /authorization|token|secret|api-?key|cookie|password/i;
function isSecretHeader(name) {
    return SECRET_HEADER.test(name);
}
/** Header values this long or longer are masked in the log whatever the header's name. */
const MASKED_HEADER_MIN = 6;
/**
 * Headers from a `Name=value` map input and a bearer token input, every
 * credential masked before anything can log it.
 */
function headersInput(name, tokenInput) {
    const headers = mapInput(name, { example: 'X-Tenant=ml-platform' });
    for (const [header, value] of Object.entries(headers)) {
        // RFC 9110 field names are tokens; a line break in a value would start a new header.
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header) || /[\r\n\0]/.test(value)) {
            throw new errors/* InputError */.dz(name, `has the header '${header}', whose name is not a header token or whose value has a line break`, `${name}: X-Tenant=ml-platform`);
        }
        // Header values often come from a secret whatever the header is called: all
        // are masked (but a few characters, which would blank out ordinary log text);
        // for a credential header the part after the scheme (`Bearer …`) too.
        if (isSecretHeader(header) || value.trim().length >= MASKED_HEADER_MIN) {
            actionsLogger.secret(value);
            const credential = /^\S+\s+(.+)$/.exec(value)?.[1];
            if (credential && isSecretHeader(header))
                actionsLogger.secret(credential);
        }
    }
    const token = secretString(tokenInput);
    if (token !== undefined)
        headers.authorization = `Bearer ${token.trim()}`;
    return headers;
}
const GRPC_URL_EXAMPLE = 'grpcs://models.example.com:443 or grpc://10.0.0.7:8081';
/**
 * The URL of a server to call. For a protocol that speaks gRPC (`grpc`), the
 * address is a host and port (grpc://, grpcs://, http:// or https://), since
 * the protocol fixes the paths of its calls; otherwise http:// or https://.
 * Credentials in the URL are refused: they would be logged with it.
 */
function serverUrlInput(name, options = {}) {
    const value = optionalString(name);
    if (value === undefined)
        return undefined;
    const url = parseUrlValue(name, value);
    const { protocol, grpc = false } = options;
    if (grpc && ['grpc:', 'grpcs:', 'http:', 'https:'].includes(url.protocol)) {
        if (url.pathname !== '' && url.pathname !== '/') {
            throw new errors/* InputError */.dz(name, `has the path '${url.pathname}', but a gRPC endpoint is only a host and port: protocol ${protocol} fixes the paths of its calls`, GRPC_URL_EXAMPLE);
        }
    }
    else if (url.protocol === 'grpc:' || url.protocol === 'grpcs:') {
        throw new errors/* InputError */.dz(name, `is a gRPC address, and protocol ${protocol ?? 'v2'} speaks HTTP: use protocol v2-grpc or tfserving-grpc, or the server's HTTP URL`, 'protocol: v2-grpc');
    }
    else if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new errors/* InputError */.dz(name, `must be http:// or https://${grpc ? ' (or grpc://, grpcs:// for gRPC)' : ''}, not ${url.protocol}`, grpc ? GRPC_URL_EXAMPLE : 'https://models.example.com');
    }
    if (url.username || url.password) {
        throw new errors/* InputError */.dz(name, 'must not carry credentials; use `token` or `headers`', 'https://models.example.com');
    }
    return value;
}
function parseUrlValue(name, value) {
    try {
        return new URL(value);
    }
    catch {
        throw new errors/* InputError */.dz(name, `is not a URL: '${value}'`, 'https://models.example.com');
    }
}
/**
 * A document given inline (JSON, or YAML where allowed) or as the path of a
 * file in the workspace holding it.
 */
function documentInput(name, options) {
    return readDocumentInput(name, optionalString(name), options);
}

// EXTERNAL MODULE: ./shared/action/summary.ts
var summary = __webpack_require__(62173);
;// CONCATENATED MODULE: ./shared/action/index.ts





/***/ }),

/***/ 76663:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   N4: () => (/* binding */ endGroup),
/* harmony export */   Oh: () => (/* binding */ startGroup),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   Yz: () => (/* binding */ debug),
/* harmony export */   _o: () => (/* binding */ isDebug),
/* harmony export */   fe: () => (/* binding */ appendSummary),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   uH: () => (/* binding */ setOutput),
/* harmony export */   z3: () => (/* binding */ error)
/* harmony export */ });
/* unused harmony exports escapeData, escapeProperty, command, fileEntry, saveState, getState, exportVariable */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);



/**
 * The GitHub Actions runner's protocol, as its documentation on workflow
 * commands and environment files gives it: inputs in INPUT_<NAME>, commands
 * as `::name key=value::message` lines on stdout, outputs, state and
 * variables appended to the files GITHUB_OUTPUT, GITHUB_STATE and GITHUB_ENV
 * name, the job summary to GITHUB_STEP_SUMMARY. It needs nothing beyond
 * Node, so an action reads its inputs within milliseconds of starting.
 */
/** A command's message: the runner reads one line, so line breaks and % are encoded. */
function escapeData(value) {
    return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** A command's property value: also `:` and `,`, which separate properties. */
function escapeProperty(value) {
    return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
function command(name, message, properties = {}) {
    const props = Object.entries(properties)
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
        .join(',');
    process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`);
}
/** The input as the runner passes it: INPUT_ and the name upper-cased, spaces as underscores. */
function getInput(name, options = {}) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
    return options.trimWhitespace === false ? value : value.trim();
}
function info(message) {
    process.stdout.write(message + node_os__WEBPACK_IMPORTED_MODULE_2__.EOL);
}
const debug = (message) => command('debug', message);
const annotation = (properties = {}) => ({
    title: properties.title,
    file: properties.file,
    line: properties.startLine,
});
const warning = (message, properties) => command('warning', message, annotation(properties));
const error = (message, properties) => command('error', message, annotation(properties));
const setSecret = (value) => command('add-mask', value);
const startGroup = (title) => command('group', title);
const endGroup = () => command('endgroup', '');
function isDebug() {
    return process.env.RUNNER_DEBUG === '1';
}
/** Marks the step failed (exit code 1) and says why as an error annotation. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/**
 * A `name<<delimiter` block in an environment file. The delimiter is random
 * and checked against the value, so a value cannot end the block early and
 * set another name.
 */
function fileEntry(name, value, delimiter = `ghadelimiter_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)()}`) {
    if (name.includes(delimiter) || value.includes(delimiter)) {
        throw new Error(`the value of ${name} contains the delimiter ${delimiter}`);
    }
    return `${name}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${value}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`;
}
/** Appends to the runner's file for `variable`; outside a runner, the older command form. */
function toFile(variable, legacy, name, value) {
    const file = process.env[variable];
    if (file)
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.appendFileSync)(file, fileEntry(name, value), 'utf8');
    else {
        process.stdout.write(node_os__WEBPACK_IMPORTED_MODULE_2__.EOL);
        command(legacy, value, { name });
    }
}
const setOutput = (name, value) => toFile('GITHUB_OUTPUT', 'set-output', name, value);
/** State for the post step, which reads it from STATE_<name>. */
const saveState = (name, value) => toFile('GITHUB_STATE', 'save-state', name, value);
function getState(name) {
    return process.env[`STATE_${name}`] ?? '';
}
/** For later steps (GITHUB_ENV), and for this process from now on. */
function exportVariable(name, value) {
    process.env[name] = value;
    toFile('GITHUB_ENV', 'set-env', name, value);
}
/** Appends markdown to the job summary; nothing outside a runner. */
function appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file)
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.appendFileSync)(file, markdown + node_os__WEBPACK_IMPORTED_MODULE_2__.EOL, 'utf8');
}


/***/ }),

/***/ 62173:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ JobSummary)
/* harmony export */ });
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76663);

/**
 * The job summary of one action. Collects sections and writes them once, so a
 * failing action still gets a summary written in its finally block.
 */
class JobSummary {
    parts = [];
    constructor(title) {
        this.parts.push(`## ${escapeMarkdown(title)}\n`);
    }
    heading(text) {
        this.parts.push(`### ${escapeMarkdown(text)}\n`);
        return this;
    }
    paragraph(text) {
        this.parts.push(`${text}\n`);
        return this;
    }
    /** A two-column table of facts (`name | value`). */
    facts(rows) {
        return this.table(['', ''], rows.filter(([, v]) => v !== undefined && v !== ''));
    }
    table(header, rows) {
        if (rows.length === 0)
            return this;
        const line = (cells) => `| ${cells.map((c) => escapeCell(c)).join(' | ')} |`;
        this.parts.push([line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n') +
            '\n');
        return this;
    }
    code(text, language = '') {
        const fence = text.includes('```') ? '````' : '```';
        this.parts.push(`${fence}${language}\n${text}\n${fence}\n`);
        return this;
    }
    /** Mermaid renders in GitHub job summaries. */
    mermaid(diagram) {
        return this.code(diagram, 'mermaid');
    }
    details(summary, body) {
        this.parts.push(`<details><summary>${escapeMarkdown(summary)}</summary>\n\n${body}\n</details>\n`);
        return this;
    }
    toMarkdown() {
        return this.parts.join('\n');
    }
    /** Appends to GITHUB_STEP_SUMMARY; quietly does nothing outside a runner. */
    async write() {
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_0__/* .appendSummary */ .fe)(this.toMarkdown());
    }
}
function escapeCell(value) {
    if (value === undefined)
        return '';
    return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
function escapeMarkdown(text) {
    return text.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}


/***/ }),

/***/ 4844:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   h: () => (/* binding */ isEksServer),
/* harmony export */   u: () => (/* binding */ ECR_HOST)
/* harmony export */ });
/** An ECR registry host: the account id and region are in it. */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
/** An EKS API server's host name. */
function isEksServer(host) {
    return host.endsWith('.eks.amazonaws.com');
}


/***/ }),

/***/ 43864:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ NVIDIA_GPU_TAINT)
/* harmony export */ });
/** What a cloud tells deploy: the profile of its clusters and the facts its probes read. */
/** The taint GPU node pools carry (some clouds set it, others have their pools told to). */
const NVIDIA_GPU_TAINT = {
    key: 'nvidia.com/gpu',
    operator: 'Exists',
    effect: 'NoSchedule',
};


/***/ }),

/***/ 31741:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  JJ: () => (/* binding */ CLOUDS),
  J: () => (/* binding */ PROFILE_NAMES),
  X: () => (/* binding */ cloudNamed),
  sA: () => (/* binding */ cloudOfRegistryHost),
  O2: () => (/* binding */ cloudOfServer),
  Jf: () => (/* binding */ clusterKind),
  Eh: () => (/* binding */ clusterKinds),
  at: () => (/* binding */ defaultProfileFor),
  FF: () => (/* binding */ deployProfile),
  mK: () => (/* binding */ findLoadBalancerController),
  WN: () => (/* binding */ objectStoreFor),
  X$: () => (/* binding */ objectStoreSchemes),
  IP: () => (/* binding */ readCloudIdentities)
});

// UNUSED EXPORTS: profilesWithIdentity

;// CONCATENATED MODULE: ./shared/clouds/aws/cluster-spec.ts
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
function parseEksSpec(rest, fail) {
    const parts = rest.split('/');
    const [region, name] = parts;
    if (parts.length !== 2 || !region || !name)
        return fail('must be eks:<region>/<cluster name>');
    if (!REGION.test(region))
        return fail(`has '${region}', which is not an AWS region`);
    if (!EKS_NAME.test(name))
        return fail(`has '${name}', which is not an EKS cluster name`);
    return { kind: 'eks', region, name };
}
function describeEksSpec(spec) {
    return `eks:${spec.region}/${spec.name}`;
}

// EXTERNAL MODULE: ./shared/clouds/aws/hosts.ts
var hosts = __webpack_require__(4844);
// EXTERNAL MODULE: ./shared/clouds/profile.ts
var profile = __webpack_require__(43864);
;// CONCATENATED MODULE: ./shared/clouds/aws/profile.ts

/** An EC2 instance type (`g5.xlarge`, `p4d.24xlarge`): kubelet's `node.kubernetes.io/instance-type`. */
const EC2_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** A GPU name as Karpenter and EKS Auto Mode label it (`a10g`, `l4`, `h100`). */
const AWS_GPU_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-';
function loadBalancerAnnotations(internal, controller) {
    return controller === 'in-tree'
        ? {
            // The in-tree service controller's NLB (instance targets through the nodes).
            [`${ANNOTATION}type`]: 'nlb',
            ...(internal ? { [`${ANNOTATION}internal`]: 'true' } : {}),
        }
        : {
            // The AWS Load Balancer Controller's (or EKS Auto Mode's) NLB with IP targets.
            [`${ANNOTATION}type`]: 'external',
            [`${ANNOTATION}nlb-target-type`]: 'ip',
            [`${ANNOTATION}scheme`]: internal ? 'internal' : 'internet-facing',
        };
}
/** The controller's `scheme`, or the in-tree controller's `internal` (a CIDR in old clusters). */
function internalLoadBalancer(annotations) {
    const internal = annotations[`${ANNOTATION}internal`];
    return (annotations[`${ANNOTATION}scheme`] === 'internal' ||
        internal === 'true' ||
        internal === '0.0.0.0/0');
}
/**
 * An AWS load balancer terminates TLS when the Service names a certificate
 * (`aws-load-balancer-ssl-cert`), on the ports `aws-load-balancer-ssl-ports`
 * lists (by number or name; all of them when it is absent or `*`).
 */
function loadBalancerTlsPort(annotations, ports) {
    if (!annotations[`${ANNOTATION}ssl-cert`])
        return undefined;
    const listed = (annotations[`${ANNOTATION}ssl-ports`] ?? '*')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
    const all = listed.length === 0 || listed.includes('*');
    const match = ports.find((p) => all || listed.includes(String(p.port)) || (p.name !== undefined && listed.includes(p.name)));
    return match ? (match.port ?? 80) : undefined;
}
// Managed node groups get the kubelet's instance-type label; Karpenter and
// EKS Auto Mode label the GPU's name (a10g, l4…) each under its own key.
function gpuPlacement(gpuType) {
    if (gpuType === undefined)
        return { nodeSelector: {}, tolerations: [profile/* NVIDIA_GPU_TAINT */.A] };
    if (EC2_INSTANCE_TYPE.test(gpuType)) {
        return {
            nodeSelector: { 'node.kubernetes.io/instance-type': gpuType },
            tolerations: [profile/* NVIDIA_GPU_TAINT */.A],
        };
    }
    return {
        nodeSelector: {},
        nodeAffinityTerms: [
            [{ key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'In', values: [gpuType] }],
            [{ key: 'eks.amazonaws.com/instance-gpu-name', operator: 'In', values: [gpuType] }],
        ],
        tolerations: [profile/* NVIDIA_GPU_TAINT */.A],
    };
}
const awsProfile = {
    name: 'aws',
    loadBalancerAnnotations,
    internalLoadBalancer,
    loadBalancerTlsPort,
    addressHint: 'on EKS the AWS Load Balancer Controller (or EKS Auto Mode) must be installed for NLB annotations',
    gpuPlacement,
    checkGpuType: (t) => EC2_INSTANCE_TYPE.test(t) || AWS_GPU_NAME.test(t)
        ? undefined
        : 'is neither an EC2 instance type (g5.xlarge) nor a GPU name as Karpenter and EKS Auto Mode label it (a10g, l4)',
    gpuTypeExample: 'gpu-type: g5.xlarge (managed node groups) or gpu-type: a10g (Karpenter, EKS Auto Mode)',
    identity: {
        annotation: 'eks.amazonaws.com/role-arn',
        check: (v) => /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(v)
            ? undefined
            : 'is not an IAM role ARN',
        example: 'arn:aws:iam::123456789012:role/model-serving',
    },
};

;// CONCATENATED MODULE: ./shared/clouds/aws/index.ts



const MiB = 1024 * 1024;
const aws = {
    name: 'aws',
    registry: {
        ownsHost: (host) => hosts/* ECR_HOST */.u.test(host),
        /** ECR: layer parts of at least 5 MiB; chunked always, so one code path serves every size. */
        uploadPolicy: {
            name: 'ecr',
            monolithicMaxBytes: 0,
            chunkBytes: 32 * MiB,
            minChunkBytes: 5 * MiB,
        },
        async access({ host, logger }) {
            const { ecrRegistryAccess } = await Promise.all(/* import() */[__webpack_require__.e(9719), __webpack_require__.e(8249), __webpack_require__.e(6504)]).then(__webpack_require__.bind(__webpack_require__, 16504));
            return ecrRegistryAccess({ host, logger });
        },
    },
    clusters: [
        {
            kind: 'eks',
            example: 'eks:us-east-1/prod',
            parse: parseEksSpec,
            describe: describeEksSpec,
            async connect(spec, context) {
                const { eksConnection } = await Promise.all(/* import() */[__webpack_require__.e(9719), __webpack_require__.e(4913), __webpack_require__.e(6829)]).then(__webpack_require__.bind(__webpack_require__, 66829));
                return eksConnection(spec, context);
            },
        },
    ],
    ownsServer: (server) => (0,hosts/* isEksServer */.h)(server.hostname),
    objectStore: {
        schemes: ['s3'],
        async reader({ url, settings }) {
            const { s3ObjectReader } = await Promise.all(/* import() */[__webpack_require__.e(9719), __webpack_require__.e(3711), __webpack_require__.e(2836)]).then(__webpack_require__.bind(__webpack_require__, 52836));
            const endpoint = settings?.endpointurl;
            const region = settings?.region;
            return s3ObjectReader({
                bucket: new URL(url).hostname,
                ...(endpoint ? { endpoint } : {}),
                ...(region ? { region } : {}),
            });
        },
    },
    profile: awsProfile,
    probes: {
        async loadBalancerController(cluster, logger) {
            const { findEksLoadBalancerController } = await __webpack_require__.e(/* import() */ 890).then(__webpack_require__.bind(__webpack_require__, 90890));
            return findEksLoadBalancerController(cluster, logger);
        },
    },
    credentialHint: 'sign in with aws-actions/configure-aws-credentials (GitHub OIDC to an IAM role) before this step',
};

;// CONCATENATED MODULE: ./shared/clouds/azure/cluster-spec.ts
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;
const AKS_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,61}[A-Za-z0-9]?$/;
function parseAksSpec(rest, fail) {
    const parts = rest.split('/');
    const [subscription, resourceGroup, name] = parts;
    if (parts.length !== 3 || !subscription || !resourceGroup || !name) {
        return fail('must be aks:<subscription id>/<resource group>/<cluster name>');
    }
    if (!GUID.test(subscription))
        return fail(`has '${subscription}', which is not a subscription id (a GUID)`);
    if (!RESOURCE_GROUP.test(resourceGroup))
        return fail(`has '${resourceGroup}', which is not a resource group name`);
    if (!AKS_NAME.test(name))
        return fail(`has '${name}', which is not an AKS cluster name`);
    return { kind: 'aks', subscription, resourceGroup, name };
}
function describeAksSpec(spec) {
    return `aks:${spec.subscription}/${spec.resourceGroup}/${spec.name}`;
}

// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
;// CONCATENATED MODULE: ./shared/clouds/azure/identity-inputs.ts

const identity_inputs_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
/**
 * `azure-client-id` and `azure-tenant-id` for GitHub OIDC federation to Entra:
 * both or neither, a GUID client id, a GUID or domain tenant.
 */
function check({ clientId, tenantId }) {
    if (clientId !== undefined && !identity_inputs_GUID.test(clientId)) {
        throw new errors/* InputError */.dz('azure-client-id', `must be the application (client) id, a GUID; got '${clientId}'`, 'azure-client-id: 00000000-0000-0000-0000-000000000000');
    }
    if ((clientId === undefined) !== (tenantId === undefined)) {
        throw new errors/* InputError */.dz(clientId === undefined ? 'azure-client-id' : 'azure-tenant-id', 'must be given together with the other (GitHub OIDC login to Entra needs both)', 'azure-client-id: ${{ vars.AZURE_CLIENT_ID }} and azure-tenant-id: ${{ vars.AZURE_TENANT_ID }}');
    }
    if (tenantId !== undefined && !identity_inputs_GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
        throw new errors/* InputError */.dz('azure-tenant-id', `must be the directory (tenant) id, a GUID or a domain like contoso.onmicrosoft.com; got '${tenantId}'`, 'azure-tenant-id: 00000000-0000-0000-0000-000000000000');
    }
}
const azureIdentityInputs = {
    inputs: { clientId: 'azure-client-id', tenantId: 'azure-tenant-id' },
    check,
};

;// CONCATENATED MODULE: ./shared/clouds/azure/profile.ts

/** An Azure VM size (`Standard_NC6s_v3`): the node's `node.kubernetes.io/instance-type`. */
const AZURE_VM_SIZE = /^Standard_[A-Za-z0-9_]+$/;
const INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';
// AKS labels nodes of GPU VM sizes `kubernetes.azure.com/accelerator=nvidia`
// (the bare `accelerator` label is deprecated); GPU pools are usually
// created with the `sku=gpu:NoSchedule` taint.
function profile_gpuPlacement(gpuType) {
    return {
        nodeSelector: {
            'kubernetes.azure.com/accelerator': 'nvidia',
            ...(gpuType ? { 'node.kubernetes.io/instance-type': gpuType } : {}),
        },
        tolerations: [
            profile/* NVIDIA_GPU_TAINT */.A,
            { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
        ],
    };
}
const azureProfile = {
    name: 'azure',
    loadBalancerAnnotations: (internal) => internal ? { [INTERNAL]: 'true' } : {},
    internalLoadBalancer: (annotations) => annotations[INTERNAL] === 'true',
    gpuPlacement: profile_gpuPlacement,
    checkGpuType: (t) => AZURE_VM_SIZE.test(t) ? undefined : 'is not an Azure VM size (Standard_NC6s_v3)',
    gpuTypeExample: 'gpu-type: Standard_NC24ads_A100_v4',
    identity: {
        annotation: 'azure.workload.identity/client-id',
        podLabels: { 'azure.workload.identity/use': 'true' },
        check: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
            ? undefined
            : 'is not a client id (a GUID)',
        example: '00000000-0000-0000-0000-000000000000',
    },
};

;// CONCATENATED MODULE: ./shared/clouds/azure/index.ts



const azure_MiB = 1024 * 1024;
const ACR_HOST = /^[a-z0-9]+\.azurecr\.(?:io|cn|us|de)$/;
/** The federation identity the inputs named, if any. */
function federation(identity) {
    return {
        ...(identity?.clientId ? { clientId: identity.clientId } : {}),
        ...(identity?.tenantId ? { tenantId: identity.tenantId } : {}),
    };
}
async function registryAccess(request) {
    const { acrRegistryAccess } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(3324), __webpack_require__.e(2830), __webpack_require__.e(3669), __webpack_require__.e(1491), __webpack_require__.e(7930)]).then(__webpack_require__.bind(__webpack_require__, 17930));
    return acrRegistryAccess({
        host: request.host,
        logger: request.logger,
        ...federation(request.identity?.azure),
        insecureHosts: request.insecureHosts,
    });
}
const azure = {
    name: 'azure',
    registry: {
        ownsHost: (host) => ACR_HOST.test(host),
        /** ACR: bodies above ~20 MB are refused, so larger blobs go in 16 MiB chunks. */
        uploadPolicy: {
            name: 'acr',
            monolithicMaxBytes: 16 * azure_MiB,
            chunkBytes: 16 * azure_MiB,
            minChunkBytes: 0,
        },
        access: registryAccess,
    },
    clusters: [
        {
            kind: 'aks',
            example: 'aks:<subscription-id>/<resource-group>/prod',
            parse: parseAksSpec,
            describe: describeAksSpec,
            async connect(spec, context, identity) {
                const { aksConnection } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(3324), __webpack_require__.e(2830), __webpack_require__.e(3669), __webpack_require__.e(1491), __webpack_require__.e(1799)]).then(__webpack_require__.bind(__webpack_require__, 91799));
                const { azureCredential } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(3324), __webpack_require__.e(2830), __webpack_require__.e(3669), __webpack_require__.e(1491), __webpack_require__.e(4875)]).then(__webpack_require__.bind(__webpack_require__, 64875));
                return aksConnection(spec, context, azureCredential({ ...federation(identity), logger: context.logger }));
            },
        },
    ],
    ownsServer: (server) => server.hostname.endsWith('.azmk8s.io'),
    objectStore: {
        schemes: ['azure', 'wasbs', 'wasb', 'abfss', 'abfs'],
        async reader(location) {
            const { blobLocation } = await __webpack_require__.e(/* import() */ 5132).then(__webpack_require__.bind(__webpack_require__, 45132));
            const { azureBlobReader } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(3324), __webpack_require__.e(2830), __webpack_require__.e(3669), __webpack_require__.e(1491), __webpack_require__.e(5091)]).then(__webpack_require__.bind(__webpack_require__, 65091));
            return azureBlobReader({ ...blobLocation(location), logger: location.logger });
        },
    },
    profile: azureProfile,
    identity: azureIdentityInputs,
    credentialHint: 'sign in with azure/login, or give azure-client-id and azure-tenant-id with `permissions: id-token: write`',
};

;// CONCATENATED MODULE: ./shared/clouds/gcp/cluster-spec.ts
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const GCP_LOCATION = /^[a-z]+-[a-z]+\d(-[a-z])?$/;
const GKE_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
function parseGkeSpec(rest, fail) {
    const parts = rest.split('/');
    const [project, location, name] = parts;
    if (parts.length !== 3 || !project || !location || !name) {
        return fail('must be gke:<project>/<region or zone>/<cluster name>');
    }
    if (!GCP_PROJECT.test(project))
        return fail(`has '${project}', which is not a Google Cloud project id`);
    if (!GCP_LOCATION.test(location))
        return fail(`has '${location}', which is not a region or zone`);
    if (!GKE_NAME.test(name))
        return fail(`has '${name}', which is not a GKE cluster name`);
    return { kind: 'gke', project, location, name };
}
function describeGkeSpec(spec) {
    return `gke:${spec.project}/${spec.location}/${spec.name}`;
}

;// CONCATENATED MODULE: ./shared/clouds/gcp/profile.ts

/** A GKE accelerator name (`nvidia-l4`, `nvidia-tesla-t4`). */
const GKE_ACCELERATOR = /^nvidia-[a-z0-9-]+$/;
/** The current annotation, and the one older clusters still honour. */
const LOAD_BALANCER_TYPE = [
    'networking.gke.io/load-balancer-type',
    'cloud.google.com/load-balancer-type',
];
const gcpProfile = {
    name: 'gcp',
    loadBalancerAnnotations: (internal) => internal ? { 'networking.gke.io/load-balancer-type': 'Internal' } : {},
    internalLoadBalancer: (annotations) => LOAD_BALANCER_TYPE.some((key) => annotations[key]?.toLowerCase() === 'internal'),
    // GKE labels GPU nodes with their accelerator; Autopilot places a GPU pod
    // only when it selects one, so the type is required.
    gpuPlacement: (gpuType) => ({
        nodeSelector: gpuType ? { 'cloud.google.com/gke-accelerator': gpuType } : {},
        tolerations: [profile/* NVIDIA_GPU_TAINT */.A],
    }),
    gpuTypeRequired: 'GKE Autopilot places a GPU pod only on the accelerator its cloud.google.com/gke-accelerator selector names, and on Standard it picks the GPU node pool',
    checkGpuType: (t) => GKE_ACCELERATOR.test(t)
        ? undefined
        : 'is not a GKE accelerator name (nvidia-l4, nvidia-tesla-t4)',
    gpuTypeExample: 'gpu-type: nvidia-l4',
    identity: {
        annotation: 'iam.gke.io/gcp-service-account',
        check: (v) => /^[a-z][a-z0-9-]{4,29}@[a-z][a-z0-9-]{4,29}\.iam\.gserviceaccount\.com$/.test(v)
            ? undefined
            : 'is not a Google service account email',
        example: 'model-serving@my-project.iam.gserviceaccount.com',
    },
};

;// CONCATENATED MODULE: ./shared/clouds/gcp/index.ts


const gcp_MiB = 1024 * 1024;
const GCP_HOST = /^(?:[a-z0-9-]+-docker\.pkg\.dev|(?:[a-z]+\.)?gcr\.io)$/;
const gcp = {
    name: 'gcp',
    registry: {
        ownsHost: (host) => GCP_HOST.test(host),
        /** Artifact Registry: monolithic uploads. */
        uploadPolicy: {
            name: 'artifact-registry',
            monolithicMaxBytes: Infinity,
            chunkBytes: 64 * gcp_MiB,
            minChunkBytes: 0,
        },
        async access({ host, logger, endpoints }) {
            const { artifactRegistryAccess } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(3324), __webpack_require__.e(492), __webpack_require__.e(313)]).then(__webpack_require__.bind(__webpack_require__, 60313));
            return artifactRegistryAccess({ host, logger, endpoint: endpoints?.artifactregistry });
        },
    },
    clusters: [
        {
            kind: 'gke',
            example: 'gke:my-project/europe-west4/prod',
            parse: parseGkeSpec,
            describe: describeGkeSpec,
            async connect(spec, context) {
                const { gkeConnection } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(3324), __webpack_require__.e(492), __webpack_require__.e(8502)]).then(__webpack_require__.bind(__webpack_require__, 58502));
                return gkeConnection(spec, context);
            },
        },
    ],
    ownsServer: ({ hostname }) => hostname.endsWith('.gke.goog') || hostname.endsWith('.googleapis.com'),
    objectStore: {
        schemes: ['gs'],
        async reader({ url, logger }) {
            const { gcsObjectReader } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(3324), __webpack_require__.e(492), __webpack_require__.e(9230)]).then(__webpack_require__.bind(__webpack_require__, 49230));
            return gcsObjectReader({ bucket: new URL(url).hostname, logger });
        },
    },
    profile: gcpProfile,
    credentialHint: 'sign in with google-github-actions/auth (workload identity federation) before this step',
};

;// CONCATENATED MODULE: ./shared/clouds/generic/profile.ts

/** Any other cluster: no cloud label to select; gpu-type is the NVIDIA GPU Feature Discovery product label. */
const genericProfile = {
    name: 'none',
    loadBalancerAnnotations: () => ({}),
    gpuPlacement: (gpuType) => ({
        nodeSelector: gpuType ? { 'nvidia.com/gpu.product': gpuType } : {},
        tolerations: [profile/* NVIDIA_GPU_TAINT */.A],
    }),
    checkGpuType: (t) => /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(t)
        ? undefined
        : 'is not a label value (the GPU product as NVIDIA GPU Feature Discovery labels it)',
    gpuTypeExample: 'gpu-type: NVIDIA-A10G',
};

;// CONCATENATED MODULE: ./shared/clouds/generic/index.ts

const generic_MiB = 1024 * 1024;
/** Any OCI registry and any cluster a kubeconfig reaches: the cloud of everything the others do not own. */
const generic = {
    name: 'generic',
    registry: {
        takesLogin: true,
        /** Distribution, GHCR, Harbor, Quay...: one streamed PUT is fastest and universally accepted. */
        uploadPolicy: {
            name: 'generic',
            monolithicMaxBytes: Infinity,
            chunkBytes: 64 * generic_MiB,
            minChunkBytes: 0,
        },
        async access({ host, username, password, logger }) {
            const { genericRegistryAccess } = await __webpack_require__.e(/* import() */ 8956).then(__webpack_require__.bind(__webpack_require__, 68956));
            return genericRegistryAccess({ host, username, password, logger });
        },
    },
    clusters: [
        {
            kind: 'kubeconfig',
            example: 'kubeconfig:./kubeconfig',
            parse: (rest, fail) => rest.trim() === ''
                ? fail('must name a file after kubeconfig:')
                : { kind: 'kubeconfig', path: rest.trim() },
            describe: (spec) => `kubeconfig:${spec.path}`,
            async connect(spec, context) {
                const { kubeconfigConnection } = await __webpack_require__.e(/* import() */ 3439).then(__webpack_require__.bind(__webpack_require__, 63439));
                return kubeconfigConnection(spec.path, context);
            },
        },
        {
            kind: 'default',
            implicit: true,
            example: '',
            parse: () => ({ kind: 'default' }),
            describe: () => 'the runner kubeconfig',
            async connect(_spec, context) {
                const { kubeconfigConnection } = await __webpack_require__.e(/* import() */ 3439).then(__webpack_require__.bind(__webpack_require__, 63439));
                return kubeconfigConnection(undefined, context);
            },
        },
    ],
    profile: genericProfile,
    credentialHint: 'give username and password, or sign in with docker/login-action (or a kubeconfig) before this step',
};

;// CONCATENATED MODULE: ./shared/clouds/registry.ts




/** Every cloud, in the order their names are listed to users. */
const CLOUDS = [aws, azure, gcp, generic];
/** The cloud of whatever no other cloud owns: the one that claims no registry host. */
function catchAll() {
    const found = CLOUDS.find((cloud) => cloud.registry.ownsHost === undefined);
    if (found === undefined)
        throw new Error('no cloud takes the registries the others do not own');
    return found;
}
function cloudNamed(name) {
    const found = CLOUDS.find((cloud) => cloud.name === name);
    if (found === undefined)
        throw new Error(`no cloud is named '${name}'`);
    return found;
}
/** The cloud whose registry a host is (the port does not matter), else the catch-all. */
function cloudOfRegistryHost(host) {
    const bare = host.toLowerCase().replace(/:\d+$/, '');
    return CLOUDS.find((cloud) => cloud.registry.ownsHost?.(bare)) ?? catchAll();
}
/** The cloud of an API server address (from a kubeconfig), else the catch-all. */
function cloudOfServer(server) {
    let url;
    try {
        url = new URL(server);
    }
    catch {
        url = undefined;
    }
    return (url && CLOUDS.find((cloud) => cloud.ownsServer?.(url))) ?? catchAll();
}
/** Every `cluster` input kind, with the cloud that connects it. */
function clusterKinds() {
    return CLOUDS.flatMap((cloud) => (cloud.clusters ?? []).map((kind) => ({ cloud, kind })));
}
function clusterKind(kind) {
    return clusterKinds().find((entry) => entry.kind.kind === kind);
}
/** The object store that reads a URL scheme (`s3`, `gs`; without the colon). */
function objectStoreFor(scheme) {
    return CLOUDS.find((cloud) => cloud.objectStore?.schemes.includes(scheme))?.objectStore;
}
/** Every scheme some cloud's object store reads. */
function objectStoreSchemes() {
    return CLOUDS.flatMap((cloud) => cloud.objectStore?.schemes ?? []);
}
const PROFILE_NAMES = CLOUDS.map((cloud) => cloud.profile.name);
function deployProfile(name) {
    const found = CLOUDS.find((cloud) => cloud.profile.name === name);
    if (found === undefined)
        throw new Error(`no cloud has the profile '${name}'`);
    return found.profile;
}
/** The profiles that can bind a workload to a cloud identity (the service-account input). */
function profilesWithIdentity() {
    return CLOUDS.filter((cloud) => cloud.profile.identity).map((cloud) => cloud.profile.name);
}
/** The profile a cluster implies when the user chose none. */
function defaultProfileFor(cloud) {
    return cloudNamed(cloud).profile.name;
}
/**
 * Each cloud's identity inputs, read with `read` (the action's optional input
 * getter) and checked by the cloud; a cloud none of whose inputs is set is left out.
 */
function readCloudIdentities(read) {
    const identities = {};
    for (const cloud of CLOUDS) {
        if (cloud.identity === undefined)
            continue;
        const values = {};
        for (const [field, input] of Object.entries(cloud.identity.inputs)) {
            const value = read(input);
            if (value !== undefined)
                values[field] = value;
        }
        cloud.identity.check(values);
        if (Object.keys(values).length > 0)
            identities[cloud.name] = values;
    }
    return identities;
}
/**
 * Who will give a LoadBalancer Service its address on a cluster deployed
 * with `profile`: the cloud's own controller, unless the cloud has a probe
 * because it has several.
 */
async function findLoadBalancerController(profile, cluster, logger) {
    const probe = CLOUDS.find((cloud) => cloud.profile.name === profile)?.probes
        ?.loadBalancerController;
    return probe
        ? probe(cluster, logger)
        : { controller: 'cloud', evidence: "the cloud's own load balancer controller" };
}


/***/ }),

/***/ 33265:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ addCloser),
/* harmony export */   x: () => (/* binding */ runClosers)
/* harmony export */ });
/**
 * What an action ends when its work is done: kept-alive connection pools,
 * registered by whoever opened them. The action's boundary calls
 * {@link runClosers} without loading any HTTP client itself.
 */
const closers = new Set();
function addCloser(close) {
    closers.add(close);
}
/** Runs every closer once, each at most `boundMs` (a body nobody reads must not hold the exit). */
async function runClosers(boundMs = 2000) {
    const pending = [...closers];
    closers.clear();
    const all = Promise.all(pending.map(async (close) => close())).catch(() => undefined);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, boundMs).unref())]);
}


/***/ }),

/***/ 59284:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ parseDuration),
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/**
 * Parses `500ms`, `30s`, `10m`, `1h`, `1h30m` or a bare number of seconds
 * into milliseconds. Returns undefined when the text is not a duration.
 */
function parseDuration(text) {
    const value = text.trim();
    if (/^\d+(\.\d+)?$/.test(value))
        return Math.round(Number(value) * 1000);
    const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
    let total = 0;
    let consumed = 0;
    for (let match = part.exec(value); match; match = part.exec(value)) {
        total += Number(match[1]) * UNITS[match[2]];
        consumed = part.lastIndex;
    }
    if (consumed === 0 || consumed !== value.length)
        return undefined;
    return Math.round(total);
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)}s`;
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}


/***/ }),

/***/ 52639:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   iU: () => (/* binding */ isUserError),
/* harmony export */   yo: () => (/* binding */ UserError)
/* harmony export */ });
/**
 * An error the user can fix: bad input, denied credentials, a failed rollout,
 * a model that answers wrongly. Reported plainly, without a stack trace.
 * Anything that is not a UserError is treated as a bug in model-deploy.
 */
class UserError extends Error {
    /** A short hint on how to fix it, shown after the message. */
    hint;
    constructor(message, options) {
        super(message, options?.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'UserError';
        this.hint = options?.hint;
    }
}
/** An input that failed validation: the message always names the input. */
class InputError extends UserError {
    input;
    constructor(input, problem, example, hint) {
        super(`input '${input}' ${problem}` + (example === undefined ? '' : ` (for example: ${example})`), hint === undefined ? undefined : { hint });
        this.name = 'InputError';
        this.input = input;
    }
}
function isUserError(err) {
    return err instanceof UserError;
}
/**
 * Text from elsewhere (a server's answer, a parser) on one line: in a message
 * it can neither break the log's layout nor start a line of its own that the
 * runner would read as a workflow command.
 */
function oneLine(text) {
    // Control characters (a lone CR, ESC sequences, NUL…) become spaces too.
    return (text
        // eslint-disable-next-line no-control-regex
        .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ')
        .replace(/\s{2,}/g, ' ')
        .trim());
}
function errorMessage(err) {
    if (err instanceof Error)
        return err.message;
    return String(err);
}


/***/ }),

/***/ 90828:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   qq: () => (/* binding */ silentLogger),
/* harmony export */   rn: () => (/* binding */ inertCommands)
/* harmony export */ });
/* unused harmony export consoleLogger */
const consoleLogger = {
    info: (m) => console.log(m),
    debug: (m) => {
        if (process.env.MODEL_DEPLOY_DEBUG === 'true')
            console.log(`[debug] ${m}`);
    },
    warning: (m) => console.warn(`warning: ${m}`),
    error: (m) => console.error(`error: ${m}`),
    secret: () => { },
};
const silentLogger = {
    info: () => { },
    debug: () => { },
    warning: () => { },
    error: () => { },
    secret: () => { },
};
/** A word joiner: invisible in the log, but it keeps `::` and `##[` from being read as commands. */
const JOINER = '\u2060';
/**
 * Text made inert for the runner's log: a line that (after leading spaces)
 * starts with `::` would be run as a workflow command, and `##[` anywhere is
 * the older command form. Whatever a server, a pod or a tool sent, no line of
 * it can set an output, add a mask or fake an annotation.
 */
function inertCommands(text) {
    return text.replace(/^(\s*):(?=:)/gm, `$1:${JOINER}`).replace(/##\[/g, `##${JOINER}[`);
}


/***/ }),

/***/ 21084:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dr: () => (/* binding */ NetworkError),
/* harmony export */   Eu: () => (/* binding */ hostInError),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   qN: () => (/* binding */ TLS_HINT),
/* harmony export */   u6: () => (/* binding */ networkCause),
/* harmony export */   w4: () => (/* binding */ hostOf),
/* harmony export */   x6: () => (/* binding */ networkError)
/* harmony export */ });
/* unused harmony export isCertificateCode */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);

/** Node's codes for a certificate that was presented and not accepted. */
const TLS_CERTIFICATE_CODES = new Set([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'UNABLE_TO_GET_CRL',
    'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
    'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
    'CERT_UNTRUSTED',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'CERT_SIGNATURE_FAILURE',
    'CERT_REVOKED',
    'CERT_REJECTED',
    'CERT_CHAIN_TOO_LONG',
    'INVALID_CA',
    'HOSTNAME_MISMATCH',
    'ERR_TLS_CERT_ALTNAME_INVALID',
]);
function isCertificateCode(code) {
    return TLS_CERTIFICATE_CODES.has(code) || /^(CERT_|UNABLE_TO_)/.test(code);
}
const FIXED = {
    ENOTFOUND: {
        kind: 'dns',
        words: 'the host name does not resolve (no such host in DNS,',
        transient: false,
    },
    EAI_AGAIN: {
        kind: 'dns',
        words: 'the host name could not be resolved just now (DNS failed for now,',
        transient: true,
    },
    EAI_FAIL: {
        kind: 'dns',
        words: 'the host name could not be resolved (DNS failure,',
        transient: true,
    },
    ECONNREFUSED: {
        kind: 'refused',
        words: 'the connection was refused: nothing listens on that port',
        transient: true,
    },
    ECONNRESET: {
        kind: 'reset',
        words: 'the connection was reset by the server or something in between',
        transient: true,
    },
    EPIPE: {
        kind: 'reset',
        words: 'the connection was closed while the request was being sent',
        transient: true,
    },
    UND_ERR_SOCKET: {
        kind: 'reset',
        words: 'the connection was closed by the server or something in between',
        transient: true,
    },
    UND_ERR_CLOSED: { kind: 'reset', words: 'the connection was closed', transient: true },
    EHOSTUNREACH: {
        kind: 'unreachable',
        words: 'there is no network route to the host from this runner',
        transient: true,
    },
    ENETUNREACH: {
        kind: 'unreachable',
        words: 'the network of the host is unreachable from this runner',
        transient: true,
    },
    ETIMEDOUT: { kind: 'timeout', words: 'connecting timed out', transient: true },
    UND_ERR_CONNECT_TIMEOUT: { kind: 'timeout', words: 'connecting timed out', transient: true },
    ERR_TLS_HANDSHAKE_TIMEOUT: {
        kind: 'timeout',
        words: 'the TLS handshake timed out',
        transient: true,
    },
    UND_ERR_HEADERS_TIMEOUT: {
        kind: 'timeout',
        words: 'it accepted the connection, then sent nothing',
        transient: true,
    },
    UND_ERR_BODY_TIMEOUT: {
        kind: 'timeout',
        words: 'the answer stopped part way',
        transient: true,
    },
};
/** undici's waits for an answer that keeps silent: how long is worth saying. */
const IDLE_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
function codeOf(e) {
    const code = e?.code;
    return typeof code === 'string' ? code : undefined;
}
function messageOf(e) {
    const message = e?.message;
    return typeof message === 'string' ? message : '';
}
function causeFor(e, deadlines) {
    const { timeoutMs, idleTimeoutMs } = deadlines;
    const code = codeOf(e);
    if (code !== undefined) {
        const fixed = FIXED[code];
        if (fixed !== undefined) {
            // An entry that opens a bracket of its own ends it with the code.
            const waited = idleTimeoutMs !== undefined && IDLE_CODES.has(code)
                ? ` after ${formatSeconds(idleTimeoutMs)}`
                : '';
            const words = fixed.words.endsWith(',')
                ? `${fixed.words} ${code}${waited})`
                : `${fixed.words} (${code}${waited})`;
            return { ...fixed, words, code };
        }
        if (isCertificateCode(code)) {
            return {
                kind: 'tls',
                code,
                words: `the server's TLS certificate was not accepted: ${nodeTlsMessage(e)} (${code})`,
                transient: false,
            };
        }
        if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
            const plain = /WRONG_VERSION_NUMBER|wrong version number|packet length too long/i.test(`${code} ${messageOf(e)}`);
            return plain
                ? {
                    kind: 'not-tls',
                    code,
                    words: `the TLS handshake failed: the server does not speak TLS on that port, perhaps plain http (${code})`,
                    transient: false,
                }
                : {
                    kind: 'tls',
                    code,
                    words: `the TLS handshake failed: ${nodeTlsMessage(e)} (${code})`,
                    transient: false,
                };
        }
    }
    // fetch never connects to ports that other protocols own (9, 25, 6000…): the
    // WHATWG "bad port" list. undici says so in a bare Error with no code.
    if (code === undefined && messageOf(e) === 'bad port') {
        return {
            kind: 'bad-port',
            code: undefined,
            words: 'the port is on the list that HTTP clients never connect to (the fetch standard\'s "bad ports", such as 1, 9, 25 or 6000)',
            transient: false,
        };
    }
    const name = e?.name;
    if (name === 'TimeoutError' || name === 'ConnectTimeoutError') {
        return {
            kind: 'timeout',
            code: undefined,
            words: timeoutMs === undefined
                ? 'the request took too long'
                : `the request took longer than ${formatSeconds(timeoutMs)}`,
            transient: true,
        };
    }
    return undefined;
}
/**
 * Node's words for a TLS failure, on one line and without its advice to start
 * Node with --use-system-ca, which an action's user cannot do.
 */
function nodeTlsMessage(e) {
    return (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(messageOf(e)).replace(/;\s*if the root CA is installed locally.*$/i, '');
}
function formatSeconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
/**
 * The network reason for a failure, looked for along `cause` (and the
 * `errors` of an AggregateError, which is what a host with several addresses
 * gives); undefined when the failure is not a network one.
 */
function networkCause(err, options = {}) {
    const seen = new Set();
    const queue = [err];
    while (queue.length > 0 && seen.size < 12) {
        const e = queue.shift();
        if (e === undefined || e === null || seen.has(e))
            continue;
        seen.add(e);
        if (e instanceof NetworkError)
            return e.networkCause;
        const found = causeFor(e, options);
        if (found !== undefined)
            return found;
        queue.push(e.cause);
        const errors = e.errors;
        if (Array.isArray(errors))
            queue.push(...errors);
    }
    return undefined;
}
const TLS_HINT = 'certificate checks are never turned off; if the server uses a private CA, give it to the job with NODE_EXTRA_CA_CERTS=/path/to/ca.pem';
function hintFor(cause, peer) {
    const special = peer.hints?.[cause.kind];
    if (special !== undefined)
        return special;
    const server = peer.server ?? 'server';
    const where = peer.input === undefined ? '' : ` in '${peer.input}'`;
    switch (cause.kind) {
        case 'dns':
            return cause.transient
                ? `the runner's DNS failed for now; if it keeps failing, check the host name${where} and the runner's DNS settings`
                : `check the host name${where} for a typo; a name in a private DNS zone resolves only on a runner inside that network (a self-hosted runner, or a VPN step before this one)`;
        case 'refused':
            return `check the port${where}, and that the ${server} is running and listening on ${peer.host}`;
        case 'reset':
            return `something closed the connection: check HTTPS_PROXY/NO_PROXY and any proxy or firewall between the runner and ${peer.host}; if the ${server} restarted, run the job again`;
        case 'unreachable':
            return `a private address is reachable only from a runner inside that network; check the address${where}`;
        case 'bad-port':
            return `serve the ${server} on another port, and give that port${where}`;
        case 'timeout':
            return `check that this runner may reach ${peer.host} (firewall, security group, private endpoint, HTTPS_PROXY/NO_PROXY); a ${server} that is up but slow needs a longer timeout`;
        case 'tls':
            return TLS_HINT;
        case 'not-tls':
            return `if the ${server} has no TLS, use an http:// address${where}`;
    }
}
/** What happened to the exchange, in front of the server's name. */
function leadFor(cause) {
    switch (cause.kind) {
        case 'tls':
        case 'not-tls':
            return 'cannot trust';
        case 'reset':
            return 'lost the connection to';
        case 'timeout':
            if (cause.code === 'UND_ERR_BODY_TIMEOUT')
                return 'no complete answer from';
            return cause.code === undefined || IDLE_CODES.has(cause.code)
                ? 'no answer from'
                : 'cannot reach';
        default:
            return 'cannot reach';
    }
}
/**
 * A network failure the user can act on: names the host, the server, the
 * cause in plain words and what to check. Retried when `transient`.
 */
class NetworkError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo {
    host;
    kind;
    /** The underlying code, so code-based retry decisions still see it. */
    code;
    transient;
    networkCause;
    constructor(cause, peer, options = {}) {
        const who = `${peer.server === undefined ? '' : `the ${peer.server} at `}${peer.host}`;
        super(`${leadFor(cause)} ${who}: ${cause.words}`, {
            hint: hintFor(cause, peer),
            ...(options.cause === undefined ? {} : { cause: options.cause }),
        });
        this.name = 'NetworkError';
        this.host = peer.host;
        this.kind = cause.kind;
        this.code = cause.code;
        this.transient = cause.transient;
        this.networkCause = cause;
    }
}
/** A NetworkError for `err` when it is a network failure, else undefined. */
function networkError(err, peer) {
    if (err instanceof NetworkError)
        return err;
    const cause = networkCause(err, peer);
    return cause === undefined ? undefined : new NetworkError(cause, peer, { cause: err });
}
/**
 * The host a failed connection was for, as Node records it on the error
 * (`hostname` for a DNS failure, `address` and `port` for a refused or reset
 * connection), for callers such as an SDK that do not say which URL they used.
 */
function hostInError(err) {
    const seen = new Set();
    for (let e = err; e !== null && typeof e === 'object' && !seen.has(e);) {
        seen.add(e);
        const { hostname, address, port } = e;
        if (typeof hostname === 'string' && hostname !== '')
            return hostname;
        if (typeof address === 'string' && address !== '') {
            return typeof port === 'number' ? `${address}:${port}` : address;
        }
        e = e.cause;
    }
    return undefined;
}
/** `host[:port]` of a URL, or the text itself when it is not one. */
function hostOf(url) {
    try {
        return new URL(url).host;
    }
    catch {
        return url;
    }
}
/** localhost, 127.x.x.x or ::1, with or without a port. */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)(:\d+)?$/i;
function isLoopbackHost(host) {
    return LOOPBACK.test(host);
}


/***/ }),

/***/ 42233:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PJ: () => (/* binding */ parseYamlInput),
/* harmony export */   lw: () => (/* binding */ YamlProblem)
/* harmony export */ });
/* unused harmony exports MAX_ALIASES, describeYamlError */
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(38815);

/**
 * YAML for inputs, with the parser's complaints rewritten for the person who
 * typed the input: where (line, column and the line itself when there are
 * several), what is wrong in plain words, and what to write instead. The
 * caller names the input and shows an accepted example.
 */
/** Aliases are limited so a "billion laughs" document fails instead of exhausting memory. */
const MAX_ALIASES = 100;
class YamlProblem extends Error {
    /** ` at line 2 ("memory 2Gi"), column 1: …` or `: …`, to follow "is not valid YAML". */
    detail;
    constructor(detail, options = {}) {
        super(`not valid YAML${detail}`, options);
        this.name = 'YamlProblem';
        this.detail = detail;
    }
}
function parseYamlInput(text) {
    try {
        return (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parse */ .qg)(text, { maxAliasCount: MAX_ALIASES, uniqueKeys: true });
    }
    catch (err) {
        throw new YamlProblem(describeYamlError(err, text), { cause: err });
    }
}
/** The parser's words for the problem, without its " at line L, column C:" and source excerpt. */
function parserWords(err) {
    const first = (err.message ?? 'cannot be read').split('\n')[0];
    return first.replace(/ at line \d+, column \d+:?$/, '');
}
function quoted(line) {
    const flat = line.trim();
    return flat.length > 60 ? `"${flat.slice(0, 57)}…"` : `"${flat}"`;
}
/** Plain words for each mistake the parser reports, from what people get wrong in a `with:` block. */
function plainWords(err, line, nextLine) {
    const words = parserWords(err);
    switch (err.code) {
        case 'MISSING_CHAR':
            if (/^Flow map must end/.test(words))
                return "a '{' is not closed: add '}' at the end";
            if (/^Flow sequence must end/.test(words))
                return "a '[' is not closed: add ']' at the end";
            if (/^Missing closing "quote/.test(words))
                return "a '\"' quote is not closed";
            if (/^Missing closing 'quote/.test(words))
                return 'a "\'" quote is not closed';
            if (/^Implicit map keys need to be followed by map values/.test(words)) {
                return "this is neither 'key: value' nor part of the value above: write 'key: value', with a space after the colon";
            }
            if (/^Sequence item without - indicator/.test(words)) {
                return "a list item does not start with '- ', or is indented differently from the items above";
            }
            return words;
        case 'BLOCK_AS_IMPLICIT_KEY':
            if (/^\s*[\w.-]+:\s[^{[]*,\s*[\w.-]+:/.test(line)) {
                return 'several key: value pairs on one line need braces, like {cpu: 500m, memory: 2Gi}';
            }
            if (nextLine !== undefined && indent(nextLine) > indent(line)) {
                return 'the next line is indented more than this one: keys of one mapping start in the same column';
            }
            return "a value holds another 'key: value' on the same line: quote it if it is text";
        case 'BLOCK_IN_FLOW':
            return 'inside { } or [ ], separate the entries with commas, like {min: 2, max: 10}';
        case 'TAB_AS_INDENT':
            return 'a tab indents this line: YAML indents with spaces';
        case 'BAD_INDENT':
            // An unclosed [ or { in a block mapping is reported as the next line's indentation.
            if (/^Flow sequence .*end with a \]/.test(words)) {
                return "a '[' is not closed: add ']' (a list that goes on over lines is indented more than its key)";
            }
            if (/^Flow mapping .*end with a \}/.test(words)) {
                return "a '{' is not closed: add '}' (a mapping that goes on over lines is indented more than its key)";
            }
            return 'this line is not indented to match the lines above it';
        case 'DUPLICATE_KEY': {
            const key = /^\s*(?:-\s+)?["']?([^"':]+)["']?\s*:/.exec(line)?.[1]?.trim();
            return key === undefined ? 'a key appears twice' : `the key '${key}' appears twice`;
        }
        case 'BAD_SCALAR_START': {
            const reserved = /reserved character (\S)/.exec(words)?.[1];
            return `a value starts with '${reserved ?? '@'}', which YAML reserves: quote the value`;
        }
        case 'UNEXPECTED_TOKEN': {
            const token = /: "(.+)"$/.exec(words)?.[1];
            return token === undefined
                ? 'there is something the parser did not expect here'
                : `the '${token}' here has nothing to close or belong to`;
        }
        case 'MULTIPLE_DOCS':
            return "it holds several YAML documents ('---'): give one";
        default:
            return words;
    }
}
function indent(line) {
    return /^ */.exec(line)?.[0].length ?? 0;
}
/** Where and what, to follow "input 'x' is not valid YAML": ` at column 24: …` or `: …`. */
function describeYamlError(err, text) {
    const problem = err;
    const message = problem?.message ?? String(err);
    if (/Excessive alias count/.test(message)) {
        return `: it uses more than ${MAX_ALIASES} aliases (*name), which is how a "billion laughs" document exhausts memory; write the values out`;
    }
    const unresolved = /^Unresolved alias[^:]*: (.+)$/.exec(message);
    if (unresolved) {
        return `: the alias *${unresolved[1]} has no anchor &${unresolved[1]} before it`;
    }
    const position = problem?.linePos?.[0];
    if (position === undefined)
        return `: ${parserWords(problem)}`;
    const lines = text.split(/\r?\n/);
    const line = lines[position.line - 1] ?? '';
    const atEnd = lines.slice(position.line - 1).every((l) => l.trim() === '');
    const where = atEnd
        ? ' at the end'
        : lines.length > 1
            ? ` at line ${position.line} (${quoted(line)}), column ${position.col}`
            : ` at column ${position.col}`;
    return `${where}: ${plainWords(problem, line, lines[position.line])}`;
}


/***/ })

};
