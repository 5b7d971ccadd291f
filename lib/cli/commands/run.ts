import { existsSync, statSync } from 'node:fs';
import { configPaths, defaultConfigDir } from '../../core/config/files.js';
import { run } from '../../compose/run.js';
import { STATUS } from '../../model/status.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { RunEvents } from '../../core/events.js';
import type { ExecutionTree } from '../../model/record.js';
import { writeTreeJson } from '../../store/tree-json.js';
import { formatRunSummary } from '../format.js';
import { terminalEvents } from '../terminal.js';
import { ProgressDisplay } from '../progress.js';
import { parseInputs, UsageError } from '../usage.js';
import type { Output } from '../output.js';
import { prepareHandlerLoading } from '../loader.js';

export interface RunCommandOptions {
  input: string[];
  inputsJson?: string;
  json?: boolean;
  db?: string;
  name?: string;
  quiet?: boolean;
}

/** `flow run FILE`: run a handler, print its log live and its summary; 0 success, 1 failure. */
export async function runCommand(file: string, options: RunCommandOptions, out: Output): Promise<number> {
  const inputs = parseInputs(options.input, options.inputsJson);
  if (!existsSync(file)) throw new UsageError(`handler file "${file}" does not exist`);
  await prepareHandlerLoading(file);
  warnAboutSecretsFile(out);
  return reportRun(options, out, (common) => run(file, { ...common, inputs, ...(options.name ? { name: options.name } : {}) }));
}

/** What `flow run`, `flow resume` and `flow rerun` have in common: the store, the live log, Ctrl-C, the summary. */
export interface ReportOptions {
  json?: boolean;
  db?: string;
  quiet?: boolean;
}

/**
 * Open the store, run `start` with the live log and Ctrl-C wired to it, print the summary (or
 * stream the record as JSON); 0 when the flow ended ENDED_SUCCESS, else 1.
 */
export async function reportRun(
  options: ReportOptions,
  out: Output,
  start: (common: { store: Store; events?: RunEvents; signal: AbortSignal }) => Promise<ExecutionTree>,
): Promise<number> {
  const store = openStore(options.db);
  for (const warning of store.warnings ?? []) out.err(`flow: warning: ${warning}`);
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    out.err(`received ${signal}: cancelling the flow (press Ctrl-C again to exit at once)`);
    if (abort.signal.aborted) process.exit(130);
    abort.abort(new Error(`received ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = new ProgressDisplay(process.stderr);
  try {
    const tree = await start({
      store,
      ...(options.quiet ? {} : { events: terminalEvents(out.err, progress.enabled ? progress : undefined) }),
      signal: abort.signal,
    });
    // The record is read back from the store, a batch of children at a time (never the whole tree at once).
    if (options.json) await writeTreeJson(store, tree.execution_id, (text) => (out.write ? out.write(text) : out.out(text.trimEnd())));
    else out.out(formatRunSummary(store, tree));
    return tree.status === STATUS.ENDED_SUCCESS ? 0 : 1;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store.close();
  }
}

/** A secrets file others can read is a leak waiting to happen: say so (the run goes on). */
function warnAboutSecretsFile(out: Output): void {
  const file = configPaths(defaultConfigDir()).secrets;
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      out.err(`warning: the secrets file ${file} can be read by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
    }
  } catch {
    /* no secrets file: nothing to warn about */
  }
}
