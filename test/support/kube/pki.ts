import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireTool } from '../tools.ts';

const run = promisify(execFile);

export interface ClusterPki {
  caCert: string;
  caKey: string;
  caPem: string;
  servingCert: string;
  servingKey: string;
  /** Service-account token signing key (private) and its public half. */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/**
 * A throwaway CA, the API server's serving certificate signed by it (for
 * 127.0.0.1, localhost and the in-cluster names of the kubernetes Service),
 * and a service-account signing key pair, all in `dir` (mode 0600).
 * P-256 keys: quick to make, accepted by Go and Node.
 */
export async function writeClusterPki(dir: string, serviceIp: string): Promise<ClusterPki> {
  const openssl = requireTool('openssl', 'openssl');
  const p = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run(openssl, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-days',
    '7',
    '-subj',
    '/CN=model-deploy-test-cluster-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  await run(openssl, [
    'req',
    ...ec,
    '-keyout',
    p('apiserver.key'),
    '-out',
    p('apiserver.csr'),
    '-subj',
    '/CN=kube-apiserver',
  ]);
  const names = [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ];
  writeFileSync(
    p('apiserver.ext'),
    [
      `subjectAltName=IP:127.0.0.1,IP:${serviceIp},${names.map((n) => `DNS:${n}`).join(',')}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  await run(openssl, [
    'x509',
    '-req',
    '-in',
    p('apiserver.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('apiserver.crt'),
    '-days',
    '7',
    '-extfile',
    p('apiserver.ext'),
  ]);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(p('sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(p('sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  return {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    caPem: readFileSync(p('ca.crt'), 'utf8'),
    servingCert: p('apiserver.crt'),
    servingKey: p('apiserver.key'),
    serviceAccountKey: p('sa.key'),
    serviceAccountPub: p('sa.pub'),
  };
}

/** A certificate signed by the cluster CA: `subject` as openssl takes it, `extensions` one per line. */
async function issueCert(
  pki: ClusterPki,
  dir: string,
  name: string,
  subject: string,
  extensions: string[],
): Promise<{ cert: string; key: string }> {
  const openssl = requireTool('openssl', 'openssl');
  const p = (file: string) => join(dir, `${name}.${file}`);
  await run(openssl, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    p('key'),
    '-out',
    p('csr'),
    '-subj',
    subject,
  ]);
  writeFileSync(p('ext'), `${extensions.join('\n')}\n`);
  await run(openssl, [
    'x509',
    '-req',
    '-in',
    p('csr'),
    '-CA',
    pki.caCert,
    '-CAkey',
    pki.caKey,
    '-CAcreateserial',
    '-out',
    p('crt'),
    '-days',
    '7',
    '-extfile',
    p('ext'),
  ]);
  return { cert: p('crt'), key: p('key') };
}

/** A client certificate for `user` in `group` (the API server maps CN and O to them). */
export function issueClientCert(
  pki: ClusterPki,
  dir: string,
  user: string,
  group: string,
): Promise<{ cert: string; key: string }> {
  return issueCert(pki, dir, user.replace(/[^a-z0-9-]+/gi, '-'), `/O=${group}/CN=${user}`, [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=clientAuth',
  ]);
}
