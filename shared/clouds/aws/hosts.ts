/** An ECR registry host: the account id and region are in it. */
export const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** An EKS API server's host name. */
export function isEksServer(host: string): boolean {
  return host.endsWith('.eks.amazonaws.com');
}
