import { InputError } from '../common/errors.ts';
import type { ClusterConnection } from '../clouds/types.ts';
import type { Endpoint } from './endpoint.ts';

export interface ServiceRef {
  namespace: string;
  name: string;
  /** A port number or a named port of the Service. */
  port: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const PORT = /^([1-9]\d{0,4}|[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?)$/;
const EXAMPLE = 'models/resnet50:8000';

/** `<namespace>/<name>:<port>`; the namespace defaults to `default`. */
export function parseServiceRef(text: string, input = 'service'): ServiceRef {
  const match = /^(?:([^/]+)\/)?([^/:]+):([^/:]+)$/.exec(text.trim());
  if (match === null) {
    throw new InputError(input, `must be <namespace>/<name>:<port>, not '${text}'`, EXAMPLE);
  }
  const [, namespace = 'default', name = '', port = ''] = match;
  if (!DNS_LABEL.test(namespace))
    throw new InputError(input, `has '${namespace}', which is not a namespace name`, EXAMPLE);
  if (!DNS_LABEL.test(name))
    throw new InputError(input, `has '${name}', which is not a Service name`, EXAMPLE);
  if (!PORT.test(port) || (/^\d+$/.test(port) && Number(port) > 65535)) {
    throw new InputError(
      input,
      `has '${port}', which is neither a port number nor a port name`,
      EXAMPLE,
    );
  }
  return { namespace, name, port };
}

/**
 * The Service reached through the API server's service proxy
 * (`/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/…`), authenticated
 * as the cluster connection is. Works without any public address: the runner
 * needs only what deploy already needed.
 */
export async function serviceProxyEndpoint(
  service: ServiceRef,
  connection: ClusterConnection,
): Promise<Endpoint> {
  const server = connection.server.replace(/\/+$/, '');
  const path = `/api/v1/namespaces/${encodeURIComponent(service.namespace)}/services/${encodeURIComponent(service.name)}:${encodeURIComponent(service.port)}/proxy`;
  const headers: Record<string, string> = {};
  const token = connection.refresh ? await connection.refresh() : connection.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const tls: NonNullable<Endpoint['tls']> = {};
  if (connection.caData) tls.ca = connection.caData;
  if (connection.clientCertData && connection.clientKeyData) {
    tls.cert = connection.clientCertData;
    tls.key = connection.clientKeyData;
  }
  if (connection.skipTlsVerify) tls.rejectUnauthorized = false;
  return {
    baseUrl: server + path,
    headers,
    tls,
    displayName: `service ${service.namespace}/${service.name}:${service.port} via ${connection.displayName}`,
    server: `cluster API server of ${connection.displayName} (service proxy)`,
    viaApiServer: true,
  };
}
