import type { EndStatus } from '../model/status.js';
import { STATUS } from '../model/status.js';
import { isEndSignal } from '../model/signal.js';
import { isFlowApiError } from '../model/errors.js';
import type { TaskDefinition, TransferProgress } from '../tasks/registry.js';
import { describeValue, errorMessage } from '../util/describe.js';
import type { Execution } from './execution.js';
import type { Handler } from './handler.js';
import type { Runtime } from './runtime.js';
import type { System } from './system.js';

/** What an execution runs. */
export type Body =
  | { kind: 'task'; definition: TaskDefinition; inputs: unknown }
  | { kind: 'flow'; handler: Handler<any> }
  /** Inputs or the handler could not be loaded: the execution records the error and fails. */
  | { kind: 'rejected'; error: unknown };

export interface BodyContext {
  self: Execution<any, any>;
  system: System;
  inputs: Record<string, unknown>;
  signal: AbortSignal;
  executionId: string;
  runtime: Runtime;
  log(values: unknown[]): void;
  setOutputs(outputs: Record<string, unknown>): void;
  setMessage(message: string): void;
  progress(progress: TransferProgress): void;
}

/** How a body ended; `message: undefined` keeps what the execution already has. */
export interface Outcome {
  status: EndStatus;
  message: string | null | undefined;
}

/** Run a body; whatever it throws becomes an outcome, so a failure never escapes the runner. */
export async function runBody(body: Body, ctx: BodyContext): Promise<Outcome> {
  try {
    switch (body.kind) {
      case 'rejected':
        throw body.error;
      case 'task': {
        const outputs = await body.definition.run(body.inputs, {
          execution_id: ctx.executionId,
          signal: ctx.signal,
          log: (...values) => ctx.log(values),
          setOutputs: ctx.setOutputs,
          setMessage: ctx.setMessage,
          redactor: ctx.runtime.redactor,
          resources: ctx.runtime.resources,
          files: ctx.runtime.files,
          progress: ctx.progress,
          network: ctx.runtime.network,
          get tokens() {
            return ctx.runtime.tokens;
          },
        });
        ctx.setOutputs(outputs as Record<string, unknown>);
        return { status: STATUS.ENDED_SUCCESS, message: undefined };
      }
      case 'flow':
        await body.handler.call(ctx.self, ctx.system, ctx.self, ctx.inputs);
        return { status: STATUS.ENDED_SUCCESS, message: undefined };
    }
  } catch (error) {
    if (isEndSignal(error)) {
      if (error.executionId === ctx.executionId) return { status: error.status, message: error.message };
      const message = `an end call (${error.status}) for execution ${error.executionId} escaped into this one; call success()/error() on \`this\``;
      ctx.log([message]);
      return { status: STATUS.ENDED_ERROR, message };
    }
    return failure(error, body.kind, ctx);
  }
}

function failure(error: unknown, kind: Body['kind'], ctx: BodyContext): Outcome {
  if (!(error instanceof Error)) {
    const message = `the handler threw a non-Error value: ${describeValue(error)}`;
    ctx.log([message]);
    return { status: STATUS.ENDED_ERROR, message };
  }
  const message = errorMessage(error);
  // Our own errors explain themselves in the message, which the record and the live log show
  // once; anything else gets its stack in the log, which is where its cause is.
  if (!isFlowApiError(error)) ctx.log([kind === 'flow' && error.stack ? error.stack : `${error.name}: ${message}`]);
  return { status: STATUS.ENDED_ERROR, message };
}
