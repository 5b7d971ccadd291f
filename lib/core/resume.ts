import { existsSync } from 'node:fs';
import { HandlerLoadError, ResumeError } from '../model/errors.js';
import type { ExecutionRecord, ExecutionTree } from '../model/record.js';
import { STATUS } from '../model/status.js';
import { withStore } from '../store/open.js';
import { ORPHAN_MESSAGE, type JournalEntry, type Store } from '../store/store.js';
import { isPlainObject } from '../util/describe.js';
import type { Handler } from './execution.js';
import { loadHandler, type LoadedHandler } from './handler.js';
import { AMBIGUOUS_PREFIX, Journal } from './journal.js';
import { fileHash, runRoot, type RunOptions, type RunSetup } from './run.js';
import { ExecutionState, type Init } from './state.js';
import type { Runtime } from './runtime.js';
import type { TaskTypes } from './task-definition.js';

/** What `resume()` and `rerun()` take beyond `run()`'s options. */
export interface ResumeOptions extends Omit<RunOptions, 'inputs' | 'name'> {
  /** Inputs to give again: they replace the recorded ones of the same name (which are masked where they held a secret). */
  inputs?: Record<string, unknown>;
  /** Calls that were in flight when the run stopped, by seq (`4`, or `2.4` inside the 2nd child flow), to send again whatever they are. */
  resend?: string[];
  /** Calls that were in flight, by seq, to record as done with these outputs (what the server did). */
  skip?: Record<string, Record<string, unknown>>;
  /** The handler, for a run whose handler was a function (one from a file is loaded again from it). */
  handler?: Handler;
}

type Options = ResumeOptions & { registry: TaskTypes };

/**
 * Resume a top-level run that did not end ENDED_SUCCESS (crashed, failed or cancelled): its
 * handler runs again from the top, as the same execution (attempt 2, 3, ...), and each call it
 * makes is matched by seq against the journal (its records): ended calls are handed back as
 * recorded, the failure that ended the run runs again, a call in flight runs again only if that
 * is safe (see the README's "Resume a run"). Bad input is a `ResumeError`, and changes nothing.
 */
export async function resumeFlow(id: string, options: Options, setup?: RunSetup): Promise<ExecutionTree> {
  return withStore(options.store, async (store) => {
    const root = findRun(store, id);
    if (root.status === STATUS.ENDED_SUCCESS) {
      throw new ResumeError(
        `run ${root.execution_id} ended ENDED_SUCCESS: there is nothing to resume (flow rerun ${root.execution_id} --from SEQ runs part of it again)`,
      );
    }
    const run = store.run(root.execution_id);
    if (run?.alive || (root.status === STATUS.RUNNING && !run)) {
      throw new ResumeError(
        `run ${root.execution_id} is running (process ${run?.owner ?? 'unknown'}, last heard of ${run?.heartbeat_at ?? 'never'}): a run can be resumed once it has stopped`,
      );
    }
    const loaded = await handlerOf(root, run?.handler ?? null, options.handler);
    const inputs = inputsOf(root, options.inputs);
    const resend = new Set(options.resend ?? []);
    const skip = new Map(Object.entries(options.skip ?? {}));
    for (const path of [...resend, ...skip.keys()]) checkInFlight(store, root, path, resend.has(path) ? '--resend' : '--skip');
    for (const [path, outputs] of skip) {
      if (!isPlainObject(outputs)) throw new ResumeError(`--skip ${path}: the outputs to record must be a JSON object, got ${JSON.stringify(outputs)}`);
    }
    const reason = root.message === ORPHAN_MESSAGE ? 'crashed' : root.status === STATUS.ENDED_CANCELLED ? 'cancelled' : 'failed';
    const hash = loaded.file ? fileHash(loaded.file) : null;
    const attempt = run?.attempt ?? 1;
    return runRoot({ ...options, store }, setup, async (runtime) => {
      store.beginAttempt(
        root.execution_id,
        {
          attempt,
          started_at: root.created_at,
          ended_at: root.ended_at,
          status: root.status,
          message: root.message,
          resumed_because: reason,
          handler_hash: run?.handler_hash ?? null,
        },
        hash,
      );
      const journal = new Journal(store, { resend, skip });
      journal.setCause(root.execution_id, store.causeOf(root.execution_id));
      runtime.journal = journal;
      const changed = hash !== null && run?.handler_hash && run.handler_hash !== hash ? '; the handler file changed since the last attempt' : '';
      return rootState(runtime, root, loaded, inputs, {
        id: root.execution_id,
        resumed: { kind: 'rerun', record: root, why: `attempt ${attempt + 1}, after the run ${reason}${changed}` },
      });
    });
  });
}

/**
 * Start a new run of a recorded run's handler that hands back the recorded calls before seq
 * `fromSeq` (copied into the new run) and runs the rest live: "retry from this step" (n8n),
 * `forkWorkflow` (DBOS). Every call before `fromSeq` must have ended ENDED_SUCCESS.
 */
export async function rerunFlow(id: string, fromSeq: number, options: Options, setup?: RunSetup): Promise<ExecutionTree> {
  if (!Number.isInteger(fromSeq) || fromSeq < 1)
    throw new ResumeError(`--from must be a seq >= 1 (the place of a child of the run, as flow show prints it), got ${fromSeq}`);
  return withStore(options.store, async (store) => {
    const root = findRun(store, id);
    if (store.run(root.execution_id)?.alive) throw new ResumeError(`run ${root.execution_id} is running: it can be run again from a seq once it has stopped`);
    for (const entry of store.journal(root.execution_id, 0, fromSeq - 1)) {
      if (entry.status !== STATUS.ENDED_SUCCESS) {
        throw new ResumeError(
          `seq ${entry.seq} of run ${root.execution_id} (${entry.kind} ${entry.type} "${entry.name}") ended ${entry.status}: only calls that succeeded are reused; run again from it: --from ${entry.seq}`,
        );
      }
    }
    const loaded = await handlerOf(root, store.run(root.execution_id)?.handler ?? null, options.handler);
    const inputs = inputsOf(root, options.inputs);
    return runRoot({ ...options, store }, setup, async (runtime) => {
      const state = rootState(runtime, root, loaded, inputs, {
        handler: loaded.file ? { path: loaded.file, hash: fileHash(loaded.file) } : undefined,
      });
      runtime.journal = new Journal(store, { source: { rootId: root.execution_id, newRootId: state.id, fromSeq } });
      state.replaying = true;
      return state;
    });
  });
}

/** The top-level flow of a recorded run, run again: as the same execution (`id`), or as a new one. */
function rootState(
  runtime: Runtime,
  root: ExecutionRecord,
  loaded: LoadedHandler,
  inputs: Record<string, unknown>,
  extra: Pick<Init, 'id' | 'resumed' | 'handler'>,
): ExecutionState {
  return new ExecutionState(runtime, {
    parent: null,
    kind: 'flow',
    type: root.type,
    name: root.name,
    inputs,
    body: { kind: 'flow', handler: loaded.handler },
    baseDir: loaded.baseDir,
    ...extra,
  });
}

function findRun(store: Store, id: string): ExecutionRecord {
  const resolved = store.resolveId(id);
  const root = resolved === undefined ? undefined : store.get(resolved);
  if (!root) throw new ResumeError(`no execution with id or unique id prefix "${id}" in ${store.location}`);
  if (root.parent_id !== null) {
    throw new ResumeError(
      `execution ${root.execution_id} is a ${root.kind} inside run ${root.root_id}: a run is resumed whole, from its top-level flow (flow resume ${root.root_id})`,
    );
  }
  return root;
}

async function handlerOf(root: ExecutionRecord, file: string | null, given: Handler | undefined): Promise<LoadedHandler> {
  if (given) return loadHandler(given, process.cwd());
  if (!file) {
    throw new ResumeError(`run ${root.execution_id} has no handler file on record (${root.type}): give resume() its handler ({ handler })`);
  }
  if (!existsSync(file)) throw new ResumeError(`the handler file of run ${root.execution_id}, ${file}, is gone: put it back to resume the run`);
  try {
    return await loadHandler(file, process.cwd());
  } catch (error) {
    if (error instanceof HandlerLoadError) throw new ResumeError(`run ${root.execution_id} cannot be resumed: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The recorded inputs, with the ones given again; a value still masked would run the handler with `***`. */
function inputsOf(root: ExecutionRecord, given: Record<string, unknown> | undefined): Record<string, unknown> {
  const inputs = { ...root.input_value, ...given };
  const masked = Object.keys(inputs).filter((key) => JSON.stringify(inputs[key]).includes('"***"'));
  if (masked.length) {
    throw new ResumeError(
      `run ${root.execution_id} recorded its input${masked.length > 1 ? 's' : ''} ${masked.join(', ')} masked (a secret): give ${masked.length > 1 ? 'them' : 'it'} again (flow resume ${root.execution_id} --input ${masked[0]}=...)`,
    );
  }
  return inputs;
}

/** `--resend`/`--skip PATH` must name a task whose outcome is unknown: in flight when the run stopped. */
function checkInFlight(store: Store, root: ExecutionRecord, path: string, option: string): void {
  if (!/^\d+(\.\d+)*$/.test(path))
    throw new ResumeError(`${option} takes a seq as flow show prints it (4, or 2.4 inside the 2nd child flow), got ${JSON.stringify(path)}`);
  let parent = root.execution_id;
  let entry: JournalEntry | undefined;
  for (const seq of path.split('.').map(Number)) {
    entry = store.journalEntry(parent, seq);
    if (!entry) throw new ResumeError(`${option} ${path}: run ${root.execution_id} has no call at seq ${path}`);
    parent = entry.execution_id;
  }
  const inFlight =
    entry!.kind === 'task' && (entry!.status === STATUS.RUNNING || entry!.message === ORPHAN_MESSAGE || entry!.message?.startsWith(AMBIGUOUS_PREFIX));
  if (!inFlight) {
    throw new ResumeError(
      `${option} ${path}: ${entry!.kind} ${entry!.type} "${entry!.name}" ended ${entry!.status}${entry!.message ? ` (${entry!.message.slice(0, 120)})` : ''}: only a task that was in flight when the run stopped has an unknown outcome to resend or skip`,
    );
  }
}
