/** How a registry client authenticates against one registry host. */
export type RegistryCredential =
  | { kind: 'anonymous' }
  /** Sent as Basic to the registry, or to its token endpoint when it answers with a Bearer challenge. */
  | { kind: 'basic'; username: string; password: string }
  /** A ready bearer token for the registry (skips the challenge's token endpoint). */
  | { kind: 'bearer'; token: string }
  /**
   * An OAuth2 refresh token for the registry's token endpoint, exchanged per
   * scope with `grant_type=refresh_token` (the Docker token spec's OAuth2 flow,
   * which ACR uses).
   */
  | { kind: 'refresh-token'; refreshToken: string };
