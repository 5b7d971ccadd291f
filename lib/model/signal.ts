import type { EndStatus } from './status.js';

const END_SIGNAL = Symbol.for('flow_api.EndSignal');

/**
 * Thrown by `success()`, `error()` and `end()` to leave the handler at once. It is not an
 * `Error` so a habitual `catch (e) { if (e instanceof Error) ... }` passes it on; and because a
 * bare `catch` still sees it, every later call on the ended execution throws it again
 * (see API.md: the first end call fixes the outcome).
 */
export class EndSignal {
  readonly [END_SIGNAL] = true;
  readonly name = 'EndSignal';
  constructor(
    /** The id of the execution that was ended. */
    readonly executionId: string,
    readonly status: EndStatus,
    readonly message: string | null,
  ) {}

  toString(): string {
    return `EndSignal(${this.status}${this.message === null ? '' : `: ${this.message}`})`;
  }
}

/**
 * Brand check instead of `instanceof`: a handler run through tsx can load a second copy of
 * this module, whose class would not be the runner's.
 */
export function isEndSignal(value: unknown): value is EndSignal {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[END_SIGNAL] === true;
}
