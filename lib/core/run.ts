import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidInputError } from '../model/errors.js';
import { networkPolicy } from '../model/network.js';
import type { ExecutionTree } from '../model/record.js';
import { RETURN_WHEN } from '../model/status.js';
import { MemoryStore } from '../store/memory.js';
import { openStore } from '../store/open.js';
import { applyRetention } from '../store/retention.js';
import { SqliteStore } from '../store/sqlite.js';
import { lazyTree, type Store } from '../store/store.js';
import { describeValue, isPlainObject } from '../util/describe.js';
import type { Body } from './body-kind.js';
import type { Clock } from './clock.js';
import { defaultConfigDir } from './config/files.js';
import type { RunEvents } from './events.js';
import { Execution, type AnyObject, type Handler } from './execution.js';
import { resolveFilesDir } from './files/folder.js';
import { handlerName, loadHandler, type LoadedHandler } from './handler.js';
import { Redactor } from './redact/redactor.js';
import { Runtime } from './runtime.js';
import { ExecutionState } from './state.js';
import type { TaskTypes } from './task-definition.js';

/** How a flow runs: its inputs, where it is recorded, what it can read, and what watches it. */
export interface RunOptions<I extends object = AnyObject> {
  /** The flow's inputs (the handler's third argument). Default `{}`. */
  inputs?: I;
  /** A store, or a SQLite file path (`:memory:` for memory). Default: a new in-memory store. */
  store?: Store | string;
  /** The flow's record name. Default: the handler file's base name or the function's name. */
  name?: string;
  /** Task types available to the flow. Default: the built-in registry (REST and any you registered). */
  registry?: TaskTypes;
  /** Live notifications (the CLI prints the log from these). */
  events?: RunEvents;
  /**
   * Secrets: a map of name → value that `system.secret(name)` and `{ secret: 'NAME' }` references
   * read before the environment and `secrets.env`, or a list of values only to mask. Either way
   * the values are masked from the start.
   */
  secrets?: Record<string, string> | string[];
  /** Named task defaults for `this.connect()`; they win over `connections.json`. */
  connections?: Record<string, Record<string, unknown>>;
  /** The config folder with `secrets.env`, `connections.json` and `grants.json`. Default: `$FLOW_CONFIG_DIR`, else `.flow`. */
  configDir?: string;
  /** Read no secrets, connections or grants from the environment or the config folder, only from these options. Default `false`. */
  isolated?: boolean;
  /** Files put in the files folder before the handler starts, name → content. */
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
  /** The run's time (delays, deadlines, record times). Default: real time; `flow_api/testing` uses a virtual clock. */
  clock?: Clock;
}

/** What a composition adds to a run before it starts: services for its task types (see `lib/compose`). */
export type RunSetup = (runtime: Runtime) => void;

/**
 * Run a handler (a function or a module path) as a top-level flow with the task types of
 * `registry`, and return its finished record with its children. A handler that cannot be
 * loaded still leaves a failed flow record. `setup` provides services before the flow starts.
 */
export async function runFlow<I extends object = AnyObject>(
  handler: Handler<I> | string,
  options: RunOptions<I> & { registry: TaskTypes },
  setup?: RunSetup,
): Promise<ExecutionTree> {
  const { inputs = {} as I } = options;
  if (!isPlainObject(inputs)) throw new InvalidInputError(`run() inputs must be an object, got ${describeValue(inputs)}`);
  return runRoot(options, setup, async (runtime) => {
    // The store's retention setting (off unless set): runs older than it go before this one starts.
    applyRetention(runtime.store);
    const loaded = await loadRoot(handler);
    return new ExecutionState(runtime, {
      parent: null,
      kind: 'flow',
      type: loaded.type,
      name: options.name ?? loaded.name,
      inputs,
      body: loaded.body,
      baseDir: loaded.baseDir,
      handler: loaded.file ? { path: loaded.file, hash: fileHash(loaded.file) } : undefined,
    });
  });
}

/**
 * Make a run's runtime, let `root` make its top-level flow, run it to its end (cancelled if
 * `options.signal` aborts) and return its record, children read when looked at. Shared by
 * `runFlow` and `resumeFlow`.
 */
export async function runRoot(
  options: Omit<RunOptions, 'inputs' | 'name'> & { registry: TaskTypes },
  setup: RunSetup | undefined,
  root: (runtime: Runtime) => Promise<ExecutionState>,
): Promise<ExecutionTree> {
  const ownsStore = typeof options.store !== 'object';
  const store = typeof options.store === 'object' ? options.store : options.store === undefined ? new MemoryStore() : openStore(options.store);
  const redactor = new Redactor();
  if (Array.isArray(options.secrets)) for (const secret of options.secrets) redactor.addSecret(secret);
  const runtime = new Runtime(
    store,
    {
      registry: options.registry,
      configDir: options.configDir ?? defaultConfigDir(),
      filesDir: resolveFilesDir(options.filesDir, store.location),
      secrets: Array.isArray(options.secrets) ? undefined : options.secrets,
      connections: options.connections,
      isolated: options.isolated,
      network: networkPolicy(options, options.isolated ? {} : process.env),
      clock: options.clock,
      events: options.events,
    },
    redactor,
  );
  try {
    setup?.(runtime);
    const flow = new Execution(await root(runtime));
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
    // Its children are read when they are looked at: from this store, or, once the run has closed
    // the SQLite file it opened, from that file opened again.
    const location = store.location;
    const reopen = location !== ':memory:' && (ownsStore || store instanceof SqliteStore);
    return lazyTree(store.get(flow.execution_id)!, () =>
      reopen && (ownsStore || store.closed) ? { store: openStore(location), close: true } : { store, close: false },
    );
  } finally {
    runtime.resources.dispose();
    if (ownsStore) store.close();
  }
}

/** SHA-256 of a handler file's content: `flow show` says when the code changed between attempts. */
export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The top-level flow's body: its handler, or, when it cannot be loaded, the error it is recorded with. */
async function loadRoot(handler: unknown): Promise<Pick<LoadedHandler, 'type' | 'name' | 'baseDir' | 'file'> & { body: Body }> {
  try {
    const found = await loadHandler(handler, process.cwd());
    return { ...found, body: { kind: 'flow', handler: found.handler } };
  } catch (error) {
    const body: Body = { kind: 'rejected', error };
    return typeof handler === 'string'
      ? { type: handler, name: handlerName(handler), baseDir: process.cwd(), body }
      : { type: '<handler>', name: 'flow', baseDir: process.cwd(), body };
  }
}
