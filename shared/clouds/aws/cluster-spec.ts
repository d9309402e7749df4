import type { ClusterSpec } from '../types.ts';

/** `eks:<region>/<cluster name>`. */
export interface EksSpec extends ClusterSpec {
  kind: 'eks';
  region: string;
  name: string;
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export function parseEksSpec(rest: string, fail: (problem: string) => never): EksSpec {
  const parts = rest.split('/');
  const [region, name] = parts;
  if (parts.length !== 2 || !region || !name) return fail('must be eks:<region>/<cluster name>');
  if (!REGION.test(region)) return fail(`has '${region}', which is not an AWS region`);
  if (!EKS_NAME.test(name)) return fail(`has '${name}', which is not an EKS cluster name`);
  return { kind: 'eks', region, name };
}

export function describeEksSpec(spec: ClusterSpec): string {
  return `eks:${spec.region}/${spec.name}`;
}
