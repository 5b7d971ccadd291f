import { configPaths, defaultConfigDir } from '../core/config/files.js';
import { Secrets } from '../core/config/secrets.js';
import { RunResources } from '../core/resources.js';
import { Redactor } from '../core/redact/redactor.js';
import { withStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { authorizationCodeFlow } from './authorize.js';
import { Grants } from './grants.js';
import { Vault } from './vault.js';

export interface AuthorizeGrantOptions {
  /** The store the tokens are sealed into: an open store, or a path. @default FLOW_DB, else `.flow/executions.db` */
  store?: Store | string;
  /** The folder holding `grants.json` and the secrets file. @default FLOW_CONFIG_DIR, else `.flow` */
  configDir?: string;
  /** Give up waiting for the browser after this many ms. @default 300000 */
  timeoutMs?: number;
  /** Where the URL to open in a browser is told. @default a line on stderr */
  say?: (line: string) => void;
}

export interface AuthorizedGrant {
  grant: string;
  /** Whether the server sent a refresh token: runs then renew the access token on their own. */
  refreshable: boolean;
  /** Where the tokens are stored (sealed). */
  store: string;
}

/**
 * Authorize a grant of `grants.json` in a browser (`flow grant authorize NAME`): the
 * authorization-code flow with PKCE, its tokens sealed into the store's vault, so later runs
 * refresh the access token on their own. Errors name the grant; no secret is in their message.
 */
export async function authorizeGrant(name: string, options: AuthorizeGrantOptions = {}): Promise<AuthorizedGrant> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const paths = configPaths(options.configDir ?? defaultConfigDir());
  const redactor = new Redactor();
  const grants = new Grants(paths.grants, new Secrets({ file: paths.secrets }, redactor));
  return withStore(options.store, async (store) => {
    const resources = new RunResources();
    try {
      const tokens = await authorizationCodeFlow(grants.get(name), {
        vault: new Vault(store),
        redactor,
        resources,
        say: options.say ?? ((line) => process.stderr.write(`${line}\n`)),
        timeoutMs,
      });
      return { grant: name, refreshable: Boolean(tokens.refresh_token), store: store.location ?? 'memory' };
    } catch (error) {
      if (error instanceof Error) error.message = redactor.maskText(error.message);
      throw error;
    } finally {
      resources.dispose();
    }
  });
}
