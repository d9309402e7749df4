export const id = 203;
export const ids = [203];
export const modules = {

/***/ 93203:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  getInputs: () => (/* binding */ getInputs),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./shared/action/index.ts + 3 modules
var action = __webpack_require__(86351);
// EXTERNAL MODULE: ./shared/clouds/registry-access.ts
var registry_access = __webpack_require__(60333);
// EXTERNAL MODULE: ./shared/common/bytes.ts
var bytes = __webpack_require__(93413);
// EXTERNAL MODULE: ./shared/common/duration.ts
var duration = __webpack_require__(59284);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/oci/layout.ts
var oci_layout = __webpack_require__(50808);
// EXTERNAL MODULE: ./shared/oci/reference.ts
var reference = __webpack_require__(77121);
// EXTERNAL MODULE: ./shared/registry/client.ts + 2 modules
var client = __webpack_require__(96878);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./shared/common/concurrency.ts
var concurrency = __webpack_require__(41289);
;// CONCATENATED MODULE: ./shared/registry/byte-streams.ts
/**
 * Pull-based byte plumbing for uploads: cutting one stream into chunk bodies,
 * and teeing one read of a blob to several uploads with backpressure.
 */
/** Reads exact byte counts from a stream whose chunks have arbitrary sizes. */
class ChunkReader {
    iterator;
    leftover;
    ended = false;
    constructor(source) {
        this.iterator = source[Symbol.asyncIterator]();
    }
    /** The next `length` bytes as a stream of buffers; fails if the source ends early. */
    async *take(length) {
        let remaining = length;
        while (remaining > 0) {
            let chunk = this.leftover;
            this.leftover = undefined;
            if (chunk === undefined) {
                if (this.ended)
                    throw new Error(`the blob ended ${remaining} bytes early`);
                const next = await this.iterator.next();
                if (next.done) {
                    this.ended = true;
                    continue;
                }
                chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
            }
            if (chunk.length > remaining) {
                this.leftover = chunk.subarray(remaining);
                chunk = chunk.subarray(0, remaining);
            }
            remaining -= chunk.length;
            yield chunk;
        }
    }
    /** Releases the source (a file handle, a socket) without reading the rest. */
    async close() {
        await this.iterator.return?.();
    }
}
/**
 * One read of `source` feeding `count` consumers. The source is pulled only
 * when every consumer still reading has room (at most `highWater` chunks
 * queued), so memory stays bounded and the slowest upload sets the pace. A
 * consumer that stops (its upload failed) is dropped and no longer holds the
 * others back; a source error reaches every consumer.
 */
function teeStream(source, count, highWater = 8) {
    const tee = new Tee(source, count, highWater);
    return tee.branches.map((branch) => ({
        [Symbol.asyncIterator]: () => tee.reader(branch),
    }));
}
/** The shared state of one tee: the branches' queues and the source's progress. */
class Tee {
    branches;
    sourceDone = false;
    sourceError;
    pumping;
    producerWake;
    source;
    highWater;
    constructor(source, count, highWater) {
        this.source = source;
        this.highWater = highWater;
        this.branches = Array.from({ length: count }, () => ({
            queue: [],
            done: false,
            wake: undefined,
        }));
    }
    wakeProducer() {
        const w = this.producerWake;
        this.producerWake = undefined;
        w?.();
    }
    wakeAll() {
        for (const b of this.branches) {
            const w = b.wake;
            b.wake = undefined;
            w?.();
        }
    }
    /** Pulls the source while every branch still reading has room. */
    async pump() {
        const iterator = this.source[Symbol.asyncIterator]();
        const { branches } = this;
        try {
            for (;;) {
                while (branches.some((b) => !b.done && b.queue.length >= this.highWater)) {
                    await new Promise((resolve) => (this.producerWake = resolve));
                }
                if (branches.every((b) => b.done)) {
                    await iterator.return?.();
                    return;
                }
                const next = await iterator.next();
                if (next.done)
                    break;
                const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
                for (const b of branches)
                    if (!b.done)
                        b.queue.push(chunk);
                this.wakeAll();
            }
        }
        catch (err) {
            this.sourceError = err ?? new Error('the blob source failed');
        }
        this.sourceDone = true;
        this.wakeAll();
    }
    async next(branch) {
        for (;;) {
            if (branch.done)
                return { done: true, value: undefined };
            const chunk = branch.queue.shift();
            if (chunk !== undefined) {
                this.wakeProducer();
                return { done: false, value: chunk };
            }
            if (this.sourceDone) {
                branch.done = true;
                if (this.sourceError !== undefined)
                    throw this.sourceError;
                return { done: true, value: undefined };
            }
            await new Promise((resolve) => (branch.wake = resolve));
        }
    }
    /** A branch's iterator; the first one opened starts the pump. */
    reader(branch) {
        this.pumping ??= this.pump();
        return {
            next: () => this.next(branch),
            return: async () => {
                branch.done = true;
                branch.queue.length = 0;
                this.wakeProducer();
                return { done: true, value: undefined };
            },
        };
    }
}

// EXTERNAL MODULE: ./shared/registry/errors.ts
var registry_errors = __webpack_require__(43181);
// EXTERNAL MODULE: ./shared/common/retry.ts
var retry = __webpack_require__(80272);
;// CONCATENATED MODULE: ./shared/registry/progress.ts

/** Blobs smaller than this upload quietly. */
const LARGE_BLOB_BYTES = 32 * 1024 * 1024;
const EVERY_MS = 5000;
/**
 * Progress lines for a large blob: at each quarter and at most every 5 s in
 * between, with percent and MB/s, so a long upload shows it is moving.
 */
class UploadProgress {
    started = performance.now();
    lastLog = this.started;
    lastQuarter = 0;
    logger;
    label;
    total;
    constructor(logger, label, total) {
        this.logger = logger;
        this.label = label;
        this.total = total;
    }
    update(done) {
        if (this.total < LARGE_BLOB_BYTES)
            return;
        const now = performance.now();
        const quarter = Math.floor((done / this.total) * 4);
        if (quarter <= this.lastQuarter && now - this.lastLog < EVERY_MS)
            return;
        if (done >= this.total)
            return;
        this.lastQuarter = Math.max(quarter, this.lastQuarter);
        this.lastLog = now;
        this.logger.info(this.line(done, now));
    }
    finish(done) {
        if (this.total < LARGE_BLOB_BYTES)
            return;
        this.logger.info(this.line(done, performance.now()));
    }
    line(done, now) {
        const seconds = Math.max(0.001, (now - this.started) / 1000);
        const percent = this.total === 0 ? 100 : Math.floor((done / this.total) * 100);
        const rate = done / 1e6 / seconds;
        return `${this.label}: ${percent}% of ${(0,bytes/* formatBytes */.z)(this.total)} at ${rate.toFixed(1)} MB/s`;
    }
}

;// CONCATENATED MODULE: ./shared/registry/upload.ts





const OCTET = 'application/octet-stream';
/** Statuses that mean "this request body is too large for me": switch to (smaller) chunks. */
const TOO_LARGE = new Set([413]);
/** Statuses that mean "no PATCH here": send one monolithic PUT. */
const CHUNKS_REFUSED = new Set([405, 501]);
function withDigest(location, digest) {
    return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}
/** The end offset from a `Range: 0-<last>` header, as the next byte to send. */
function nextOffsetFromRange(range) {
    if (range === null)
        return undefined;
    const match = /^(?:bytes=)?0-(\d+)$/.exec(range.trim());
    if (!match)
        return undefined;
    const last = Number(match[1]);
    // Distribution reports an empty upload as `0-0`; both mean "send from here".
    return last === 0 ? 0 : last + 1;
}
/**
 * Starts an upload session, first asking to mount the blob from `from` (a
 * repository on the same registry): 201 means done with no bytes sent.
 */
async function startUpload(client, repository, options = {}) {
    const scopes = [client.scope(repository, ['pull', 'push'])];
    let url = `/v2/${repository}/blobs/uploads/`;
    if (options.mount) {
        scopes.push(client.scope(options.mount.from, ['pull']));
        url += `?mount=${encodeURIComponent(options.mount.digest)}&from=${encodeURIComponent(options.mount.from)}`;
    }
    const response = await client.send({
        method: 'POST',
        url,
        scopes,
        headers: { 'content-length': '0' },
        expect: [201, 202],
        what: options.mount
            ? `mounting a blob into ${repository}`
            : `starting an upload to ${repository}`,
    });
    await response.body?.cancel();
    if (response.status === 201 && options.mount)
        return { mounted: true };
    const location = response.headers.get('location');
    if (!location) {
        throw new errors/* UserError */.yo(`registry ${client.registry} started an upload without a Location header`);
    }
    return { mounted: false, location: new URL(location, client.baseUrl + '/').toString() };
}
/** Where an attempt starts: the first at 0; a later one where the registry stands, or over. */
async function startingOffset(upload, attemptNumber) {
    if (attemptNumber === 1)
        return 0;
    const { client, repository, source } = upload;
    const resumed = await resumePoint(client, repository, upload.session);
    if (resumed === undefined || !chunked(upload.policy, source.size)) {
        // The session is gone, or a monolithic PUT cannot continue: start over.
        upload.session = (await startUpload(client, repository)).location;
        return 0;
    }
    upload.session = resumed.location;
    if (resumed.offset > 0)
        client.logger.info(`${upload.label}: resuming at byte ${resumed.offset} of ${source.size}`);
    return resumed.offset;
}
/** Sends the bytes from `offset` on, in one PUT or in chunks, telling `report` what was acknowledged. */
async function sendBytes(upload, reader, from, report) {
    const { client, repository, source, policy } = upload;
    if (!chunked(policy, source.size)) {
        await putMonolithic(client, repository, source, upload.session, reader);
        report(source.size);
        return;
    }
    let offset = from;
    while (offset < source.size) {
        const length = Math.min(policy.chunkBytes, source.size - offset);
        const answer = await patchChunk(client, repository, upload.session, reader, offset, length);
        upload.session = answer.location;
        offset = answer.offset ?? offset + length;
        report(offset);
    }
    await finishUpload(client, repository, upload.session, source.digest);
}
/**
 * What a failed attempt teaches: a second 401 after a fresh token is refused
 * credentials; a refused PATCH means one PUT; a body too large means smaller
 * chunks. Returns the error to throw, which the retry helper judges.
 */
function afterFailure(upload, err) {
    const { client, source, label, policy } = upload;
    if (err instanceof registry_errors/* StaleTokenError */.H0) {
        if (upload.renewedTokenAt === upload.acknowledged) {
            return new errors/* UserError */.yo(`registry ${client.registry} refused the credentials for ${label} (HTTP 401 after a fresh token)`, {
                hint: 'check the credentials for this registry and that they may push to this repository',
            });
        }
        upload.renewedTokenAt = upload.acknowledged;
    }
    if (err instanceof retry/* HttpStatusError */.F9 &&
        CHUNKS_REFUSED.has(err.status) &&
        chunked(policy, source.size)) {
        client.logger.info(`${label}: registry refuses chunked uploads; sending one PUT instead`);
        upload.policy = { ...policy, monolithicMaxBytes: Infinity };
        return new PolicyChanged(err);
    }
    if (err instanceof retry/* HttpStatusError */.F9 && TOO_LARGE.has(err.status)) {
        const smaller = Math.max(policy.minChunkBytes, Math.floor(Math.min(policy.chunkBytes, source.size) / 2));
        if (smaller < 64 * 1024 || (chunked(policy, source.size) && smaller === policy.chunkBytes)) {
            return new errors/* UserError */.yo(`registry ${client.registry} refuses request bodies even in small chunks (HTTP 413)`);
        }
        client.logger.info(`${label}: registry refused a ${chunked(policy, source.size) ? 'chunk' : 'monolithic body'} as too large; using ${smaller}-byte chunks`);
        upload.policy = { ...policy, monolithicMaxBytes: 0, chunkBytes: smaller };
        return new PolicyChanged(err);
    }
    return err;
}
/** One attempt: from where the registry stands to the end of the blob. */
async function attemptUpload(upload, attemptNumber, report) {
    const offset = await startingOffset(upload, attemptNumber);
    const stream = upload.firstStream ?? (await upload.source.open(offset));
    upload.firstStream = undefined;
    const reader = new ChunkReader(stream);
    try {
        await sendBytes(upload, reader, offset, report);
    }
    catch (err) {
        throw afterFailure(upload, err);
    }
    finally {
        await reader.close();
    }
}
/**
 * Uploads one blob into a session, monolithic or chunked per policy, resuming
 * a broken chunked upload from the offset the registry reports. Retries with
 * the shared helper; every attempt after the first reads the source again from
 * where the registry stands.
 */
async function uploadBlob(client, repository, source, location, options) {
    const label = options.label ?? `${client.registry}/${repository}@${source.digest.slice(0, 19)}`;
    const progress = new UploadProgress(client.logger, label, source.size);
    const upload = {
        client,
        repository,
        source,
        label,
        policy: { ...options.policy },
        session: location,
        acknowledged: 0,
        firstStream: options.stream,
        renewedTokenAt: undefined,
    };
    const report = (offset) => {
        if (offset > upload.acknowledged) {
            options.onBytes?.(offset - upload.acknowledged);
            upload.acknowledged = offset;
            progress.update(offset);
        }
    };
    await (0,retry/* withRetry */.bD)((n) => attemptUpload(upload, n, report), {
        attempts: options.attempts ?? 6,
        baseDelayMs: 250,
        classify: classifyUploadError,
        onRetry: ({ attempt: n, delayMs, error }) => client.logger.info(`${label}: upload attempt ${n} failed (${error.message}); retrying in ${(delayMs / 1000).toFixed(1)}s`),
    });
    progress.finish(source.size);
}
/** The registry refused a body as too large; the next attempt uses smaller chunks. */
class PolicyChanged extends Error {
    constructor(cause) {
        super('the registry refused the request body as too large', { cause });
        this.name = 'PolicyChanged';
    }
}
function classifyUploadError(err) {
    if (err instanceof PolicyChanged)
        return { retry: true, afterMs: 0 };
    if (err instanceof registry_errors/* StaleTokenError */.H0)
        return { retry: true, afterMs: 0 };
    return (0,retry/* defaultClassify */.uY)(err);
}
function chunked(policy, size) {
    return size > policy.monolithicMaxBytes;
}
async function putMonolithic(client, repository, source, session, reader) {
    const response = await client
        .send({
        method: 'PUT',
        url: withDigest(session, source.digest),
        scopes: [client.scope(repository, ['pull', 'push'])],
        headers: { 'content-type': OCTET, 'content-length': String(source.size) },
        body: () => reader.take(source.size),
        expect: [201],
        retry: false,
        what: `uploading blob ${source.digest.slice(0, 19)} to ${repository}`,
        timeoutMs: 0,
        idleTimeoutMs: 120_000,
    })
        .catch(digestProblem(client, source.digest));
    await response.body?.cancel();
}
async function patchChunk(client, repository, session, reader, offset, length) {
    const response = await client.send({
        method: 'PATCH',
        url: session,
        scopes: [client.scope(repository, ['pull', 'push'])],
        headers: {
            'content-type': OCTET,
            'content-length': String(length),
            'content-range': `${offset}-${offset + length - 1}`,
        },
        body: () => reader.take(length),
        // ECR answers a chunk with 201.
        expect: [202, 201, 204],
        retry: false,
        what: `uploading bytes ${offset}-${offset + length - 1} to ${repository}`,
        timeoutMs: 0,
        idleTimeoutMs: 120_000,
    });
    await response.body?.cancel();
    const location = response.headers.get('location');
    let next = nextOffsetFromRange(response.headers.get('range'));
    // `0-0` is how Distribution reports both 0 and 1 byte; after a chunk it means 1.
    if (next === 0)
        next = offset + length;
    if (next !== undefined && next !== offset + length) {
        throw new errors/* UserError */.yo(`registry ${client.registry} acknowledged up to byte ${next} after a chunk ending at ${offset + length}`);
    }
    return {
        location: location ? new URL(location, client.baseUrl + '/').toString() : session,
        offset: next,
    };
}
async function finishUpload(client, repository, session, digest) {
    const response = await client
        .send({
        method: 'PUT',
        url: withDigest(session, digest),
        scopes: [client.scope(repository, ['pull', 'push'])],
        headers: { 'content-type': OCTET, 'content-length': '0' },
        expect: [201],
        retry: false,
        what: `completing blob ${digest.slice(0, 19)} in ${repository}`,
    })
        .catch(digestProblem(client, digest));
    await response.body?.cancel();
}
/** Where an interrupted upload stands: GET on the session answers 204 with `Range`. */
async function resumePoint(client, repository, session) {
    const response = await client.send({
        method: 'GET',
        url: session,
        scopes: [client.scope(repository, ['pull', 'push'])],
        expect: [204, 200, 404, 400],
        what: `checking an interrupted upload to ${repository}`,
    });
    await response.body?.cancel();
    if (response.status === 404 || response.status === 400)
        return undefined;
    const offset = nextOffsetFromRange(response.headers.get('range'));
    if (offset === undefined)
        return undefined;
    const location = response.headers.get('location');
    return {
        location: location ? new URL(location, client.baseUrl + '/').toString() : session,
        offset,
    };
}
function digestProblem(client, digest) {
    return (err) => {
        if (err instanceof retry/* HttpStatusError */.F9 &&
            err.status === 400 &&
            /DIGEST_INVALID/i.test(err.message)) {
            throw new registry_errors/* DigestMismatchError */.h(`registry ${client.registry} received bytes that do not hash to ${digest}: ${err.message}`);
        }
        throw err;
    };
}

;// CONCATENATED MODULE: ./shared/registry/push-image.ts







/** A failure as one line, with the fix when the error carries one. */
function explainFailure(err) {
    const hint = err instanceof errors/* UserError */.yo ? err.hint : undefined;
    return (0,errors/* errorMessage */.gJ)(err) + (hint ? ` (how to fix: ${hint})` : '');
}
/** `host/repository` → the host and the repository, as the layout metadata writes it. */
function splitRepository(name) {
    const slash = name.indexOf('/');
    return { registry: name.slice(0, slash), repository: name.slice(slash + 1) };
}
/**
 * Pushes one layout to every destination. Each blob is read once and streamed
 * to every destination that lacks it; base-image blobs come straight from their
 * registry (mounted when it is the same registry). Manifests go up by digest
 * only after all blobs are in place, tags last, so a failed push leaves no tag.
 * A failing destination does not stop the others; the results say which failed.
 */
async function pushImage(options) {
    const { layout, logger } = options;
    const digest = layout.top.digest;
    const states = options.destinations.map((destination) => ({
        destination,
        started: performance.now(),
        result: {
            name: destination.name,
            ok: true,
            digest,
            uploadedBytes: 0,
            skippedBytes: 0,
            mountedBytes: 0,
            ms: 0,
        },
    }));
    const fail = (state, err) => {
        if (!state.result.ok)
            return;
        state.result.ok = false;
        state.result.error = explainFailure(err);
        logger.error(`${state.destination.name}: ${state.result.error}`);
    };
    const live = () => states.filter((s) => s.result.ok);
    await Promise.all(states.map((s) => s.destination.client.ping().catch((err) => fail(s, err))));
    // A destination's failure is recorded by fail(); the others go on.
    await (0,concurrency/* mapConcurrently */.X)(layout.blobs, options.concurrency ?? 3, (blob) => transferBlob(blob, live(), options, fail));
    const manifests = [...layout.manifests.entries()].reverse();
    await Promise.all(live().map(async (state) => {
        const { client, repository, tags } = state.destination;
        try {
            for (const [manifestDigest, parsed] of manifests) {
                const bytes = await layout.readBlob(manifestDigest);
                await client.putManifest(repository, manifestDigest, bytes, mediaTypeOf(parsed, manifestDigest, layout));
            }
            const fetched = await client.getManifest(repository, digest);
            if (fetched?.digest !== digest) {
                throw new registry_errors/* DigestMismatchError */.h(`${state.destination.name} does not return manifest ${digest} after it was pushed`);
            }
            const topBytes = await layout.readBlob(digest);
            const topType = mediaTypeOf(layout.manifests.get(digest), digest, layout);
            for (const tag of tags)
                await client.putManifest(repository, tag, topBytes, topType);
            state.result.ref = `${state.destination.name}@${digest}`;
        }
        catch (err) {
            fail(state, err);
        }
    }));
    for (const s of states)
        s.result.ms = performance.now() - s.started;
    return states.map((s) => s.result);
}
function mediaTypeOf(parsed, digest, layout) {
    if (parsed.mediaType)
        return parsed.mediaType;
    if (digest === layout.top.digest)
        return layout.top.mediaType;
    for (const candidate of layout.manifests.values()) {
        const child = 'manifests' in candidate ? candidate.manifests.find((m) => m.digest === digest) : undefined;
        if (child)
            return child.mediaType;
    }
    return 'manifests' in parsed
        ? 'application/vnd.oci.image.index.v1+json'
        : 'application/vnd.oci.image.manifest.v1+json';
}
/**
 * One blob to every destination that still needs it. Per registry, one
 * destination receives the bytes and the others mount them from it, so two
 * repositories on one registry cost one upload.
 */
async function transferBlob(blob, states, options, fail) {
    const external = options.layout.externalBlobs.get(blob.digest);
    const origin = external ? splitRepository(external.repository) : undefined;
    const present = await Promise.all(states.map(async (state) => {
        const { client, repository } = state.destination;
        try {
            return (await client.blobSize(repository, blob.digest)) !== undefined;
        }
        catch (err) {
            fail(state, err);
            return true;
        }
    }));
    const leaders = [];
    const followers = [];
    for (const [i, state] of states.entries()) {
        if (present[i]) {
            if (state.result.ok)
                state.result.skippedBytes += blob.size;
            continue;
        }
        const host = state.destination.client.registry;
        if (leaders.some((l) => l.destination.client.registry === host))
            followers.push(state);
        else
            leaders.push(state);
    }
    await sendOnce(blob, leaders, options, origin, fail);
    const source = blobSource(blob, options, origin);
    await Promise.all(followers.map(async (state) => {
        const { client, repository, policy } = state.destination;
        const leader = leaders.find((l) => l.destination.client.registry === client.registry);
        const from = leader?.result.ok
            ? leader.destination.repository
            : origin?.registry === client.registry
                ? origin.repository
                : undefined;
        try {
            const started = await startUpload(client, repository, from === undefined ? {} : { mount: { digest: blob.digest, from } });
            if (started.mounted) {
                state.result.mountedBytes += blob.size;
                return;
            }
            await uploadBlob(client, repository, source, started.location, {
                policy,
                onBytes: (n) => (state.result.uploadedBytes += n),
                label: `${state.destination.name}@${blob.digest.slice(0, 19)}`,
            });
        }
        catch (err) {
            fail(state, err);
        }
    }));
}
/** Reads the blob once and streams it to each destination at the same time. */
async function sendOnce(blob, states, options, origin, fail) {
    const sessions = [];
    await Promise.all(states.map(async (state) => {
        const { client, repository } = state.destination;
        try {
            const sameRegistry = origin !== undefined && origin.registry === client.registry;
            const started = await startUpload(client, repository, sameRegistry ? { mount: { digest: blob.digest, from: origin.repository } } : {});
            if (started.mounted) {
                state.result.mountedBytes += blob.size;
                return;
            }
            sessions.push({ state, location: started.location });
        }
        catch (err) {
            fail(state, err);
        }
    }));
    if (sessions.length === 0)
        return;
    const source = blobSource(blob, options, origin);
    let first;
    try {
        first = await source.open(0);
    }
    catch (err) {
        const where = origin ? `${origin.registry}/${origin.repository}` : options.layout.root;
        for (const { state } of sessions)
            fail(state, new Error(`cannot read blob ${blob.digest} from ${where}: ${(0,errors/* errorMessage */.gJ)(err)}`, {
                cause: err,
            }));
        return;
    }
    const branches = teeStream(verified(first, blob.digest), sessions.length);
    await Promise.all(sessions.map(async ({ state, location }, i) => {
        const { client, repository, policy } = state.destination;
        try {
            await uploadBlob(client, repository, source, location, {
                policy,
                stream: branches[i],
                onBytes: (n) => (state.result.uploadedBytes += n),
                label: `${state.destination.name}@${blob.digest.slice(0, 19)}`,
            });
        }
        catch (err) {
            // Release this branch so the others keep their pace.
            await branches[i]?.[Symbol.asyncIterator]().return?.();
            fail(state, err);
        }
    }));
}
function blobSource(blob, options, origin) {
    const { layout } = options;
    if (origin === undefined) {
        return {
            digest: blob.digest,
            size: blob.size,
            open: async (offset) => (0,external_node_fs_.createReadStream)(layout.blobPath(blob.digest), { start: offset, highWaterMark: 1 << 20 }),
        };
    }
    return {
        digest: blob.digest,
        size: blob.size,
        open: async (offset) => {
            const client = await options.sourceClient(origin.registry);
            return (await client.getBlob(origin.repository, blob.digest, { offset })).stream;
        },
    };
}
/** Hashes the one read of a blob: bytes that do not match their digest fail every upload of it. */
async function* verified(source, digest) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of source) {
        hash.update(chunk);
        yield chunk;
    }
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== digest) {
        throw new registry_errors/* DigestMismatchError */.h(`blob ${digest} read as ${actual}: its bytes changed`);
    }
}

// EXTERNAL MODULE: ./shared/orchestrators/log-group.ts
var log_group = __webpack_require__(49936);
;// CONCATENATED MODULE: ./shared/orchestrators/push-to-destinations.ts







/** Service endpoint overrides for private clouds and local test doubles. */
function endpointOverrides(env) {
    const endpoints = {};
    if (env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY) {
        endpoints.artifactregistry = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY;
    }
    return endpoints;
}
function accessOptionsFor(request, settings) {
    return {
        logger: settings.logger,
        username: request.username,
        password: request.password,
        azureClientId: request.azureClientId,
        azureTenantId: request.azureTenantId,
        insecureHosts: request.insecureRegistries,
        endpoints: endpointOverrides(settings.env ?? process.env),
    };
}
function logTags(destination, chosen, logger) {
    const { tags, source, notApplied, notAppliedSource } = chosen;
    if (source === 'destination' && notApplied.length > 0) {
        logger.warning(`${destination.text}: tagged '${tags[0]}' only, as written in destinations; ` +
            `${notApplied.map((t) => `'${t}'`).join(', ')} (${notAppliedSource === 'tags' ? 'from tags' : 'the package version'}) ` +
            `is not written to this destination. To write both, drop the tag from the line and give ` +
            `tags: ${[...notApplied, ...tags].join(', ')}`, { title: 'destination with its own tag' });
    }
    logger.info(`${destination.name}: tags ${tags.join(', ')} (${source === 'destination' ? 'as written in destinations' : `from ${source === 'tags' ? 'tags' : 'the package version'}`})`);
}
/** A destination made ready: its tags chosen, its login done, its repository there. */
async function prepare(destination, request, packageTag, accessOptions) {
    const chosen = (0,registry_access/* destinationTags */.oe)(destination, request.tags, packageTag);
    if (chosen.tags.length === 0) {
        throw new errors/* InputError */.dz('tags', 'is required: the layout records no version to tag with', 'tags: v3');
    }
    logTags(destination, chosen, accessOptions.logger);
    // username/password reach only the registry they are for.
    const forThis = (0,registry_access/* takesLogin */.i2)(destination) && destination.host === request.loginHost;
    const access = await (0,registry_access/* registryAccessFor */.bg)(destination, forThis ? accessOptions : { ...accessOptions, username: undefined, password: undefined });
    const repository = destination.reference.repository;
    if (request.createRepository && access.ensureRepository) {
        await access.ensureRepository(repository, { immutableTags: request.immutableTags });
    }
    const credential = await access.credential();
    return {
        name: destination.name,
        client: new client/* RegistryClient */.b({
            registry: destination.host,
            credential,
            logger: accessOptions.logger,
            insecureHosts: accessOptions.insecureHosts,
            input: 'destinations',
        }),
        repository,
        policy: (0,registry_access/* uploadPolicyFor */.Hz)(destination.cloud),
        tags: chosen.tags,
    };
}
/**
 * A client for a base image's registry. Its credentials come from the same
 * cloud logic as destinations (a base image in ECR needs an ECR login); the
 * username/password inputs belong to destinations only.
 */
async function sourceClientFor(registry, accessOptions) {
    // `docker.io` in a reference is served from registry-1.docker.io.
    const host = (0,reference/* registryApiHost */.Mb)({ registry });
    const access = await (0,registry_access/* registryAccessFor */.bg)({ cloud: (0,registry_access/* cloudOfHost */.HN)(host), host }, { ...accessOptions, username: undefined, password: undefined });
    return new client/* RegistryClient */.b({
        registry: host,
        credential: await access.credential(),
        logger: accessOptions.logger,
        insecureHosts: accessOptions.insecureHosts,
    });
}
/** One client per source registry, made on first use and shared by every blob from it. */
function sourceClients(accessOptions) {
    const clients = new Map();
    return (host) => {
        let client = clients.get(host);
        if (client === undefined) {
            client = sourceClientFor(host, accessOptions);
            clients.set(host, client);
        }
        return client;
    };
}
/** The result of a destination that could not be prepared, in the place it was listed. */
function notPrepared(destination, reason, digest, ms, logger) {
    const error = explainFailure(reason);
    logger.error(`${destination.name}: ${error}`);
    return {
        name: destination.name,
        ok: false,
        error,
        digest,
        uploadedBytes: 0,
        skippedBytes: 0,
        mountedBytes: 0,
        ms,
    };
}
/** The push's verdict: which destinations failed and why, and which were pushed. */
function pushFailure(results) {
    const failed = results.filter((r) => !r.ok);
    if (failed.length === 0)
        return undefined;
    const ok = results.filter((r) => r.ok).map((r) => r.name);
    return new errors/* UserError */.yo(`push failed for ${failed.length} of ${results.length} destination(s): ` +
        failed.map((r) => `${r.name}: ${r.error}`).join('; ') +
        (ok.length > 0 ? `. Pushed: ${ok.join(', ')}` : ''));
}
/**
 * Pushes one image layout to every destination: each prepared (tags, login,
 * repository) at once, then every blob read once and uploaded to all of them.
 * A destination whose login or repository fails is reported with the others;
 * it does not stop them. A bad input stops the push.
 */
async function pushToDestinations(request, settings) {
    const { logger, group = log_group/* ungrouped */.g } = settings;
    const layout = await (0,oci_layout/* readLayout */.T4)(request.layout);
    const digest = layout.top.digest;
    const packageTag = layout.metadata?.version ?? layout.tag;
    const accessOptions = accessOptionsFor(request, settings);
    const started = performance.now();
    try {
        const prepared = await group('Preparing destinations', () => Promise.allSettled(request.destinations.map((d) => prepare(d, request, packageTag, accessOptions))));
        const inputProblem = prepared.find((p) => p.status === 'rejected' && p.reason instanceof errors/* InputError */.dz);
        if (inputProblem)
            throw inputProblem.reason;
        const ready = prepared.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
        const pushed = ready.length === 0
            ? []
            : await group(`Pushing ${digest} to ${ready.length} destination(s)`, () => pushImage({
                layout,
                destinations: ready,
                logger,
                sourceClient: sourceClients(accessOptions),
            }));
        let next = 0;
        const results = prepared.map((p, i) => p.status === 'fulfilled'
            ? pushed[next++]
            : notPrepared(request.destinations[i], p.reason, digest, performance.now() - started, logger));
        return { digest, results, ms: performance.now() - started };
    }
    catch (err) {
        return { digest, results: [], ms: performance.now() - started, error: err };
    }
}

;// CONCATENATED MODULE: ./shared/orchestrators/push-request.ts



/**
 * The rules between push's inputs: each failure names the input and shows an
 * accepted value.
 */
function checkedTags(tags) {
    for (const tag of tags) {
        if (!(0,reference/* isValidTag */.r_)(tag)) {
            throw new errors/* InputError */.dz('tags', `has an invalid tag '${tag}' (letters, digits, _ . -, up to 128)`, 'v3');
        }
    }
    return tags;
}
/** `username` and `password`: both or neither. */
function loginPair(username, password) {
    if (password !== undefined && username === undefined) {
        throw new errors/* InputError */.dz('username', 'is required when password is given', 'username: ${{ github.actor }}');
    }
    if (username !== undefined && password === undefined) {
        throw new errors/* InputError */.dz('password', 'is required when username is given', 'password: ${{ secrets.REGISTRY_TOKEN }}');
    }
    return { username, password };
}
/**
 * The one generic registry the login is for: `credentials-for`, or the only
 * generic destination. Sent to several, a password for one would reach the others.
 */
function loginHostFor(destinations, credentialsFor, username) {
    const genericHosts = [...new Set(destinations.filter(registry_access/* takesLogin */.i2).map((d) => d.host))];
    if (credentialsFor !== undefined && !genericHosts.includes(credentialsFor)) {
        throw new errors/* InputError */.dz('credentials-for', `names '${credentialsFor}', which is not the host of a generic destination (${genericHosts.join(', ') || 'there is none'})`, `credentials-for: ${genericHosts[0] ?? 'registry.example.com'}`);
    }
    if (username !== undefined && credentialsFor === undefined && genericHosts.length > 1) {
        throw new errors/* InputError */.dz('credentials-for', `is needed: username and password would go to several registries (${genericHosts.join(', ')}), and they are for one`, `credentials-for: ${genericHosts[0]}`);
    }
    return credentialsFor ?? (genericHosts.length === 1 ? genericHosts[0] : undefined);
}

;// CONCATENATED MODULE: ./actions/push/main.ts






function getInputs() {
    const destinations = (0,action/* listInput */.dt)('destinations', {
        required: true,
        example: '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/resnet50',
    }).map((line) => (0,registry_access/* parseDestination */.G2)(line, 'destinations'));
    const tags = checkedTags((0,action/* listInput */.dt)('tags'));
    const { username, password } = loginPair((0,action/* optionalString */.sx)('username'), (0,action/* secretString */.yk)('password'));
    const loginHost = loginHostFor(destinations, (0,action/* optionalString */.sx)('credentials-for'), username);
    const azure = (0,action/* azureFederationInputs */.OC)();
    return {
        layout: (0,action/* requiredString */.Fk)('layout', { example: '${{ steps.package.outputs.layout }}' }),
        destinations,
        tags,
        createRepository: (0,action/* booleanInput */.tE)('create-repository', true),
        immutableTags: (0,action/* booleanInput */.tE)('immutable-tags', false),
        username,
        password,
        ...(loginHost !== undefined ? { loginHost } : {}),
        azureClientId: azure.clientId,
        azureTenantId: azure.tenantId,
        insecureRegistries: (0,action/* hostListInput */.TR)('insecure-registries'),
    };
}
function setOutputs(request, { digest, results }) {
    const images = {};
    for (const [i, result] of results.entries()) {
        if (result.ref)
            images[request.destinations[i].text] = result.ref;
    }
    (0,action/* setOutput */.uH)('digest', digest);
    (0,action/* setOutput */.uH)('images', images);
    // The first destination as listed: what deploy's `image` takes in the usual one-registry job.
    (0,action/* setOutput */.uH)('image', results[0]?.ref ?? '');
    (0,action/* setOutput */.uH)('bytes-uploaded', results.reduce((n, r) => n + r.uploadedBytes, 0));
    (0,action/* setOutput */.uH)('bytes-skipped', results.reduce((n, r) => n + r.skippedBytes + r.mountedBytes, 0));
}
async function writeSummary({ digest, results, ms }) {
    const summary = new action/* JobSummary */.c3('model-deploy: push');
    summary.facts([
        ['Digest', `\`${digest}\``],
        ['Destinations', `${results.filter((r) => r.ok).length} of ${results.length} pushed`],
        ['Time', (0,duration/* formatDuration */.a)(ms)],
    ]);
    summary.table(['Destination', 'Result', 'Image', 'Uploaded', 'Skipped (present)', 'Mounted', 'Time'], results.map((r) => [
        r.name,
        r.ok ? '✅ pushed' : `❌ ${r.error ?? 'failed'}`,
        r.ref ? `\`${r.ref}\`` : '',
        (0,bytes/* formatBytes */.z)(r.uploadedBytes),
        (0,bytes/* formatBytes */.z)(r.skippedBytes),
        (0,bytes/* formatBytes */.z)(r.mountedBytes),
        (0,duration/* formatDuration */.a)(r.ms),
    ]));
    await summary.write();
}
async function run() {
    return (0,action/* runAction */.Cs)('push', async () => {
        const request = getInputs();
        const outcome = await pushToDestinations(request, { logger: action/* actionsLogger */.MV, group: action/* group */.Os });
        await writeSummary(outcome);
        if (outcome.error !== undefined)
            throw outcome.error;
        setOutputs(request, outcome);
        const failure = pushFailure(outcome.results);
        if (failure !== undefined)
            throw failure;
    });
}


/***/ }),

/***/ 60333:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G2: () => (/* binding */ parseDestination),
/* harmony export */   HN: () => (/* binding */ cloudOfHost),
/* harmony export */   Hz: () => (/* binding */ uploadPolicyFor),
/* harmony export */   bg: () => (/* binding */ registryAccessFor),
/* harmony export */   i2: () => (/* binding */ takesLogin),
/* harmony export */   oe: () => (/* binding */ destinationTags)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _oci_reference_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77121);
/* harmony import */ var _registry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(31741);



function cloudOfHost(host) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .cloudOfRegistryHost */ .sA)(host).name;
}
/** `<cloud>:` before a destination; a port (`host:5000/`) is not one. */
function cloudPrefix(text) {
    const colon = text.indexOf(':');
    const name = text.slice(0, colon);
    if (colon <= 0 || /^\d+\//.test(text.slice(colon + 1)))
        return undefined;
    if (!_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .CLOUDS */ .JJ.some((cloud) => cloud.name === name))
        return undefined;
    return { cloud: name, rest: text.slice(colon + 1) };
}
function parseDestination(text, input = 'destinations') {
    const prefix = cloudPrefix(text.trim());
    const rest = prefix?.rest ?? text.trim();
    const cloud = prefix?.cloud;
    const reference = (0,_oci_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .parseReference */ .F2)(rest, input);
    if (reference.digest !== undefined) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `names a digest ('${rest}'); a destination is a repository, optionally with a tag`, '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/resnet50');
    }
    const host = (0,_oci_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .registryApiHost */ .Mb)(reference);
    return {
        text: rest,
        cloud: cloud ?? cloudOfHost(reference.registry),
        reference,
        host,
        name: `${reference.registry}/${reference.repository}`,
    };
}
/**
 * A destination written with a tag (`ghcr.io/org/m:latest`) is tagged as
 * written and only so; the others get the `tags` input, or else the version
 * the package action recorded. The caller says so in the log, so a version
 * tag that a destination does not get is never dropped silently.
 */
function destinationTags(destination, tagsInput, packageTag) {
    const general = tagsInput.length > 0
        ? { tags: [...tagsInput], source: 'tags' }
        : { tags: packageTag ? [packageTag] : [], source: 'package version' };
    const own = destination.reference.tag;
    if (own === undefined)
        return { ...general, notApplied: [] };
    const notApplied = general.tags.filter((t) => t !== own);
    return {
        tags: [own],
        source: 'destination',
        notApplied,
        ...(notApplied.length > 0 ? { notAppliedSource: general.source } : {}),
    };
}
/** Whether the username/password inputs may go to this destination's registry. */
function takesLogin(destination) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .cloudNamed */ .X)(destination.cloud).registry.takesLogin === true;
}
function uploadPolicyFor(cloud) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .cloudNamed */ .X)(cloud).registry.uploadPolicy;
}
/** The identities in `identity`, or else those the two federation fields name. */
function identitiesOf(options) {
    if (options.identity !== undefined)
        return options.identity;
    const { azureClientId: clientId, azureTenantId: tenantId } = options;
    if (clientId === undefined && tenantId === undefined)
        return {};
    return { azure: { clientId, tenantId } };
}
async function registryAccessFor(destination, options) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .cloudNamed */ .X)(destination.cloud).registry.access({
        ...options,
        host: destination.host,
        identity: identitiesOf(options),
    });
}


/***/ }),

/***/ 93413:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   z: () => (/* binding */ formatBytes)
/* harmony export */ });
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}


/***/ }),

/***/ 41289:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ mapConcurrently)
/* harmony export */ });
/**
 * `work` over `items` with at most `limit` running at once, results in
 * order. After a failure no new item starts; the first error is thrown once
 * the running ones have ended.
 */
async function mapConcurrently(items, limit, work) {
    const results = new Array(items.length);
    let next = 0;
    let failed;
    const worker = async () => {
        while (next < items.length && failed === undefined) {
            const index = next++;
            try {
                results[index] = await work(items[index]);
            }
            catch (err) {
                failed ??= err;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    if (failed !== undefined)
        throw failed;
    return results;
}


/***/ }),

/***/ 50808:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bx: () => (/* binding */ writeLayoutMetadata),
/* harmony export */   T4: () => (/* binding */ readLayout),
/* harmony export */   nD: () => (/* binding */ blobPath),
/* harmony export */   s1: () => (/* binding */ LayoutWriter)
/* harmony export */ });
/* unused harmony exports OCI_LAYOUT_FILE, INDEX_FILE, METADATA_FILE, REF_NAME_ANNOTATION */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(52639);
/* harmony import */ var _digest_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(60162);
/* harmony import */ var _media_types_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9112);









/**
 * An OCI image layout on disk (image-spec `image-layout.md`): `oci-layout`,
 * `index.json`, `blobs/sha256/<hex>`; plus `model-deploy.json`, described below.
 */
const OCI_LAYOUT_FILE = 'oci-layout';
const INDEX_FILE = 'index.json';
const METADATA_FILE = 'model-deploy.json';
/** The index.json annotation that names a tag inside a layout (what `oci:<dir>:<tag>` selects). */
const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
function blobsDir(root) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, 'blobs', 'sha256');
}
function blobPath(root, digest) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(blobsDir(root), (0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .digestHex */ .sU)(digest));
}
/**
 * Writes a layout. Blobs are streamed to a temporary file next to their final
 * place and renamed once their digest is known, so a blob file under its
 * digest name is always complete.
 */
class LayoutWriter {
    root;
    constructor(root) {
        this.root = root;
    }
    /**
     * Starts a layout in `root`: it must be missing, empty, or an earlier layout
     * (which is replaced). Anything else is refused rather than overwritten.
     */
    static async create(root, input = 'output') {
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(root)) {
            const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(root);
            if (!info.isDirectory()) {
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`input '${input}' points at a file, not a folder: ${root}`, {
                    hint: `give a new or empty folder, e.g. ${input}: \${{ runner.temp }}/layout`,
                });
            }
            const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(root);
            if (entries.length > 0) {
                if (!entries.includes(OCI_LAYOUT_FILE)) {
                    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`input '${input}' is a folder that is not empty and is not an OCI image layout: ${root}`, { hint: 'give an empty or new folder' });
                }
                for (const entry of entries)
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, entry), { recursive: true, force: true });
            }
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(blobsDir(root), { recursive: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, OCI_LAYOUT_FILE), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
        return new LayoutWriter(root);
    }
    /** Writes into a layout that is already there, keeping what it holds. */
    static open(root) {
        return new LayoutWriter(root);
    }
    /**
     * Streams bytes into a blob, through `transforms` (e.g. a compressor) first;
     * returns the digest and size of what was stored.
     */
    async writeBlob(source, ...transforms) {
        const temporary = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(blobsDir(this.root), `.partial-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_5__.randomBytes)(8).toString('hex')}`);
        const digesting = new _digest_js__WEBPACK_IMPORTED_MODULE_7__/* .DigestingStream */ .Xi();
        try {
            const sink = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createWriteStream)(temporary);
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)([node_stream__WEBPACK_IMPORTED_MODULE_3__.Readable.from(source), ...transforms, digesting, sink]);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(temporary, blobPath(this.root, digesting.digest));
        }
        catch (err) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(temporary, { force: true });
            throw err;
        }
        return { digest: digesting.digest, size: digesting.size };
    }
    async writeBytes(bytes, mediaType) {
        const digest = (0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .sha256Digest */ .sI)(bytes);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(blobPath(this.root, digest), bytes);
        return { mediaType, digest, size: bytes.length };
    }
    /**
     * JSON blobs (configs, manifests) are written compactly in the key order the
     * caller built them in, so the same inputs give the same bytes and digest.
     */
    async writeJson(mediaType, value, annotations) {
        const descriptor = await this.writeBytes(Buffer.from(JSON.stringify(value)), mediaType);
        if (annotations !== undefined && Object.keys(annotations).length > 0)
            descriptor.annotations = annotations;
        return descriptor;
    }
    /** Writes index.json pointing at the top manifest or index, under `tag`. */
    async writeIndex(top, tag) {
        const index = {
            schemaVersion: 2,
            mediaType: _media_types_js__WEBPACK_IMPORTED_MODULE_8__/* .MediaType */ .zu.ociIndex,
            manifests: [{ ...top, annotations: { ...top.annotations, [REF_NAME_ANNOTATION]: tag } }],
        };
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.root, INDEX_FILE), JSON.stringify(index, null, 2));
    }
    async writeMetadata(metadata) {
        await writeLayoutMetadata(this.root, metadata);
    }
}
/** Writes model-deploy.json, also next to a layout another tool wrote. */
async function writeLayoutMetadata(root, metadata) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, METADATA_FILE), JSON.stringify(metadata, null, 2) + '\n');
}
/** index.json and its entry for the tag (the only or first one without a tag). */
async function readTop(root, tag, problem) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, OCI_LAYOUT_FILE)))
        throw problem(`it has no ${OCI_LAYOUT_FILE} file`);
    let index;
    try {
        index = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, INDEX_FILE), 'utf8'));
    }
    catch (err) {
        throw problem(`${INDEX_FILE} cannot be read: ${err.message}`);
    }
    if (!Array.isArray(index.manifests) || index.manifests.length === 0) {
        throw problem(`${INDEX_FILE} lists no manifests`);
    }
    if (tag === undefined)
        return { index, top: index.manifests[0] };
    const top = index.manifests.find((m) => m.annotations?.[REF_NAME_ANNOTATION] === tag);
    if (top === undefined)
        throw problem(`${INDEX_FILE} has no image tagged '${tag}'`);
    return { index, top };
}
/** model-deploy.json, when there, and the external blobs it lists that blobs/ lacks. */
async function readMetadata(root, problem) {
    let metadata;
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, METADATA_FILE))) {
        try {
            metadata = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, METADATA_FILE), 'utf8'));
        }
        catch (err) {
            throw problem(`${METADATA_FILE} cannot be read: ${err.message}`);
        }
    }
    const externalBlobs = new Map();
    for (const [digest, blob] of Object.entries(metadata?.externalBlobs ?? {})) {
        if (!(0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .isDigest */ .Bc)(digest))
            throw problem(`${METADATA_FILE} lists '${digest}', which is not a digest`);
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(blobPath(root, digest)))
            externalBlobs.set(digest, blob);
    }
    return { metadata, externalBlobs };
}
async function visitDescriptor(walk, descriptor) {
    const { problem } = walk;
    if (!(0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .isDigest */ .Bc)(descriptor.digest))
        throw problem(`'${descriptor.digest}' is not a digest`);
    if (walk.manifests.has(descriptor.digest))
        return;
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(blobPath(walk.root, descriptor.digest)))
        throw problem(`manifest ${descriptor.digest} is missing from blobs/`);
    const bytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(blobPath(walk.root, descriptor.digest));
    if ((0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .sha256Digest */ .sI)(bytes) !== descriptor.digest) {
        throw problem(`blob ${descriptor.digest} does not match its digest (the layout was altered)`);
    }
    const parsed = JSON.parse(bytes.toString('utf8'));
    walk.manifests.set(descriptor.digest, parsed);
    const mediaType = descriptor.mediaType ?? parsed.mediaType;
    if ((0,_media_types_js__WEBPACK_IMPORTED_MODULE_8__/* .isIndexMediaType */ .$$)(mediaType) || 'manifests' in parsed) {
        for (const child of parsed.manifests)
            await visitDescriptor(walk, child);
        return;
    }
    if (!(0,_media_types_js__WEBPACK_IMPORTED_MODULE_8__/* .isManifestMediaType */ .CM)(mediaType) && !('config' in parsed)) {
        throw problem(`${descriptor.digest} has media type '${mediaType}', not a manifest or index`);
    }
    addManifestBlobs(walk, parsed);
}
function addManifestBlobs(walk, manifest) {
    for (const blob of [manifest.config, ...manifest.layers]) {
        if (!(0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .isDigest */ .Bc)(blob.digest))
            throw walk.problem(`'${blob.digest}' is not a digest`);
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(blobPath(walk.root, blob.digest)) && !walk.externalBlobs.has(blob.digest)) {
            throw walk.problem(`blob ${blob.digest} is neither in blobs/ nor listed as external in ${METADATA_FILE}`);
        }
        if (!walk.seenBlobs.has(blob.digest)) {
            walk.seenBlobs.add(blob.digest);
            walk.blobs.push(blob);
        }
    }
}
/**
 * Reads and checks a layout: every blob a manifest references is either in
 * blobs/ or recorded in model-deploy.json as external, else the layout is refused.
 * `tag` picks an index.json entry by ref.name; by default the only (or first) one.
 */
async function readLayout(root, options = {}) {
    const input = options.input ?? 'layout';
    const problem = (message) => new _common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`input '${input}' (${root}) is not a usable OCI image layout: ${message}`, {
        hint: 'pass the layout output of the package action',
    });
    const { index, top } = await readTop(root, options.tag, problem);
    const { metadata, externalBlobs } = await readMetadata(root, problem);
    const walk = {
        root,
        problem,
        externalBlobs,
        manifests: new Map(),
        blobs: [],
        seenBlobs: new Set(),
    };
    await visitDescriptor(walk, top);
    return {
        root,
        index,
        top,
        tag: top.annotations?.[REF_NAME_ANNOTATION],
        manifests: walk.manifests,
        blobs: walk.blobs,
        externalBlobs,
        metadata,
        hasBlob: (digest) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(blobPath(root, digest)),
        blobPath: (digest) => blobPath(root, digest),
        openBlob: (digest) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(blobPath(root, digest), { highWaterMark: 1 << 20 }),
        readBlob: (digest) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(blobPath(root, digest)),
    };
}


/***/ }),

/***/ 49936:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ ungrouped)
/* harmony export */ });
const ungrouped = (_title, body) => body();


/***/ })

};
