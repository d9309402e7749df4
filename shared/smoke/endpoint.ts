/**
 * Where the model server is and how to reach it: a base URL (which may carry
 * a path prefix, such as the API server's service proxy), extra headers
 * (a bearer token), and TLS material. Every protocol talks through this.
 */
export interface TlsOptions {
  /** PEM of the CA that signed the server's certificate. */
  ca?: string;
  /** PEM client certificate and key, for mutual TLS (kubeconfig client certs). */
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
}

export interface Endpoint {
  baseUrl: string;
  headers: Record<string, string>;
  tls?: TlsOptions;
  /** How to name this endpoint in logs and the summary (never carries a token). */
  displayName: string;
  /** What answers at the base URL (`model server`…), for a message when it cannot be reached. */
  server?: string;
  /** The input that gave this address, for the hint when it cannot be reached. */
  input?: string;
  /**
   * Reached through a Kubernetes API server's service proxy: a 403 the API
   * server writes itself is a permission the identity lacks, not the model's answer.
   */
  viaApiServer?: boolean;
}
