/**
 * The error hierarchy users may catch. Each class means one thing, carries a stable `code`
 * (like got's `ERR_*`) and keeps `cause` when it wraps another error.
 */

const BRAND = Symbol.for('flow_api.FlowApiError');

export interface FlowApiErrorOptions {
  cause?: unknown;
  /** A suggestion for the reader, kept apart from the message. */
  hint?: string;
}

/** Base class of every error flow_api throws on purpose. */
export class FlowApiError extends Error {
  readonly [BRAND] = true;
  override name = 'FlowApiError';
  /** Stable machine-readable code. */
  readonly code: string = 'ERR_FLOW_API';
  readonly hint: string | undefined;

  constructor(message: string, options: FlowApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }

  /**
   * `instanceof` across copies of flow_api in one process: a mocha test that tsx loads as
   * CommonJS and a handler file loaded as an ES module each get their own copy of the classes, so
   * a plain prototype check would say a `DependencyFailedError` is not one. An error of another
   * copy counts when it carries the brand and a class of the same name in its prototype chain.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(BRAND in value)) return false;
    for (let proto = Object.getPrototypeOf(value) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
      if ((proto as { constructor?: { name?: string } }).constructor?.name === this.name) return true;
    }
    return false;
  }
}

/** A task input has the wrong type or value. */
export class InvalidInputError extends FlowApiError {
  override name = 'InvalidInputError';
  override readonly code: string = 'ERR_INVALID_INPUT';
  constructor(
    message: string,
    /** The input's name, when one input is at fault. */
    readonly input?: string,
    options?: FlowApiErrorOptions,
  ) {
    super(message, options);
  }
}

/** A required task input is missing. */
export class MissingInputError extends InvalidInputError {
  override name = 'MissingInputError';
  override readonly code = 'ERR_MISSING_INPUT';
}

/** A task input is not one the task type knows (often a typo). */
export class ExtraInputError extends InvalidInputError {
  override name = 'ExtraInputError';
  override readonly code = 'ERR_EXTRA_INPUT';
  constructor(
    message: string,
    input: string,
    /** The closest valid input name, when one is close enough. */
    readonly suggestion: string | undefined,
  ) {
    super(message, input);
  }
}

/** `task(type)` named a task type that is not registered. */
export class UnknownTaskTypeError extends FlowApiError {
  override name = 'UnknownTaskTypeError';
  override readonly code = 'ERR_UNKNOWN_TASK_TYPE';
}

/** A handler module could not be loaded or has no handler function. */
export class HandlerLoadError extends FlowApiError {
  override name = 'HandlerLoadError';
  override readonly code = 'ERR_HANDLER_LOAD';
}

/** The execution store could not be opened, read or written. */
export class StoreError extends FlowApiError {
  override name = 'StoreError';
  override readonly code = 'ERR_STORE';
}

/**
 * A task ran and failed (an unexpected status, a network error, a timeout...). Task types
 * subclass it; `outputs` are what the task could still record (a REST task's status and body).
 */
export class TaskError extends FlowApiError {
  override name = 'TaskError';
  override readonly code: string = 'ERR_TASK_FAILED';
}

/**
 * A resumed run met a task that was in flight when the run stopped and that is not safe to send
 * twice (a POST or PATCH without an idempotency key): whether the server acted on it is unknown.
 * The message names the task and says how to go on (`--resend`, or `--skip` with the outputs).
 */
export class AmbiguousOutcomeError extends FlowApiError {
  override name = 'AmbiguousOutcomeError';
  override readonly code = 'ERR_AMBIGUOUS_OUTCOME';
}

/**
 * A resumed run's handler did not make the calls its journal recorded: another task type or other
 * inputs at a place (`seq`), a call where a value was recorded, or fewer calls than recorded.
 * Replaying it would give the handler answers meant for other calls, so the run stops. Guard a
 * deliberate change with `this.patched('id')`.
 */
export class NonDeterminismError extends FlowApiError {
  override name = 'NonDeterminismError';
  override readonly code = 'ERR_NON_DETERMINISM';
}

/** `resume()` or `flow rerun` cannot start: the run, its handler or an option is not what it takes. */
export class ResumeError extends FlowApiError {
  override name = 'ResumeError';
  override readonly code = 'ERR_RESUME';
}

/** Brand check for any flow_api error, safe across duplicate copies of the library. */
export function isFlowApiError(value: unknown): value is FlowApiError {
  return value instanceof Error && (value as unknown as Record<symbol, unknown>)[BRAND] === true;
}
