import { ServiceKey } from '../../core/resources.js';

/**
 * What the REST task needs of OAuth 2.0 grants (`grant` input), provided to the run by its
 * composition (lib/compose: the tokens of lib/auth), so REST does not import the auth layer.
 */
export interface GrantTokenSource {
  /** Throw a clear error when the grant is not configured, or badly (at the `task()` call). */
  check(name: string): void;
  /** A valid access token; `rejected` is one a server just answered 401 to, to be replaced. */
  accessToken(name: string, options?: { rejected?: string; signal?: AbortSignal; log?: (line: string) => void }): Promise<string>;
}

export const GRANT_TOKENS = new ServiceKey<GrantTokenSource>('OAuth 2.0 grant tokens');
