import { SerializedJson } from '../store/store.js';
import { EndSignal } from '../model/signal.js';
import { STATUS, type EndStatus } from '../model/status.js';
import { runBody, type Outcome } from './body.js';
import { checkEndStatus } from './checks.js';
import { protectedCopy } from './protect.js';
import type { ExecutionState } from './state.js';
import type { System } from './system.js';

/** Start once; the promise settles (never rejects) when the execution has ended. */
export function start(state: ExecutionState, system: () => System): Promise<void> {
  state.started ??= execute(state, system);
  return state.started;
}

/** A task whose inputs were refused never ran: it is recorded, but the live log tells the refusal once, where it lands. */
function quiet(state: ExecutionState): boolean {
  return state.init.body.kind === 'rejected' && state.init.kind === 'task';
}

async function execute(state: ExecutionState, system: () => System): Promise<void> {
  const { runtime, fields, init } = state;
  const startedAt = runtime.clock.now();
  fields.created_at = new Date(startedAt).toISOString();
  fields.status = STATUS.RUNNING;
  runtime.live.set(state.id, state);
  const inputsText = init.inputsText ?? runtime.redactor.serialize(protectedCopy(init.recordedInputs ?? init.inputs, state.protect.inputs));
  if (init.resumed?.kind === 'rerun') {
    reopenRecord(state, fields.created_at, init.resumed.why);
  } else {
    runtime.store.insert({
      execution_id: state.id,
      parent_id: fields.parent_id,
      seq: init.seq ?? null,
      root_id: state.root().id,
      kind: init.kind,
      type: init.type,
      name: fields.name,
      input_value: new SerializedJson(inputsText),
      input_hash: init.inputHash ?? null,
      handler: init.handler,
      created_at: fields.created_at,
    });
  }
  // The top-level flow's start is committed at once: a store that cannot be written fails the run
  // here. A task that must not run twice (a POST) starts only once its start is committed, with
  // every write before it (so no earlier task's end is lost once it has left); any other task
  // starts at once, its start committed with the rest of this turn's writes.
  const task = init.kind === 'task';
  if (task) runtime.runningTasks++;
  if (!init.parent) runtime.store.flush();
  else if (init.body.kind === 'task' && init.body.definition.writeAhead?.(init.body.inputs)) await runtime.store.committed();
  // Alone, a task starts at once; beside others, at the end of the turn, with every task started in it.
  else if (task && runtime.runningTasks > 1) await runtime.nextTurn();
  if (!quiet(state)) {
    runtime.events.onStart?.({ execution_id: state.id, parent_id: fields.parent_id, kind: init.kind, type: init.type, name: fields.name, depth: state.depth });
  }
  let outcome: Outcome = state.endSignal ? { status: state.endSignal.status, message: state.endSignal.message } : await runBody(state, system());
  if (state.replaying && outcome.status === STATUS.ENDED_SUCCESS && !state.endSignal) outcome = consumedJournal(state) ?? outcome;
  // The first end call wins over whatever the handler did afterwards.
  if (state.endSignal) outcome = { status: state.endSignal.status, message: state.endSignal.message };
  await settleChildren(state);
  fields.status = outcome.status;
  if (outcome.message !== undefined) fields.message = outcome.message;
  const endedAt = runtime.clock.now();
  const duration = Math.round(endedAt - startedAt) / 1000;
  fields.ended_at = new Date(endedAt).toISOString();
  fields.duration = duration;
  state.writer.writeEnd({ status: outcome.status, ended_at: fields.ended_at, duration, ...(outcome.cause ? { cause_id: outcome.cause } : {}) });
  // The end joins this turn's group commit; the handler goes on at once (what a crash can lose:
  // see "Records" in the README). The top-level flow's end is committed before run() returns.
  if (!init.parent) runtime.store.flush();
  // An ended execution needs no cancelling and is read from the store by id: a flow that runs
  // 100,000 tasks holds only the ones still running (and those its handler keeps).
  init.parent?.children.delete(state);
  runtime.live.delete(state.id);
  if (task) runtime.runningTasks--;
  if (!quiet(state)) {
    runtime.events.onEnd?.({
      execution_id: state.id,
      kind: init.kind,
      name: fields.name,
      depth: state.depth,
      status: fields.status as EndStatus,
      message: fields.message === null ? null : runtime.redactor.maskText(fields.message),
      duration,
    });
  }
}

/** A new attempt in the record an execution already has (`flow resume`): reset to running, and say why in its log. */
function reopenRecord(state: ExecutionState, createdAt: string, why: string | undefined): void {
  const { runtime, fields, init } = state;
  const line = { [createdAt]: [`run again on resume: ${why ?? 'resumed'}`] };
  fields.log.push(line);
  runtime.store.update(state.id, {
    status: STATUS.RUNNING,
    created_at: createdAt,
    message: null,
    output_value: new SerializedJson('{}'),
    ended_at: null,
    duration: null,
    cause_id: null,
    ...(init.kind === 'task' ? { log: new SerializedJson(JSON.stringify(fields.log)) } : {}),
  });
  if (init.kind === 'flow') runtime.store.appendLog(state.id, line);
}

/** A resumed flow that returned without making every call its journal recorded did not replay what it ran: say so. */
function consumedJournal(state: ExecutionState): Outcome | undefined {
  try {
    state.runtime.journal?.checkConsumed(state.id, state.path, state.childSeq);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    state.writer.log([`${(error as Error).name}: ${message}`]);
    return { status: STATUS.ENDED_ERROR, message };
  }
}

/** Children still running when their parent ends are cancelled, and waited for, so no record stays RUNNING. */
async function settleChildren(state: ExecutionState): Promise<void> {
  const running = [...state.children].filter((c) => c.started && c.fields.status === STATUS.RUNNING);
  for (const child of running) cancel(child, `cancelled because its parent ${state.init.kind} ${state.fields.name} ended`);
  await Promise.all(running.map((c) => c.started));
}

/** An end call (`success()`, `error()`, `end()`): the first one fixes the outcome, and every later call throws it again. */
export function endNow(state: ExecutionState, status: EndStatus, message: string | undefined): never {
  state.assertActive();
  checkEndStatus(status);
  state.endSignal = new EndSignal(state.id, status, message === undefined || message === null ? null : String(message));
  throw state.endSignal;
}

/** Cancel an execution and its children: they end `ENDED_CANCELLED`. */
export function cancel(state: ExecutionState, reason: string): void {
  if (state.endSignal || state.ended) return;
  // Like an end call: the handler stops at its next call on this execution.
  state.endSignal = new EndSignal(state.id, STATUS.ENDED_CANCELLED, reason);
  state.controller.abort(new Error(reason));
  for (const child of state.children) cancel(child, reason);
}
