import { isFlowApiError } from '../model/errors.js';
import { isEndSignal } from '../model/signal.js';
import { STATUS, type EndStatus } from '../model/status.js';
import { describeValue, errorMessage } from '../util/describe.js';
import type { Body } from './body-kind.js';
import type { ExecutionState } from './state.js';
import type { System } from './system.js';

/** How a body ended; `message: undefined` keeps what the execution already has. */
export interface Outcome {
  status: EndStatus;
  message: string | null | undefined;
  /** A flow that failed because a child did (`DependencyFailedError`): that child, which a resume runs again. */
  cause?: string | undefined;
}

/** Run an execution's body; whatever it throws becomes an outcome, so a failure never escapes the runner. */
export async function runBody(state: ExecutionState, system: System): Promise<Outcome> {
  const body = state.init.body;
  const { runtime, writer } = state;
  try {
    switch (body.kind) {
      case 'rejected':
        throw body.error;
      case 'task': {
        const outputs = await body.definition.run(body.inputs, {
          execution_id: state.id,
          signal: state.controller.signal,
          log: (...values) => writer.log(values),
          setOutputs: (outputs) => writer.mergeOutputs(outputs),
          setMessage: (message) => void (state.fields.message = message),
          redactor: runtime.redactor,
          resources: runtime.resources,
          files: runtime.files,
          progress: (progress) => runtime.events.onProgress?.({ execution_id: state.id, name: state.fields.name, depth: state.depth, ...progress }),
          network: runtime.network,
          clock: runtime.clock,
        });
        writer.mergeOutputs(outputs as Record<string, unknown>);
        return { status: STATUS.ENDED_SUCCESS, message: undefined };
      }
      case 'flow':
        await (body.handler as (this: unknown, ...args: unknown[]) => unknown).call(state.facade, system, state.facade, state.init.inputs);
        return { status: STATUS.ENDED_SUCCESS, message: undefined };
    }
  } catch (error) {
    if (isEndSignal(error)) {
      if (error.executionId === state.id) return { status: error.status, message: error.message };
      const message = `an end call (${error.status}) for execution ${error.executionId} escaped into this one; call success()/error() on \`this\``;
      writer.log([message]);
      return { status: STATUS.ENDED_ERROR, message };
    }
    return failure(error, body.kind, state);
  }
}

function failure(error: unknown, kind: Body['kind'], state: ExecutionState): Outcome {
  if (!(error instanceof Error)) {
    const message = `the handler threw a non-Error value: ${describeValue(error)}`;
    state.writer.log([message]);
    return { status: STATUS.ENDED_ERROR, message };
  }
  const message = errorMessage(error);
  const cause = failedChild(error);
  if (cause) return { status: STATUS.ENDED_ERROR, message, cause };
  // Our own errors explain themselves in the message, which the record and the live log show
  // once; anything else gets its stack in the log, which is where its cause is.
  if (!isFlowApiError(error)) state.writer.log([kind === 'flow' && error.stack ? error.stack : `${error.name}: ${message}`]);
  return { status: STATUS.ENDED_ERROR, message };
}

/** The child a `DependencyFailedError` is about (recognised by name: the class lives above this module). */
function failedChild(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'DependencyFailedError') return undefined;
  const id = (error as { execution?: { execution_id?: unknown } }).execution?.execution_id;
  return typeof id === 'string' ? id : undefined;
}
