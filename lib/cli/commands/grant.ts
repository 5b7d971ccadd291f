import { authorizeGrant } from '../../auth/authorize.js';
import { Grants } from '../../auth/grants.js';
import { Vault } from '../../auth/vault.js';
import { configPaths, defaultConfigDir } from '../../core/config/files.js';
import { Secrets } from '../../core/config/secrets.js';
import { RunResources } from '../../core/resources.js';
import { Redactor } from '../../core/redact/redactor.js';
import { openStore } from '../../store/open.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage.js';

export interface GrantAuthorizeOptions {
  db?: string;
  timeout: string;
}

/**
 * `flow grant authorize NAME`: the authorization-code flow with PKCE; the tokens are sealed into
 * the store, so later runs refresh the access token on their own.
 */
export async function grantAuthorize(name: string, options: GrantAuthorizeOptions, out: Output): Promise<number> {
  const timeout = Number(options.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 86_400)
    throw new UsageError(`--timeout must be a number of seconds from 1 to 86400, got ${JSON.stringify(options.timeout)}`);
  const paths = configPaths(defaultConfigDir());
  const redactor = new Redactor();
  const grants = new Grants(paths.grants, new Secrets({ file: paths.secrets }, redactor));
  const store = openStore(options.db);
  const resources = new RunResources();
  try {
    const grant = grants.get(name);
    const tokens = await authorizeGrant(grant, {
      vault: new Vault(store),
      redactor,
      resources,
      say: (line) => out.err(line),
      timeoutMs: timeout * 1000,
    });
    out.out(
      tokens.refresh_token
        ? `grant "${name}" is authorized; its tokens are stored (encrypted) in ${store.location}, and runs renew the access token with the refresh token`
        : `grant "${name}" is authorized, but the server sent no refresh token: runs can use the access token until it expires, then run this command again`,
    );
    return 0;
  } catch (error) {
    out.err(`flow: ${redactor.maskText((error as Error).message)}`);
    return 1;
  } finally {
    resources.dispose();
    store.close();
  }
}
