import { writeFileSync } from 'node:fs';
import { resolveFilesDir } from '../files/folder.js';
import { defaultConfigDir } from '../config/files.js';
import type { ExecutionTree } from '../model/record.js';
import { RETURN_WHEN } from '../model/status.js';
import { Redactor } from '../redact/redactor.js';
import { MemoryStore } from '../store/memory.js';
import { openStore } from '../store/open.js';
import { loadTree, type Store } from '../store/store.js';
import { taskRegistry } from '../tasks/default-registry.js';
import type { TaskRegistry } from '../tasks/registry.js';
import { isPlainObject, describeValue } from '../util/describe.js';
import { InvalidInputError } from '../model/errors.js';
import type { RunEvents } from './events.js';
import { Execution, type AnyObject } from './execution.js';
import { handlerName, loadHandler, type Handler, type LoadedHandler } from './handler.js';
import type { Body } from './lifecycle.js';
import { Runtime } from './runtime.js';
import { networkPolicy } from './network.js';

export interface RunOptions<I extends object = AnyObject> {
  /** The flow's inputs (the handler's third argument). Default `{}`. */
  inputs?: I;
  /** A store, or a SQLite file path (`:memory:` for memory). Default: a new in-memory store. */
  store?: Store | string;
  /** The flow's record name. Default: the handler file's base name or the function's name. */
  name?: string;
  /** Task types available to the flow. Default: the built-in registry (REST and any you registered). */
  registry?: TaskRegistry;
  /** Live notifications (the CLI prints the log from these). */
  events?: RunEvents;
  /**
   * Secrets: a map of name → value that `system.secret(name)` and `{ secret: 'NAME' }` references
   * read before the environment and `secrets.env`, or a list of values only to mask. Either way
   * the values are masked from the start.
   */
  secrets?: Record<string, string> | string[];
  /** Named REST defaults for `this.connect()`; they win over `connections.json`. */
  connections?: Record<string, Record<string, unknown>>;
  /** OAuth 2.0 grants for the `grant` input; they win over `grants.json`. */
  grants?: Record<string, Record<string, unknown>>;
  /** The config folder with `secrets.env`, `connections.json` and `grants.json`. Default: `$FLOW_CONFIG_DIR`, else `.flow`. */
  configDir?: string;
  /** Read no secrets, connections or grants from the environment or the config folder, only from these options. Default `false`. */
  isolated?: boolean;
  /** Files put in the run's files folder before the handler starts, name → content. */
  files?: Record<string, string | Buffer>;
  /** Aborting it cancels the flow: running tasks stop and every record ends `ENDED_CANCELLED`. */
  signal?: AbortSignal;
  /**
   * The project's files folder (`system.file()`, file inputs, downloads), shared by all runs.
   * Default: `$FLOW_FILES_DIR`, else `files/` next to a SQLite store, else `.flow/files`.
   */
  filesDir?: string;
  /**
   * Refuse requests and redirects to loopback, link-local, private and unique-local addresses
   * (checked on the resolved address at connect time), for flows written by others. Default:
   * `$FLOW_DENY_PRIVATE_NETWORKS`, else off.
   */
  deny_private_networks?: boolean;
  /** Exceptions to `deny_private_networks`: CIDR ranges, addresses or host names. Default: `$FLOW_ALLOW_NETWORKS`. */
  allow_networks?: string[];
}

/** A finished run: the flow's record tree, and the store it is in. */
export interface RunResult extends ExecutionTree {}

/**
 * Run a handler (a function or a module path) as a top-level flow and return its finished
 * record with its children. A handler that cannot be loaded still leaves a failed flow record.
 */
export async function run<I extends object = AnyObject>(handler: Handler<I> | string, options: RunOptions<I> = {}): Promise<ExecutionTree> {
  const { inputs = {} as I } = options;
  if (!isPlainObject(inputs)) throw new InvalidInputError(`run() inputs must be an object, got ${describeValue(inputs)}`);
  const ownsStore = typeof options.store !== 'object';
  const store = typeof options.store === 'object' ? options.store : options.store === undefined ? new MemoryStore() : openStore(options.store);
  const redactor = new Redactor();
  const secrets = Array.isArray(options.secrets) ? undefined : options.secrets;
  if (Array.isArray(options.secrets)) for (const secret of options.secrets) redactor.addSecret(secret);
  const filesDir = resolveFilesDir(options.filesDir, store.location);
  const runtime = new Runtime(store, options.registry ?? taskRegistry, redactor, options.events, filesDir, {
    configDir: options.configDir ?? defaultConfigDir(),
    secrets,
    connections: options.connections,
    grants: options.grants,
    isolated: options.isolated,
    network: networkPolicy(options, options.isolated ? {} : process.env),
  });
  try {
    let body: Body;
    let loaded: Pick<LoadedHandler, 'type' | 'name' | 'baseDir'>;
    try {
      const found = await loadHandler(handler, process.cwd());
      body = { kind: 'flow', handler: found.handler };
      loaded = found;
    } catch (error) {
      body = { kind: 'rejected', error };
      loaded = typeof handler === 'string'
        ? { type: handler, name: handlerName(handler), baseDir: process.cwd() }
        : { type: '<handler>', name: 'flow', baseDir: process.cwd() };
    }
    const flow = new Execution<I>(runtime, {
      parent: null,
      kind: 'flow',
      type: loaded.type,
      name: options.name ?? loaded.name,
      inputs,
      body,
      baseDir: loaded.baseDir,
    });
    for (const [name, content] of Object.entries(options.files ?? {})) {
      const path = runtime.files.resolve(name, 'run() files name');
      runtime.files.ensureFor(path);
      writeFileSync(path, content);
    }
    const cancel = () => flow.cancel(`cancelled: ${String((options.signal?.reason as Error | undefined)?.message ?? 'the run was aborted')}`);
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      await flow.run_async().wait({ return_when: RETURN_WHEN.ALL_ENDED });
    } finally {
      options.signal?.removeEventListener('abort', cancel);
    }
    return loadTree(store, flow.execution_id)!;
  } finally {
    runtime.resources.dispose();
    if (ownsStore) store.close();
  }
}
