import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ClusterApi } from './api.ts';
import type { JsonObject } from './schema.ts';
import { ApiError, notFound } from './status.ts';
import { isPodReady } from './controllers/owners.ts';

/**
 * The API server's proxy subresource: `services/{name}[:{port}]/proxy/{path}`
 * forwards to a ready endpoint of the Service, `pods/{name}[:{port}]/proxy/{path}`
 * to the pod. Where a request ends up is decided by `resolveTarget` (a real
 * container's published port, or a backend a test registered).
 */
export interface ProxyTargets {
  forService(
    namespace: string,
    service: JsonObject,
    servicePort: JsonObject,
    pod: JsonObject,
    podPort: number,
  ): string | undefined;
  forPod(pod: JsonObject, port: number): string | undefined;
}

function serviceUnavailable(message: string): ApiError {
  return new ApiError(503, 'ServiceUnavailable', message);
}

function splitNameAndPort(value: string): { name: string; port?: string } {
  const parts = value.split(':');
  if (parts.length === 3) return { name: parts[1]!, port: parts[2] || undefined };
  if (parts.length === 2) return { name: parts[0]!, port: parts[1] || undefined };
  return { name: value };
}

function containerPortNamed(pod: JsonObject, name: string): number | undefined {
  for (const c of ((pod.spec as JsonObject).containers ?? []) as JsonObject[]) {
    for (const p of (c.ports ?? []) as JsonObject[])
      if (p.name === name) return Number(p.containerPort);
  }
  return undefined;
}

export function resolveProxyTarget(
  api: ClusterApi,
  targets: ProxyTargets,
  kind: 'services' | 'pods',
  namespace: string,
  nameAndPort: string,
): string {
  const { name, port } = splitNameAndPort(nameAndPort);
  const podType = api.type('', 'Pod');
  if (kind === 'pods') {
    const pod = api.tryGet(podType, namespace, name);
    if (!pod) throw notFound('pods', '', name);
    const first = (((pod.spec as JsonObject).containers ?? []) as JsonObject[]).flatMap(
      (c) => (c.ports ?? []) as JsonObject[],
    )[0];
    const number =
      port === undefined
        ? Number(first?.containerPort ?? 80)
        : /^\d+$/.test(port)
          ? Number(port)
          : containerPortNamed(pod, port);
    const target = number === undefined ? undefined : targets.forPod(pod, number);
    if (!target)
      throw serviceUnavailable(
        `error trying to reach service: dial tcp ${String((pod.status as JsonObject | undefined)?.podIP ?? '')}:${number ?? port}: connect: connection refused`,
      );
    return target;
  }
  const service = api.tryGet(api.type('', 'Service'), namespace, name);
  if (!service) throw notFound('services', '', name);
  const ports = ((service.spec as JsonObject).ports ?? []) as JsonObject[];
  const servicePort =
    port === undefined ? ports[0] : ports.find((p) => p.name === port || String(p.port) === port);
  if (!servicePort) throw serviceUnavailable(`no endpoints available for service "${nameAndPort}"`);
  const endpoints = api.tryGet(api.type('', 'Endpoints'), namespace, name);
  const ready: JsonObject[] = [];
  for (const subset of (endpoints?.subsets ?? []) as JsonObject[]) {
    for (const address of (subset.addresses ?? []) as JsonObject[]) {
      const ref = address.targetRef as JsonObject | undefined;
      const pod = ref ? api.tryGet(podType, namespace, String(ref.name)) : undefined;
      if (pod && isPodReady(pod)) ready.push(pod);
    }
  }
  if (ready.length === 0) throw serviceUnavailable(`no endpoints available for service "${name}"`);
  for (const pod of ready) {
    const targetPort = servicePort.targetPort ?? servicePort.port;
    const podPort =
      typeof targetPort === 'number'
        ? targetPort
        : (containerPortNamed(pod, String(targetPort)) ?? Number(targetPort));
    const target = targets.forService(namespace, service, servicePort, pod, podPort);
    if (target) return target;
  }
  throw serviceUnavailable(`no endpoints available for service "${name}"`);
}

/** Forwards the request to `target` (http://127.0.0.1:PORT) and streams the answer back. */
export function forward(
  target: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(path.startsWith('/') ? path : `/${path}`, target);
    const headers = { ...req.headers };
    delete headers.authorization;
    delete headers.host;
    const upstream = httpRequest(
      url,
      { method: req.method, headers: { ...headers, host: url.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => resolve());
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) {
        const status = new ApiError(
          503,
          'ServiceUnavailable',
          `error trying to reach service: ${err.message}`,
        ).toStatus();
        const text = JSON.stringify(status);
        res.writeHead(503, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
        });
        res.end(text);
      } else res.end();
      resolve();
    });
    req.pipe(upstream);
  });
}
