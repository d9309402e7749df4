import { describe, expect, it } from 'vitest';
import { parseServiceRef, serviceProxyEndpoint } from '../../../shared/smoke/service-proxy.ts';

describe('service references and the service proxy endpoint', () => {
  it('parses namespace, name and a numbered or named port', () => {
    expect(parseServiceRef('models/resnet50:8000')).toEqual({
      namespace: 'models',
      name: 'resnet50',
      port: '8000',
    });
    expect(parseServiceRef('resnet50:http')).toEqual({
      namespace: 'default',
      name: 'resnet50',
      port: 'http',
    });
  });

  it.each([
    ['models/resnet50', "input 'service' must be <namespace>/<name>:<port>, not 'models/resnet50'"],
    ['Models/resnet50:80', "input 'service' has 'Models', which is not a namespace name"],
    [
      'models/resnet50:70000',
      "input 'service' has '70000', which is neither a port number nor a port name",
    ],
  ])('refuses %s', (text, message) => {
    expect(() => parseServiceRef(text)).toThrow(message);
  });

  it('builds the proxy URL with the cluster credentials and TLS material', async () => {
    const endpoint = await serviceProxyEndpoint(
      { namespace: 'models', name: 'iris', port: 'http' },
      {
        server: 'https://10.0.0.1:6443/',
        caData: 'CA PEM',
        clientCertData: 'CERT',
        clientKeyData: 'KEY',
        token: 'stale',
        refresh: async () => 'fresh-token',
        cloud: 'generic',
        displayName: 'kubeconfig:ci',
      },
    );
    expect(endpoint.baseUrl).toBe(
      'https://10.0.0.1:6443/api/v1/namespaces/models/services/iris:http/proxy',
    );
    expect(endpoint.headers).toEqual({ authorization: 'Bearer fresh-token' });
    expect(endpoint.tls).toEqual({ ca: 'CA PEM', cert: 'CERT', key: 'KEY' });
    expect(endpoint.displayName).toBe('service models/iris:http via kubeconfig:ci');
  });
});
