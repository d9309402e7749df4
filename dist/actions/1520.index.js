export const id = 1520;
export const ids = [1520];
export const modules = {

/***/ 49936:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ ungrouped)
/* harmony export */ });
const ungrouped = (_title, body) => body();


/***/ }),

/***/ 71520:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  pushFailure: () => (/* binding */ pushFailure),
  pushToDestinations: () => (/* binding */ pushToDestinations)
});

// EXTERNAL MODULE: ./shared/clouds/registry-access.ts
var registry_access = __webpack_require__(60333);
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
// EXTERNAL MODULE: ./shared/common/bytes.ts
var bytes = __webpack_require__(93413);
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
    // The blob's own bytes failed their check while streaming: sending them again cannot help.
    const changed = digestMismatchIn(err);
    if (changed !== undefined)
        return changed;
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
/** A DigestMismatchError the HTTP client wrapped (a request body that failed as it streamed). */
function digestMismatchIn(err) {
    let current = err;
    for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
        if (current instanceof registry_errors/* DigestMismatchError */.h)
            return current;
        current = current.cause;
    }
    return undefined;
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
 * Pushes one layout to every destination. A destination that already holds
 * the top manifest holds every blob under it (a registry stores a manifest
 * only once its blobs are there), so it only gets the tags it lacks: nothing
 * is read or uploaded. Elsewhere each blob is read once and streamed to every
 * destination that lacks it, the largest first; base-image blobs come straight
 * from their registry (mounted when it is the same registry). Manifests go up
 * by digest only after all blobs are in place, tags last, so a failed push
 * leaves no tag. A failing destination does not stop the others; the results
 * say which failed.
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
    await Promise.all(states.map((s) => s.destination.client.ping().catch((err) => fail(s, err))));
    const top = topManifest(layout);
    await Promise.all(states
        .filter((s) => s.result.ok)
        .map((s) => tagIfPresent(s, layout, top).catch((err) => fail(s, err))));
    // Still to push: the destinations that neither failed nor held the manifest.
    const live = () => states.filter((s) => s.result.ok && s.result.ref === undefined);
    if (live().length > 0) {
        // A destination's failure is recorded by fail(); the others go on.
        await (0,concurrency/* mapConcurrently */.X)(largestFirst(layout.blobs), options.concurrency ?? 3, (blob) => transferBlob(blob, live(), options, fail));
        await Promise.all(live().map((state) => pushManifests(state, layout, top).catch((err) => fail(state, err))));
    }
    for (const s of states)
        s.result.ms = performance.now() - s.started;
    return states.map((s) => s.result);
}
function topManifest(layout) {
    const digest = layout.top.digest;
    let bytes;
    return {
        bytes: () => (bytes ??= layout.readBlob(digest)),
        mediaType: mediaTypeOf(layout.manifests.get(digest), digest, layout),
    };
}
/** The biggest blob starts first, so it does not begin late behind small ones and make the push longer. */
function largestFirst(blobs) {
    return [...blobs].sort((a, b) => b.size - a.size);
}
/**
 * When the destination already has every manifest by digest, writes the
 * tags that do not name it yet and reports the push done, every blob counted
 * as present. A registry that does not say (no digest in its answer) or an
 * answer that fails leaves the destination to the full push, which checks
 * each blob itself.
 */
async function tagIfPresent(state, layout, top) {
    const { client, repository, tags, name } = state.destination;
    const digest = layout.top.digest;
    // Every manifest of the layout (an index's children too), so an index whose child was deleted is pushed again.
    const manifests = [...layout.manifests.keys()];
    // The tags are asked at the same time: one round trip when all is there.
    const heads = await Promise.all([...manifests, ...tags].map((ref) => client.headManifest(repository, ref).catch(() => undefined)));
    if (manifests.some((d, i) => heads[i]?.digest !== d))
        return;
    const current = heads.slice(manifests.length);
    for (const [i, tag] of tags.entries()) {
        if (current[i]?.digest !== digest) {
            await client.putManifest(repository, tag, await top.bytes(), top.mediaType);
        }
    }
    state.result.skippedBytes += layout.blobs.reduce((sum, blob) => sum + blob.size, 0);
    state.result.ref = `${name}@${digest}`;
    client.logger.info(`${name}: already holds ${digest}; nothing to upload`);
}
/** Every manifest by digest (children first), the top one read back and checked, then the tags. */
async function pushManifests(state, layout, top) {
    const { client, repository, tags } = state.destination;
    const digest = layout.top.digest;
    for (const [manifestDigest, parsed] of [...layout.manifests.entries()].reverse()) {
        const bytes = await layout.readBlob(manifestDigest);
        await client.putManifest(repository, manifestDigest, bytes, mediaTypeOf(parsed, manifestDigest, layout));
    }
    const fetched = await client.getManifest(repository, digest);
    if (fetched?.digest !== digest) {
        throw new registry_errors/* DigestMismatchError */.h(`${state.destination.name} does not return manifest ${digest} after it was pushed`);
    }
    for (const tag of tags)
        await client.putManifest(repository, tag, await top.bytes(), top.mediaType);
    state.result.ref = `${state.destination.name}@${digest}`;
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
    const branches = teeStream(verified(first, blob.digest, blob.size), sessions.length);
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
/**
 * Hashes the one read of a blob as it streams. The last chunk is held back
 * until the whole blob is hashed and checked, so bytes that do not match
 * their digest (or their size) fail every upload of it before the upload can
 * complete: a changed layout never lands, whether or not the registry checks.
 */
async function* verified(source, digest, size) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let seen = 0;
    const check = () => {
        const actual = `sha256:${hash.digest('hex')}`;
        if (actual !== digest) {
            throw new registry_errors/* DigestMismatchError */.h(`blob ${digest} read as ${actual}: its bytes changed`);
        }
    };
    for await (const chunk of source) {
        seen += chunk.byteLength;
        if (seen > size) {
            throw new registry_errors/* DigestMismatchError */.h(`blob ${digest} is longer than its ${size} bytes: it changed`);
        }
        hash.update(chunk);
        if (seen === size)
            check();
        yield chunk;
    }
    if (seen < size) {
        throw new registry_errors/* DigestMismatchError */.h(`blob ${digest} ended after ${seen} of its ${size} bytes`);
    }
    if (size === 0)
        check();
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


/***/ })

};
