import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { ClusterApi, patchTypeOf, type DeletePropagation } from './api.ts';
import { findResourceType, apiVersionOf, type ResourceType } from './resources.ts';
import {
  aggregatedDiscovery,
  AGGREGATED_CONTENT_TYPE,
  apiGroup,
  apiGroupList,
  coreVersions,
  openApiV3GroupVersion,
  openApiV3Root,
  resourceList,
  versionInfo,
  wantsAggregated,
} from './discovery.ts';
import {
  ApiError,
  badRequest,
  gone,
  methodNotAllowed,
  notFound,
  successStatus,
  unauthorized,
} from './status.ts';
import {
  parseFieldSelector,
  parseLabelSelector,
  matchesFields,
  matchesLabels,
} from './selectors.ts';
import { isObject, type JsonObject } from './schema.ts';
import type { StoreEvent } from './store.ts';
import { toTable, wantsTable } from './tables.ts';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf.ts';

/**
 * The REST layer: authentication, URL routing, request bodies, responses in
 * the requested version, watches, and the subresources (status, scale, proxy, log).
 */
export interface HttpApiHooks {
  /** Forwards a service or pod proxy request; answers itself. */
  proxy(
    kind: 'services' | 'pods',
    namespace: string,
    nameAndPort: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void>;
  podLogs(
    namespace: string,
    name: string,
    container: string | undefined,
    tailLines: number | undefined,
  ): Promise<string>;
  /** Test-double administration (service backends in child-process mode). */
  admin(path: string, body: unknown): Promise<JsonObject>;
  serverAddress(): string;
  /** API groups this cluster pretends not to serve (CRDs not installed). */
  absentGroups?: ReadonlySet<string>;
}

interface Route {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  rest: string;
  watchPrefix: boolean;
}

function send(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) {
    send(res, err.code, err.toStatus());
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  send(
    res,
    500,
    new ApiError(500, 'InternalError', `Internal error occurred: ${message}`).toStatus(),
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim();
  if (type === PROTOBUF_CONTENT_TYPE)
    return body.length === 0 ? undefined : decodeProtobufObject(body);
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    if (type.endsWith('yaml')) return parseYaml(text) as unknown;
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`the request body could not be decoded: ${(err as Error).message}`);
  }
}

/** The object as the client's version sees it. */
export function inVersion(obj: JsonObject, t: ResourceType, version: string): JsonObject {
  return { ...obj, apiVersion: apiVersionOf(t.group, version), kind: t.kind };
}

export class HttpApi {
  private readonly api: ClusterApi;
  private readonly token: string;
  private readonly hooks: HttpApiHooks;
  private readonly openWatches = new Set<ServerResponse>();

  constructor(api: ClusterApi, token: string, hooks: HttpApiHooks) {
    this.api = api;
    this.token = token;
    this.hooks = hooks;
  }

  /** A discovery list without the groups the cluster pretends not to serve. */
  private withoutAbsent(
    list: JsonObject,
    key: string,
    nameOf: (entry: JsonObject) => unknown,
  ): JsonObject {
    const absent = this.hooks.absentGroups;
    if (!absent?.size) return list;
    return {
      ...list,
      [key]: ((list[key] ?? []) as JsonObject[]).filter((e) => !absent.has(String(nameOf(e)))),
    };
  }

  /** Ends every open watch (on stop). */
  closeWatches(): void {
    for (const res of this.openWatches) res.end();
    this.openWatches.clear();
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return false;
    const given = Buffer.from(match[1]!.trim());
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err);
      else res.end();
    });
  };

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (!this.authorized(req)) throw unauthorized();
    const method = req.method ?? 'GET';
    const accept = req.headers.accept;

    if (path.startsWith('/test-double/')) {
      const body = parseBody(await readBody(req), 'application/json');
      send(res, 200, await this.hooks.admin(path.slice('/test-double/'.length), body));
      return;
    }
    if (method === 'GET') {
      if (path === '/version') return send(res, 200, versionInfo());
      if (path === '/api') {
        if (wantsAggregated(accept))
          return send(res, 200, aggregatedDiscovery(true), AGGREGATED_CONTENT_TYPE);
        return send(res, 200, coreVersions(this.hooks.serverAddress()));
      }
      if (path === '/apis') {
        if (wantsAggregated(accept))
          return send(
            res,
            200,
            this.withoutAbsent(
              aggregatedDiscovery(false),
              'items',
              (i) => (i.metadata as JsonObject).name,
            ),
            AGGREGATED_CONTENT_TYPE,
          );
        return send(
          res,
          200,
          this.withoutAbsent(apiGroupList(), 'groups', (g) => g.name),
        );
      }
      if (path === '/openapi/v3') return send(res, 200, openApiV3Root());
      if (path.startsWith('/openapi/v3/')) {
        const parts = path.slice('/openapi/v3/'.length).split('/');
        const doc =
          parts[0] === 'api'
            ? openApiV3GroupVersion('', parts[1] ?? '')
            : openApiV3GroupVersion(parts[1] ?? '', parts[2] ?? '');
        if (!doc)
          throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
        return send(res, 200, doc);
      }
      const segments = path.split('/').filter(Boolean);
      if (segments[0] === 'apis' && this.hooks.absentGroups?.has(segments[1] ?? ''))
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      if (segments[0] === 'api' && segments.length === 2) {
        const list = resourceList('', segments[1]!);
        if (list) return send(res, 200, list);
      }
      if (segments[0] === 'apis' && segments.length === 2) {
        const group = apiGroup(segments[1]!);
        if (group) return send(res, 200, group);
      }
      if (segments[0] === 'apis' && segments.length === 3) {
        const list = resourceList(segments[1]!, segments[2]!);
        if (list) return send(res, 200, list);
      }
    }
    const route = this.parseRoute(path);
    if (!route || this.hooks.absentGroups?.has(route.type.group))
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    await this.serveResource(route, url, req, res);
  }

  private parseRoute(path: string): Route | undefined {
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === 'api') {
      group = '';
      version = segments[1] ?? '';
      rest = segments.slice(2);
    } else if (segments[0] === 'apis') {
      group = segments[1] ?? '';
      version = segments[2] ?? '';
      rest = segments.slice(3);
    } else return undefined;
    let watchPrefix = false;
    if (rest[0] === 'watch') {
      watchPrefix = true;
      rest = rest.slice(1);
    }
    let namespace: string | undefined;
    if (
      rest[0] === 'namespaces' &&
      rest.length >= 3 &&
      !['status', 'finalize'].includes(rest[2]!)
    ) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const type = findResourceType(group, version, rest[0] ?? '');
    if (!type) return undefined;
    if (namespace !== undefined && !type.namespaced) return undefined;
    return {
      type,
      version,
      namespace,
      name: rest[1],
      subresource: rest[2],
      rest: rest.slice(3).join('/'),
      watchPrefix,
    };
  }

  private respondObject(
    res: ServerResponse,
    code: number,
    obj: JsonObject,
    route: Route,
    accept: string | undefined,
  ): void {
    const versioned = inVersion(obj, route.type, route.version);
    if (wantsTable(accept))
      return send(
        res,
        code,
        toTable(
          route.type,
          [versioned],
          String((obj.metadata as JsonObject).resourceVersion ?? ''),
        ),
      );
    send(res, code, versioned);
  }

  private async serveResource(
    route: Route,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const q = url.searchParams;
    const t = route.type;
    const accept = req.headers.accept;
    const manager = q.get('fieldManager') ?? userAgentManager(req.headers['user-agent']);
    const dryRun = q.getAll('dryRun').includes('All');
    const apiVersion = apiVersionOf(t.group, route.version);

    if (route.subresource === 'proxy') {
      const nameAndPort = route.name ?? '';
      if (t.resource !== 'services' && t.resource !== 'pods')
        throw notFound(t.resource, t.group, nameAndPort);
      const suffix = /^.*?\/(?:services|pods)\/[^/]+\/proxy(\/.*)?$/.exec(url.pathname)?.[1] ?? '/';
      await this.hooks.proxy(
        t.resource,
        route.namespace ?? '',
        nameAndPort,
        `${suffix || '/'}${url.search}`,
        req,
        res,
      );
      return;
    }
    if (route.subresource === 'log' && t.kind === 'Pod' && method === 'GET') {
      this.api.get(t, route.namespace, route.name!);
      const tail = q.get('tailLines');
      const text = await this.hooks.podLogs(
        route.namespace ?? '',
        route.name!,
        q.get('container') ?? undefined,
        tail ? Number(tail) : undefined,
      );
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(text);
      return;
    }
    if (
      route.subresource !== undefined &&
      route.subresource !== 'status' &&
      route.subresource !== 'scale'
    ) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (route.subresource === 'status' && !t.hasStatus)
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (route.subresource === 'scale') {
      if (!t.hasScale)
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      await this.serveScale(route, method, req, res, manager);
      return;
    }
    const subresource = route.subresource;

    if (route.name === undefined) {
      if (method === 'GET') {
        if (route.watchPrefix || q.get('watch') === '1' || q.get('watch') === 'true') {
          this.serveWatch(route, q, req, res);
          return;
        }
        const listed = this.api.list(t, route.namespace, {
          labelSelector: q.get('labelSelector'),
          fieldSelector: q.get('fieldSelector'),
        });
        const items = listed.items.map((o) => {
          const { apiVersion: _a, kind: _k, ...rest } = o;
          return rest;
        });
        if (wantsTable(accept))
          return send(
            res,
            200,
            toTable(
              t,
              items.map((o) => inVersion(o, t, route.version)),
              listed.resourceVersion,
            ),
          );
        return send(res, 200, {
          kind: `${t.kind}List`,
          apiVersion,
          metadata: { resourceVersion: listed.resourceVersion },
          items,
        });
      }
      if (method === 'POST') {
        const body = parseBody(await readBody(req), req.headers['content-type']);
        if (!isObject(body)) throw badRequest('the request body must be an object');
        const created = this.api.create(t, route.namespace, body, { manager, dryRun, apiVersion });
        return this.respondObject(res, 201, created, route, accept);
      }
      if (method === 'DELETE') {
        const listed = this.api.list(t, route.namespace, {
          labelSelector: q.get('labelSelector'),
          fieldSelector: q.get('fieldSelector'),
        });
        for (const item of listed.items) {
          const meta = item.metadata as { namespace?: string; name: string };
          this.api.deleteIfPresent(t, meta.namespace, meta.name);
        }
        return send(res, 200, {
          kind: `${t.kind}List`,
          apiVersion,
          metadata: { resourceVersion: String(this.api.store.currentResourceVersion()) },
          items: [],
        });
      }
      throw methodNotAllowed();
    }

    const name = route.name;
    switch (method) {
      case 'GET':
        return this.respondObject(res, 200, this.api.get(t, route.namespace, name), route, accept);
      case 'PUT': {
        const body = parseBody(await readBody(req), req.headers['content-type']);
        if (!isObject(body)) throw badRequest('the request body must be an object');
        const updated = this.api.update(t, route.namespace, name, body, {
          manager,
          subresource,
          dryRun,
          apiVersion,
        });
        return this.respondObject(res, 200, updated, route, accept);
      }
      case 'PATCH': {
        const patchType = patchTypeOf(req.headers['content-type']);
        const body = parseBody(
          await readBody(req),
          patchType === 'apply' ? 'application/yaml' : 'application/json',
        );
        if (patchType === 'apply' && !q.get('fieldManager')) {
          throw badRequest('PATCH requests with apply content type require fieldManager');
        }
        const { object, created } = this.api.patch(t, route.namespace, name, patchType, body, {
          manager,
          subresource,
          dryRun,
          apiVersion,
          force: q.get('force') === 'true',
        });
        return this.respondObject(res, created ? 201 : 200, object, route, accept);
      }
      case 'DELETE': {
        // DeleteOptions in protobuf are not decoded; the query parameters carry the same options.
        const raw = await readBody(req);
        const body = (
          (req.headers['content-type'] ?? '').startsWith(PROTOBUF_CONTENT_TYPE)
            ? undefined
            : parseBody(raw, 'application/json')
        ) as JsonObject | undefined;
        const policy = (q.get('propagationPolicy') ??
          body?.propagationPolicy ??
          (body?.orphanDependents === true ? 'Orphan' : undefined)) as
          DeletePropagation | undefined;
        const deleted = this.api.delete(t, route.namespace, name, {
          propagationPolicy: policy,
          preconditions: body?.preconditions as
            { uid?: string; resourceVersion?: string } | undefined,
          dryRun: dryRun || (Array.isArray(body?.dryRun) && body.dryRun.includes('All')),
        });
        const meta = deleted.metadata as JsonObject;
        if (meta.deletionTimestamp && this.api.tryGet(t, route.namespace, name)) {
          return this.respondObject(res, 202, deleted, route, accept);
        }
        return send(
          res,
          200,
          successStatus({
            name,
            ...(t.group ? { group: t.group } : {}),
            kind: t.resource,
            uid: String(meta.uid),
          }),
        );
      }
      default:
        throw methodNotAllowed();
    }
  }

  private async serveScale(
    route: Route,
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
    manager: string,
  ): Promise<void> {
    const t = route.type;
    const obj = this.api.get(t, route.namespace, route.name!);
    const toScale = (o: JsonObject) => {
      const meta = o.metadata as JsonObject;
      const spec = o.spec as JsonObject;
      const status = (o.status ?? {}) as JsonObject;
      const selector = (spec.selector as JsonObject | undefined)?.matchLabels as
        Record<string, string> | undefined;
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: {
          name: meta.name,
          namespace: meta.namespace,
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
          creationTimestamp: meta.creationTimestamp,
        },
        spec: { replicas: spec.replicas },
        status: {
          replicas: status.replicas ?? 0,
          selector: Object.entries(selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        },
      };
    };
    if (method === 'GET') return send(res, 200, toScale(obj));
    const body = parseBody(
      await readBody(req),
      method === 'PATCH' ? 'application/json' : req.headers['content-type'],
    );
    let replicas: unknown;
    if (method === 'PUT')
      replicas = ((body as JsonObject)?.spec as JsonObject | undefined)?.replicas;
    else if (method === 'PATCH') {
      const patchType = patchTypeOf(req.headers['content-type']);
      const current = toScale(obj);
      const { jsonMergePatch, jsonPatch, strategicMergePatch } = await import('./patch.ts');
      const patched = (
        patchType === 'json'
          ? jsonPatch(current, body)
          : patchType === 'strategic'
            ? strategicMergePatch(current, body)
            : jsonMergePatch(current, body)
      ) as JsonObject;
      replicas = (patched.spec as JsonObject | undefined)?.replicas;
    } else throw methodNotAllowed();
    if (typeof replicas !== 'number') throw badRequest('spec.replicas must be a number');
    const updated = this.api.mutate(
      t,
      route.namespace,
      route.name!,
      (o) => {
        (o.spec as JsonObject).replicas = replicas;
      },
      { manager },
    );
    send(res, 200, toScale(updated ?? obj));
  }

  private serveWatch(
    route: Route,
    q: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const t = route.type;
    const labels = parseLabelSelector(q.get('labelSelector'));
    const fields = parseFieldSelector(q.get('fieldSelector'));
    const matches = (o: JsonObject | undefined) =>
      o !== undefined &&
      (route.namespace === undefined || (o.metadata as JsonObject).namespace === route.namespace) &&
      matchesLabels(
        labels,
        (o.metadata as JsonObject).labels as Record<string, string> | undefined,
      ) &&
      matchesFields(fields, o);
    const rvParam = q.get('resourceVersion');
    const sendInitial = q.get('sendInitialEvents') === 'true';
    const bookmarks = q.get('allowWatchBookmarks') === 'true';

    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache',
    });
    res.flushHeaders();
    const asTable = wantsTable(req.headers.accept);
    const write = (type: string, object: JsonObject) => {
      const { apiVersion: _a, kind: _k, ...rest } = object;
      const versioned = { kind: t.kind, apiVersion: apiVersionOf(t.group, route.version), ...rest };
      // `kubectl get -w` asks for Tables: each event then carries a one-row Table.
      const payload = asTable
        ? toTable(t, [versioned], String((rest.metadata as JsonObject).resourceVersion ?? ''))
        : versioned;
      res.write(`${JSON.stringify({ type, object: payload })}\n`);
    };
    const deliver = (event: StoreEvent) => {
      if (event.resourceType !== t) return;
      const now = matches(event.type === 'DELETED' ? event.previous : event.object);
      const before = matches(event.previous);
      if (event.type === 'MODIFIED') {
        if (now && before) write('MODIFIED', event.object);
        else if (now) write('ADDED', event.object);
        else if (before) write('DELETED', event.object);
      } else if (now) write(event.type, event.object);
    };

    const buffered: StoreEvent[] = [];
    let live = false;
    const unsubscribe = this.api.store.subscribe((e) => (live ? deliver(e) : buffered.push(e)));
    if (!rvParam || rvParam === '0' || sendInitial) {
      for (const o of this.api.list(t, route.namespace).items) if (matches(o)) write('ADDED', o);
      if (sendInitial && bookmarks) {
        res.write(
          `${JSON.stringify({ type: 'BOOKMARK', object: { kind: t.kind, apiVersion: apiVersionOf(t.group, route.version), metadata: { resourceVersion: String(this.api.store.currentResourceVersion()), annotations: { 'k8s.io/initial-events-end': 'true' } } } })}\n`,
        );
      }
    } else {
      const since = this.api.store.eventsSince(Number(rvParam));
      if (since === undefined) {
        res.write(
          `${JSON.stringify({ type: 'ERROR', object: gone(`too old resource version: ${rvParam} (${this.api.store.currentResourceVersion()})`).toStatus() })}\n`,
        );
        unsubscribe();
        res.end();
        return;
      }
      for (const e of since) deliver(e);
    }
    for (const e of buffered) deliver(e);
    live = true;
    this.openWatches.add(res);

    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? '1800');
    const timer = setTimeout(() => res.end(), Math.max(1, timeoutSeconds) * 1000);
    const bookmarkTimer = bookmarks
      ? setInterval(() => {
          res.write(
            `${JSON.stringify({ type: 'BOOKMARK', object: { kind: t.kind, apiVersion: apiVersionOf(t.group, route.version), metadata: { resourceVersion: String(this.api.store.currentResourceVersion()) } } })}\n`,
          );
        }, 5000)
      : undefined;
    const cleanup = () => {
      clearTimeout(timer);
      if (bookmarkTimer) clearInterval(bookmarkTimer);
      unsubscribe();
      this.openWatches.delete(res);
    };
    res.on('close', cleanup);
    req.on('close', cleanup);
  }
}

/** The default field manager: the user agent up to its first '/', as the API server derives it. */
function userAgentManager(userAgent: string | undefined): string {
  const prefix = (userAgent ?? '').split('/')[0]?.trim();
  return prefix ? prefix.slice(0, 128) : 'unknown';
}
