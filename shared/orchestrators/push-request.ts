import { takesLogin, type Destination } from '../clouds/registry-access.ts';
import { InputError } from '../common/errors.ts';
import { isValidTag } from '../oci/reference.ts';

/**
 * The rules between push's inputs: each failure names the input and shows an
 * accepted value.
 */

export function checkedTags(tags: string[]): string[] {
  for (const tag of tags) {
    if (!isValidTag(tag)) {
      throw new InputError(
        'tags',
        `has an invalid tag '${tag}' (letters, digits, _ . -, up to 128)`,
        'v3',
      );
    }
  }
  return tags;
}

/** `username` and `password`: both or neither. */
export function loginPair(
  username: string | undefined,
  password: string | undefined,
): { username: string | undefined; password: string | undefined } {
  if (password !== undefined && username === undefined) {
    throw new InputError(
      'username',
      'is required when password is given',
      'username: ${{ github.actor }}',
    );
  }
  if (username !== undefined && password === undefined) {
    throw new InputError(
      'password',
      'is required when username is given',
      'password: ${{ secrets.REGISTRY_TOKEN }}',
    );
  }
  return { username, password };
}

/**
 * The one generic registry the login is for: `credentials-for`, or the only
 * generic destination. Sent to several, a password for one would reach the others.
 */
export function loginHostFor(
  destinations: Destination[],
  credentialsFor: string | undefined,
  username: string | undefined,
): string | undefined {
  const genericHosts = [...new Set(destinations.filter(takesLogin).map((d) => d.host))];
  if (credentialsFor !== undefined && !genericHosts.includes(credentialsFor)) {
    throw new InputError(
      'credentials-for',
      `names '${credentialsFor}', which is not the host of a generic destination (${genericHosts.join(', ') || 'there is none'})`,
      `credentials-for: ${genericHosts[0] ?? 'registry.example.com'}`,
    );
  }
  if (username !== undefined && credentialsFor === undefined && genericHosts.length > 1) {
    throw new InputError(
      'credentials-for',
      `is needed: username and password would go to several registries (${genericHosts.join(', ')}), and they are for one`,
      `credentials-for: ${genericHosts[0]}`,
    );
  }
  return credentialsFor ?? (genericHosts.length === 1 ? genericHosts[0] : undefined);
}
