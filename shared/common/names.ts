import { InputError } from './errors.ts';

/** A Kubernetes DNS label (RFC 1035): what a Deployment, Service and namespace may be called. */
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const RULE =
  "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters";

/**
 * The one check of a release name, shared by package (whose `name` deploy
 * and the reusable workflow use as the release name) and deploy, so a name
 * is refused before anything is pushed, not after.
 */
export function checkDnsLabel(input: string, value: string, example: string, why = ''): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    const suggestion = value
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^[^a-z]+/, '')
      .replace(/-+$/, '')
      .slice(0, 63)
      .replace(/-+$/, '');
    throw new InputError(
      input,
      `'${value}' is not a valid name: ${RULE}${why}${suggestion && suggestion !== value ? ` (e.g. '${suggestion}')` : ''}`,
      example,
    );
  }
  return value;
}
