import type { ClusterSpec } from '../types.ts';

/** `gke:<project>/<region or zone>/<cluster name>`. */
export interface GkeClusterSpec extends ClusterSpec {
  kind: 'gke';
  project: string;
  location: string;
  name: string;
}

const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const GCP_LOCATION = /^[a-z]+-[a-z]+\d(-[a-z])?$/;
const GKE_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

export function parseGkeSpec(rest: string, fail: (problem: string) => never): GkeClusterSpec {
  const parts = rest.split('/');
  const [project, location, name] = parts;
  if (parts.length !== 3 || !project || !location || !name) {
    return fail('must be gke:<project>/<region or zone>/<cluster name>');
  }
  if (!GCP_PROJECT.test(project))
    return fail(`has '${project}', which is not a Google Cloud project id`);
  if (!GCP_LOCATION.test(location)) return fail(`has '${location}', which is not a region or zone`);
  if (!GKE_NAME.test(name)) return fail(`has '${name}', which is not a GKE cluster name`);
  return { kind: 'gke', project, location, name };
}

export function describeGkeSpec(spec: ClusterSpec): string {
  return `gke:${spec.project}/${spec.location}/${spec.name}`;
}
