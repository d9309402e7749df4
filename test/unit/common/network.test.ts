import { describe, expect, it } from 'vitest';
import { explainAwsError } from '../../../shared/clouds/aws/credentials.ts';
import {
  isLoopbackHost,
  hostInError,
  NetworkError,
  networkCause,
  networkError,
  TLS_HINT,
} from '../../../shared/common/network.ts';
import { defaultClassify } from '../../../shared/common/retry.ts';

/** What undici's fetch rejects with: a TypeError whose cause holds Node's error. */
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const nodeError = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('network failures in words', () => {
  it('finds the cause undici hides, at any depth and inside an AggregateError', () => {
    const table: [unknown, string, string][] = [
      [fetchFailed(nodeError('getaddrinfo ENOTFOUND m.invalid', 'ENOTFOUND')), 'dns', 'ENOTFOUND'],
      [fetchFailed(nodeError('getaddrinfo EAI_AGAIN m.example', 'EAI_AGAIN')), 'dns', 'EAI_AGAIN'],
      [
        fetchFailed(
          Object.assign(
            new AggregateError([nodeError('connect ECONNREFUSED ::1:5', 'ECONNREFUSED')]),
            {
              code: 'ECONNREFUSED',
            },
          ),
        ),
        'refused',
        'ECONNREFUSED',
      ],
      [
        fetchFailed(
          new AggregateError([nodeError('connect ECONNREFUSED 127.0.0.1:5', 'ECONNREFUSED')]),
        ),
        'refused',
        'ECONNREFUSED',
      ],
      [fetchFailed(nodeError('read ECONNRESET', 'ECONNRESET')), 'reset', 'ECONNRESET'],
      [fetchFailed(nodeError('other side closed', 'UND_ERR_SOCKET')), 'reset', 'UND_ERR_SOCKET'],
      [
        fetchFailed(nodeError('connect EHOSTUNREACH', 'EHOSTUNREACH')),
        'unreachable',
        'EHOSTUNREACH',
      ],
      [
        fetchFailed(nodeError('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT')),
        'timeout',
        'UND_ERR_CONNECT_TIMEOUT',
      ],
      [
        fetchFailed(nodeError('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT')),
        'timeout',
        'UND_ERR_HEADERS_TIMEOUT',
      ],
      [nodeError('connect ETIMEDOUT 10.0.0.1:443', 'ETIMEDOUT'), 'timeout', 'ETIMEDOUT'],
      [
        fetchFailed(nodeError('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT')),
        'tls',
        'DEPTH_ZERO_SELF_SIGNED_CERT',
      ],
      [
        fetchFailed(
          nodeError('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
        ),
        'tls',
        'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      ],
      [
        fetchFailed(
          nodeError(
            "Hostname/IP does not match certificate's altnames",
            'ERR_TLS_CERT_ALTNAME_INVALID',
          ),
        ),
        'tls',
        'ERR_TLS_CERT_ALTNAME_INVALID',
      ],
      [
        fetchFailed(nodeError('certificate has expired', 'CERT_HAS_EXPIRED')),
        'tls',
        'CERT_HAS_EXPIRED',
      ],
      [
        fetchFailed(
          nodeError('ssl3_get_record:wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'),
        ),
        'not-tls',
        'ERR_SSL_WRONG_VERSION_NUMBER',
      ],
      // A plain object as cause, as some wrappers build it.
      [
        Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }),
        'reset',
        'ECONNRESET',
      ],
    ];
    for (const [err, kind, code] of table) {
      expect([code, networkCause(err)?.kind, networkCause(err)?.code]).toEqual([code, kind, code]);
    }
  });

  it("knows our own deadline and fetch's refused ports, and nothing else", () => {
    const timeout = networkCause(
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      {
        timeoutMs: 30_000,
      },
    );
    expect(timeout).toMatchObject({ kind: 'timeout', transient: true });
    expect(timeout?.words).toBe('the request took longer than 30 s');
    expect(
      networkCause(fetchFailed(nodeError('Body Timeout Error', 'UND_ERR_BODY_TIMEOUT')), {
        idleTimeoutMs: 1500,
      })?.words,
    ).toBe('the answer stopped part way (UND_ERR_BODY_TIMEOUT after 1.5 s)');
    expect(networkCause(fetchFailed(new Error('bad port')))).toMatchObject({
      kind: 'bad-port',
      transient: false,
    });
    expect(networkCause(new TypeError('cannot read x of undefined'))).toBeUndefined();
    expect(networkCause(fetchFailed(new Error('the body stream failed')))).toBeUndefined();
    expect(networkCause(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBeUndefined();
    // A cause chain that loops does not hang.
    const a: { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(networkCause(a)).toBeUndefined();
  });

  it('names the server, the host, the cause and what to check', () => {
    const err = networkError(
      fetchFailed(nodeError('getaddrinfo ENOTFOUND mlflow.invalid', 'ENOTFOUND')),
      {
        host: 'mlflow.invalid:5000',
        server: 'MLflow tracking server',
        input: 'mlflow-tracking-uri',
      },
    );
    expect(err).toBeInstanceOf(NetworkError);
    expect(err?.message).toBe(
      'cannot reach the MLflow tracking server at mlflow.invalid:5000: the host name does not resolve (no such host in DNS, ENOTFOUND)',
    );
    expect(err?.hint).toMatch(
      /^check the host name in 'mlflow-tracking-uri' for a typo; .*private DNS/,
    );

    const refused = networkError(fetchFailed(nodeError('connect ECONNREFUSED', 'ECONNREFUSED')), {
      host: '127.0.0.1:5001',
      server: 'registry',
      input: 'destinations',
    });
    expect(refused?.message).toBe(
      'cannot reach the registry at 127.0.0.1:5001: the connection was refused: nothing listens on that port (ECONNREFUSED)',
    );
    expect(refused?.hint).toBe(
      "check the port in 'destinations', and that the registry is running and listening on 127.0.0.1:5001",
    );

    const tls = networkError(
      fetchFailed(nodeError('self-signed\ncertificate', 'DEPTH_ZERO_SELF_SIGNED_CERT')),
      { host: 'models.example.com', server: 'model server' },
    );
    expect(tls?.message).toBe(
      "cannot trust the model server at models.example.com: the server's TLS certificate was not accepted: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)",
    );
    expect(tls?.hint).toBe(TLS_HINT);
    expect(tls?.hint).toContain('NODE_EXTRA_CA_CERTS');

    const special = networkError(fetchFailed(nodeError('x', 'CERT_HAS_EXPIRED')), {
      host: 'k:6443',
      hints: { tls: 'check certificate-authority-data' },
    });
    expect(special?.message).toMatch(/^cannot trust k:6443: /);
    expect(special?.hint).toBe('check certificate-authority-data');
    expect(networkError(new Error('not a network failure'), { host: 'h' })).toBeUndefined();
  });

  it('is retried only when another attempt may get through', () => {
    const peer = { host: 'h' };
    const verdict = (code: string) =>
      defaultClassify(networkError(fetchFailed(nodeError(code, code)), peer));
    expect(verdict('ECONNREFUSED')).toEqual({ retry: true });
    expect(verdict('ECONNRESET')).toEqual({ retry: true });
    expect(verdict('EAI_AGAIN')).toEqual({ retry: true });
    expect(verdict('UND_ERR_CONNECT_TIMEOUT')).toEqual({ retry: true });
    expect(verdict('ENOTFOUND')).toEqual({ retry: false });
    expect(verdict('DEPTH_ZERO_SELF_SIGNED_CERT')).toEqual({ retry: false });
  });

  it('finds the host on an error when the caller does not know the URL (an SDK)', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND api.ecr.mars-1.amazonaws.com'), {
      code: 'ENOTFOUND',
      hostname: 'api.ecr.mars-1.amazonaws.com',
    });
    expect(hostInError(dns)).toBe('api.ecr.mars-1.amazonaws.com');
    expect(
      hostInError(
        fetchFailed(
          Object.assign(nodeError('x', 'ECONNREFUSED'), { address: '127.0.0.1', port: 4566 }),
        ),
      ),
    ).toBe('127.0.0.1:4566');
    const explained = explainAwsError(
      dns,
      'getting an ECR login for 1.dkr.ecr.mars-1.amazonaws.com',
    ) as Error;
    expect(explained.message).toBe(
      'getting an ECR login for 1.dkr.ecr.mars-1.amazonaws.com: cannot reach the AWS API at api.ecr.mars-1.amazonaws.com: the host name does not resolve (no such host in DNS, ENOTFOUND)',
    );
  });
});

describe('isLoopbackHost', () => {
  it('knows localhost, 127.x.x.x and ::1, with or without a port, and nothing else', () => {
    for (const host of [
      'localhost',
      'LOCALHOST:8080',
      '127.0.0.1',
      '127.1.2.3:443',
      '[::1]:80',
      '::1',
    ])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['10.0.0.1', 'localhost.example.com', '128.0.0.1', '[::2]', 'my-localhost'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
