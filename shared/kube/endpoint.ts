import type { V1Service } from '@kubernetes/client-node';
import { oneLine, UserError } from '../common/errors.ts';
import { formatDuration } from '../common/duration.ts';
import type { Logger } from '../common/logger.ts';
import { sleep } from '../common/retry.ts';
import { kubeFailure, statusOf, type KubeClient } from './client.ts';
import { recentWarnings, type EventState } from './diagnose.ts';
import type { KubeObject } from './objects.ts';
import { cloudProfile, PROFILE_NAMES, type CloudProfile, type ServicePort } from './profiles.ts';

/**
 * Who can reach a release's `url`: anyone (a public load balancer or a
 * gateway host), only the cloud network (an internal load balancer), or only
 * the cluster (a ClusterIP Service, reached from a runner through the API
 * server's service proxy).
 */
export type Reach = 'public' | 'private' | 'cluster';

export interface ReleaseEndpoint {
  /** Where the release answers: the gateway host, the load balancer, or the in-cluster address. */
  url: string;
  reach: Reach;
  /** `<namespace>/<service>:<port>`: smoke-test's `service` input, through the API server. */
  service?: string;
}

export interface EndpointOptions {
  /** The gateway or Istio host, when the release has one. */
  host?: string;
  /** How long to wait for a load balancer's address. */
  addressTimeoutMs: number;
  logger: Logger;
  /** The longest pause between two reads of the Service (tests lower it). */
  pollMs?: number;
  /** The profiles whose load balancer annotations to honour; every cloud's by default. */
  profiles?: readonly CloudProfile[];
}

/** Every cloud's profile: a Service (a Helm chart's too) may carry any cloud's annotations. */
function everyProfile(): CloudProfile[] {
  return PROFILE_NAMES.map((name) => cloudProfile(name));
}

function isInternal(
  annotations: Record<string, string> | undefined,
  profiles: readonly CloudProfile[],
): boolean {
  return profiles.some((profile) => profile.internalLoadBalancer?.(annotations ?? {}) ?? false);
}

/**
 * The port on which a cloud's load balancer terminates TLS, as the
 * Service's annotations ask; the url then goes to it over https. Layer 4
 * load balancers pass TLS through: their url stays http unless the pods
 * serve TLS themselves.
 */
function loadBalancerTls(
  annotations: Record<string, string> | undefined,
  ports: ServicePort[],
  profiles: readonly CloudProfile[],
): number | undefined {
  for (const profile of profiles) {
    const port = profile.loadBalancerTlsPort?.(annotations ?? {}, ports);
    if (port !== undefined) return port;
  }
  return undefined;
}

interface ServiceShape {
  type?: string;
  ports?: ServicePort[];
}

/**
 * Where the release answers and who can reach it. A load balancer's address
 * is waited for (the cloud assigns it after the Service exists); when none
 * comes within the budget the release is not reachable as asked, and the
 * error says why from the Service's events instead of handing out an
 * in-cluster name that no runner can resolve.
 */
export async function releaseEndpoint(
  client: KubeClient,
  objects: KubeObject[],
  options: EndpointOptions,
): Promise<ReleaseEndpoint | undefined> {
  const service = objects.find((o) => o.kind === 'Service');
  const spec = service?.spec as ServiceShape | undefined;
  const namespace = service?.metadata.namespace ?? 'default';
  const first = spec?.ports?.[0];
  const port = first?.port ?? 80;
  const suffix = port === 80 ? '' : `:${port}`;
  const proxied = service
    ? { service: `${namespace}/${service.metadata.name}:${first?.name ?? port}` }
    : {};
  // An Emissary Mapping names no Gateway object: its url is http://<host>.
  const route = objects.find((o) => ['HTTPRoute', 'VirtualService', 'Mapping'].includes(o.kind));
  if (options.host && route) {
    const served = await gatewayListener(client, route, options.host, options.logger);
    return { url: urlOf(served.scheme, options.host, served.port), reach: 'public', ...proxied };
  }
  if (!service) return undefined;
  if (spec?.type !== 'LoadBalancer') {
    return {
      url: `http://${service.metadata.name}.${namespace}.svc.cluster.local${suffix}`,
      reach: 'cluster',
      ...proxied,
    };
  }
  const profiles = options.profiles ?? everyProfile();
  const reach: Reach = isInternal(service.metadata.annotations, profiles) ? 'private' : 'public';
  const address = await waitForAddress(client, service.metadata.name, namespace, {
    ...options,
    profiles,
  });
  const tls = loadBalancerTls(service.metadata.annotations, spec.ports ?? [], profiles);
  if (tls) return { url: urlOf('https', address, tls), reach, ...proxied };
  return { url: `http://${address}${suffix}`, reach, ...proxied };
}

type Scheme = 'http' | 'https';

/** `scheme://host`, with the port only when it is not the scheme's own. */
function urlOf(scheme: Scheme, host: string, port: number | undefined): string {
  const own = scheme === 'https' ? 443 : 80;
  return `${scheme}://${host}${port === undefined || port === own ? '' : `:${port}`}`;
}

interface Listener {
  scheme: Scheme;
  port: number;
}

/**
 * How the Gateway (Gateway API) or Istio Gateway the route attaches to
 * serves `host`: over https when a listener (server) for the host terminates
 * TLS, on that listener's port. When the Gateway cannot be read (another
 * namespace the identity may not read, or not there yet) the url says http
 * and a warning says how to let deploy tell.
 */
async function gatewayListener(
  client: KubeClient,
  route: KubeObject,
  host: string,
  logger: Logger,
): Promise<{ scheme: Scheme; port?: number }> {
  const ref = gatewayRef(route);
  if (!ref) return { scheme: 'http' };
  const what = `${ref.kind === 'istio' ? 'Istio Gateway' : 'Gateway'} ${ref.namespace}/${ref.name}`;
  let gateway: KubeObject;
  try {
    gateway = (await client.call(({ objects }) =>
      objects.read({
        apiVersion:
          ref.kind === 'istio' ? 'networking.istio.io/v1' : 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: ref.name, namespace: ref.namespace },
      }),
    )) as unknown as KubeObject;
  } catch (err) {
    const status = statusOf(err);
    const resource =
      ref.kind === 'istio' ? 'gateways.networking.istio.io' : 'gateways.gateway.networking.k8s.io';
    logger.warning(
      status === 403
        ? `url says http: ${what} could not be read to tell whether it terminates TLS (forbidden); grant get on ${resource} in namespace ${ref.namespace} to the deploying identity to have it told`
        : status === 404
          ? `url says http: ${what}, which the route attaches to, does not exist; create it (or give gateway: namespace/name)`
          : `url says http: ${what} could not be read to tell whether it terminates TLS: ${oneLine(err instanceof Error ? err.message : String(err)).slice(0, 300)}`,
    );
    return { scheme: 'http' };
  }
  const listeners =
    ref.kind === 'istio'
      ? istioListeners(gateway, host, route.metadata.namespace ?? 'default')
      : gatewayApiListeners(gateway, host, ref.sectionName);
  const secure = listeners.find((l) => l.scheme === 'https');
  const chosen = secure ?? listeners[0];
  if (!chosen) {
    logger.warning(
      `url says http: ${what} has no ${ref.sectionName ? `listener ${ref.sectionName} ` : 'listener '}for host ${host}; the route will not be served until it has one`,
    );
    return { scheme: 'http' };
  }
  return chosen;
}

function gatewayRef(
  route: KubeObject,
):
  | { kind: 'gateway-api' | 'istio'; namespace: string; name: string; sectionName?: string }
  | undefined {
  const namespace = route.metadata.namespace ?? 'default';
  const spec = route.spec as
    | {
        parentRefs?: Array<{ name?: string; namespace?: string; sectionName?: string }>;
        gateways?: string[];
      }
    | undefined;
  if (route.kind === 'HTTPRoute') {
    const parent = spec?.parentRefs?.[0];
    if (!parent?.name) return undefined;
    return {
      kind: 'gateway-api',
      namespace: parent.namespace ?? namespace,
      name: parent.name,
      ...(parent.sectionName ? { sectionName: parent.sectionName } : {}),
    };
  }
  const gateway = spec?.gateways?.find((g) => g !== 'mesh');
  if (!gateway) return undefined;
  const slash = gateway.indexOf('/');
  return slash === -1
    ? { kind: 'istio', namespace, name: gateway }
    : { kind: 'istio', namespace: gateway.slice(0, slash), name: gateway.slice(slash + 1) };
}

/** Whether a listener's host name (exact, `*.suffix` or `*`) takes `host`. */
function hostMatches(pattern: string | undefined, host: string): boolean {
  if (pattern === undefined || pattern === '' || pattern === '*') return true;
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  return p === h;
}

/** The Gateway API listeners an HTTPRoute for `host` attaches to: HTTP and HTTPS ones. */
function gatewayApiListeners(gateway: KubeObject, host: string, sectionName?: string): Listener[] {
  const listeners =
    (
      gateway.spec as
        | {
            listeners?: Array<{
              name?: string;
              hostname?: string;
              port?: number;
              protocol?: string;
            }>;
          }
        | undefined
    )?.listeners ?? [];
  return listeners
    .filter((l) => (sectionName ? l.name === sectionName : true))
    .filter((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS')
    .filter((l) => hostMatches(l.hostname, host))
    .map((l) => ({
      scheme: l.protocol === 'HTTPS' ? 'https' : 'http',
      port: l.port ?? (l.protocol === 'HTTPS' ? 443 : 80),
    }));
}

/**
 * The Istio Gateway servers for `host`: HTTPS servers terminate TLS (a
 * PASSTHROUGH one does not: the pods would); an HTTP server that redirects
 * to https sends clients to the HTTPS server (port 443 when none is listed).
 */
function istioListeners(gateway: KubeObject, host: string, routeNamespace: string): Listener[] {
  const servers =
    (
      gateway.spec as
        | {
            servers?: Array<{
              port?: { number?: number; protocol?: string };
              hosts?: string[];
              tls?: { mode?: string; httpsRedirect?: boolean };
            }>;
          }
        | undefined
    )?.servers ?? [];
  const forHost = servers.filter((server) =>
    (server.hosts ?? []).some((entry) => {
      const slash = entry.indexOf('/');
      const ns = slash === -1 ? '*' : entry.slice(0, slash);
      const name = slash === -1 ? entry : entry.slice(slash + 1);
      if (ns !== '*' && ns !== '.' && ns !== routeNamespace) return false;
      return hostMatches(name, host);
    }),
  );
  const secure: Listener[] = [];
  const redirected: Listener[] = [];
  const plain: Listener[] = [];
  for (const server of forHost) {
    const protocol = (server.port?.protocol ?? '').toUpperCase();
    const number = server.port?.number;
    if (protocol === 'HTTPS' && server.tls?.mode !== 'PASSTHROUGH') {
      secure.push({ scheme: 'https', port: number ?? 443 });
    } else if (protocol === 'HTTP' || protocol === 'HTTP2') {
      if (server.tls?.httpsRedirect) redirected.push({ scheme: 'https', port: 443 });
      else plain.push({ scheme: 'http', port: number ?? 80 });
    }
  }
  // A listed HTTPS server's port wins over the redirect's assumed 443.
  return [...secure, ...redirected, ...plain];
}

async function waitForAddress(
  client: KubeClient,
  name: string,
  namespace: string,
  options: EndpointOptions & { profiles: readonly CloudProfile[] },
): Promise<string> {
  const started = Date.now();
  const maxPause = options.pollMs ?? 5000;
  let pause = Math.min(500, maxPause);
  let told = false;
  for (;;) {
    let live: V1Service;
    try {
      live = await client.call(({ core }) => core.readNamespacedService({ name, namespace }));
    } catch (err) {
      throw kubeFailure(
        `reading Service ${namespace}/${name} for its load balancer address`,
        err,
        client.connection.displayName,
      );
    }
    const ingress = live.status?.loadBalancer?.ingress?.find((i) => i.hostname || i.ip);
    const address = ingress?.hostname ?? ingress?.ip;
    if (address) {
      if (told) {
        options.logger.info(
          `load balancer address ${address} after ${formatDuration(Date.now() - started)}`,
        );
      }
      return address;
    }
    const waited = Date.now() - started;
    if (waited >= options.addressTimeoutMs) break;
    if (!told) {
      options.logger.info(
        `waiting up to ${formatDuration(options.addressTimeoutMs)} for the cloud to give Service ${namespace}/${name} a load balancer address`,
      );
      told = true;
    }
    await sleep(Math.min(pause, options.addressTimeoutMs - waited));
    pause = Math.min(maxPause, pause * 2);
  }
  throw new UserError(
    `Service ${namespace}/${name} got no load balancer address within ${formatDuration(options.addressTimeoutMs)}: the model is serving, but not reachable as expose asked${await serviceEvents(client, name, namespace)}`,
    {
      hint: [
        ...options.profiles.flatMap((profile) => profile.addressHint ?? []),
        'check the cloud quota for load balancers and the events above, raise address-timeout for slow clouds, or use expose: cluster-ip and smoke-test through service',
      ].join('; '),
    },
  );
}

/** The Service's warning events (SyncLoadBalancerFailed…), on one line each, for the error. */
async function serviceEvents(client: KubeClient, name: string, namespace: string): Promise<string> {
  try {
    const list = await client.call(({ core }) =>
      core.listNamespacedEvent({
        namespace,
        fieldSelector: `involvedObject.kind=Service,involvedObject.name=${name}`,
      }),
    );
    const warnings = recentWarnings(list.items as EventState[], [name], 3).map((w) =>
      oneLine(w).slice(0, 300),
    );
    if (warnings.length > 0) return `; events: ${warnings.join('; ')}`;
    return '; the Service has no warning events (no controller has acted on it)';
  } catch {
    return '';
  }
}
