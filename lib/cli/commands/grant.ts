import { authorizeGrant } from '../../auth/authorize-grant.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage.js';

export interface GrantAuthorizeOptions {
  db?: string;
  timeout: string;
}

/** `flow grant authorize NAME`: {@link authorizeGrant}, with its outcome said in a sentence. */
export async function grantAuthorize(name: string, options: GrantAuthorizeOptions, out: Output): Promise<number> {
  const timeout = Number(options.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 86_400)
    throw new UsageError(`--timeout must be a number of seconds from 1 to 86400, got ${JSON.stringify(options.timeout)}`);
  try {
    const done = await authorizeGrant(name, { ...(options.db ? { store: options.db } : {}), timeoutMs: timeout * 1000, say: (line) => out.err(line) });
    out.out(
      done.refreshable
        ? `grant "${name}" is authorized; its tokens are stored (encrypted) in ${done.store}, and runs renew the access token with the refresh token`
        : `grant "${name}" is authorized, but the server sent no refresh token: runs can use the access token until it expires, then run this command again`,
    );
    return 0;
  } catch (error) {
    out.err(`flow: ${(error as Error).message}`);
    return 1;
  }
}
