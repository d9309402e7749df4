import { UserError, InputError } from '../common/errors.ts';
import { isDigest, type Digest } from './digest.ts';

/**
 * An image reference, `host[:port]/repository[:tag][@sha256:…]`, with the
 * Docker Hub defaults that `docker pull` applies: no host means `docker.io`,
 * and a one-part Docker Hub name lives under `library/`.
 */
export interface ImageReference {
  /** As written by users: `docker.io`, `localhost:5000`, `123.dkr.ecr.us-east-1.amazonaws.com`. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: Digest;
}

export const DOCKER_HUB = 'docker.io';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::\d{1,5})?$/;

/**
 * Parses an image reference. When `input` is given, errors name that action
 * input so the user knows which line of the workflow to fix.
 */
export function parseReference(text: string, input?: string): ImageReference {
  const fail = (problem: string): never => {
    const example = 'registry.example.com/team/model:1.0 or busybox:1.36';
    if (input !== undefined) throw new InputError(input, `${problem}: '${text}'`, example);
    throw new UserError(`image reference '${text}' ${problem}`, {
      hint: `write it like ${example}`,
    });
  };
  const value = text.trim();
  if (value === '') return fail('is empty');
  // `sha256:<hex>` would parse as Docker Hub's library/sha256 at a tag: it is a digest without its repository.
  if (/^sha256:/i.test(value)) {
    return fail('is a digest without its repository; write host/repository@sha256:…');
  }

  let rest = value;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const d = rest.slice(at + 1);
    if (!isDigest(d)) return fail('has a digest that is not sha256:<64 lowercase hex digits>');
    digest = d;
    rest = rest.slice(0, at);
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) return fail(`has an invalid tag '${tag}'`);
  }

  let registry = DOCKER_HUB;
  let repository = rest;
  const firstSlash = rest.indexOf('/');
  if (firstSlash >= 0) {
    const first = rest.slice(0, firstSlash);
    if (
      first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first !== first.toLowerCase()
    ) {
      registry = first;
      repository = rest.slice(firstSlash + 1);
    }
  }
  if (!HOST.test(registry)) return fail(`has an invalid registry host '${registry}'`);
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (repository === '' || !repository.split('/').every((c) => COMPONENT.test(c))) {
    return fail(
      'has an invalid repository name (lowercase letters, digits, and . _ - / separators)',
    );
  }
  if (repository.length > 255) return fail('has a repository name longer than 255 characters');

  const ref: ImageReference = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The registry host to talk HTTP to (Docker Hub's API lives on another name). */
export function registryApiHost(ref: Pick<ImageReference, 'registry'>): string {
  return ref.registry === DOCKER_HUB ? 'registry-1.docker.io' : ref.registry;
}

/** `host/repository`, the name without tag or digest. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

export function formatReference(ref: ImageReference): string {
  return (
    repositoryName(ref) +
    (ref.tag === undefined ? '' : `:${ref.tag}`) +
    (ref.digest === undefined ? '' : `@${ref.digest}`)
  );
}

/** What to ask the registry for: the digest when pinned, else the tag, else `latest`. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}
