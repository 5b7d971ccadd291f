import { Grants } from '../auth/grants.js';
import { GrantTokens } from '../auth/tokens.js';
import { Vault } from '../auth/vault.js';
import { configPaths } from '../core/config/files.js';
import type { AnyObject, Handler } from '../core/execution.js';
import { runFlow, type RunOptions as CoreRunOptions } from '../core/run.js';
import type { Runtime } from '../core/runtime.js';
import type { ExecutionTree } from '../model/record.js';
import { taskRegistry } from '../tasks/default-registry.js';
import { GRANT_TOKENS } from '../tasks/rest/grant-tokens.js';

/** `run()`'s options: the core's, and the OAuth 2.0 grants the REST task's `grant` input reads. */
export interface RunOptions<I extends object = AnyObject> extends CoreRunOptions<I> {
  /** OAuth 2.0 grants for the `grant` input; they win over `grants.json`. */
  grants?: Record<string, Record<string, unknown>>;
}

/**
 * Run a handler (a function or a module path) as a top-level flow and return its finished
 * record with its children. The built-in task types (REST and any registered with
 * `taskRegistry`) and OAuth 2.0 grants are available, as `flow run` has them.
 */
export function run<I extends object = AnyObject>(handler: Handler<I> | string, options: RunOptions<I> = {}): Promise<ExecutionTree> {
  const { grants, ...rest } = options;
  return runFlow(handler, { ...rest, registry: options.registry ?? taskRegistry }, (runtime) => provideGrants(runtime, grants));
}

/** The grant tokens, made when a task first uses a grant (so the vault key file is only made then). */
export function provideGrants(runtime: Runtime, given: RunOptions['grants']): void {
  runtime.resources.provide(GRANT_TOKENS, () => {
    const grants = new Grants(configPaths(runtime.configDir).grants, runtime.secrets, given, runtime.isolated);
    return new GrantTokens(grants, new Vault(runtime.store), runtime.redactor, runtime.resources, runtime.network);
  });
}
