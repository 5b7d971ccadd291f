import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as runFlow, type RunOptions } from '../compose/run.js';
import type { AnyObject } from '../core/execution.js';
import type { Handler } from '../core/execution.js';
import type { ExecutionTree, JsonValue } from '../model/record.js';
import { MemoryStore } from '../store/memory.js';
import { realClock, VirtualClock } from '../core/clock.js';
import { openStore } from '../store/open.js';

/** `run()` for tests: everything the flow needs given in place of files and the environment. */
export interface TestRunOptions<I extends object = AnyObject> extends Omit<RunOptions<I>, 'secrets'> {
  /** Secrets by name, read by `system.secret()` and `{ secret: 'NAME' }`; nothing is read from the environment or `.flow/`. */
  secrets?: Record<string, string>;
  /** Settings present before the run (`system.setting(name).get('value')`). */
  settings?: Record<string, JsonValue>;
  /** Files in the run's files folder before the handler starts, name → content. */
  files?: Record<string, string | Buffer>;
  /**
   * Run on real time. Default `false`: a virtual clock, under which retry delays, backoff,
   * Retry-After and `sleep()` are computed and recorded but take no wall time, so a test of a flow
   * that retries three times or sleeps a minute finishes at once. Socket timeouts stay real.
   */
  realTime?: boolean;
}

/**
 * Run a handler (a function or a module path) in an in-memory store and return its finished
 * record tree. Secrets, settings, files, connections and grants come from the options only, so
 * a test sees the same thing on every machine.
 */
export async function run<I extends object = AnyObject>(handler: Handler<I> | string, options: TestRunOptions<I> = {}): Promise<ExecutionTree> {
  const { settings, secrets, realTime, ...rest } = options;
  // Files the flow writes or downloads go to a folder of this run (removed when the process
  // exits), never to the project's .flow/files: tests do not see each other's files.
  const filesDir = options.filesDir ?? scratchFolder();
  // A store given as a path is opened here (and closed after), so `settings` reach it too.
  const store = typeof options.store === 'string' ? openStore(options.store) : (options.store ?? new MemoryStore());
  try {
    for (const [name, value] of Object.entries(settings ?? {})) store.saveSetting(name, value);
    return await runFlow(handler, {
      clock: realTime ? realClock : new VirtualClock(),
      ...rest,
      filesDir,
      store,
      // A test must not depend on FLOW_SECRET_*, secrets.env, connections.json or grants.json.
      secrets: secrets ?? {},
      isolated: options.isolated ?? true,
    });
  } finally {
    if (typeof options.store === 'string') store.close();
  }
}

const scratch: string[] = [];

function scratchFolder(): string {
  if (scratch.length === 0) process.once('exit', () => scratch.forEach((path) => rmSync(path, { recursive: true, force: true })));
  const path = mkdtempSync(join(tmpdir(), 'flow-test-files-'));
  scratch.push(path);
  return path;
}
