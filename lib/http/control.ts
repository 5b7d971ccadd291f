import type { Readable } from 'node:stream';
import type { TransferProgress } from '../core/task-definition.js';
import { BodyTooLargeSignal, ReadTimeoutSignal } from './signals.js';

/**
 * The timers and abort state of one exchange. Cancellation (the task's signal) goes to node-fetch
 * as it is; an abort of our own (a read timeout, a body too large) destroys the body stream once
 * the headers are in. Only a read timeout can fire before them, so only with `read_timeout` is a
 * second signal made and joined to the task's (an exchange without one makes no signal at all).
 */
export class Control {
  readonly local: AbortController | undefined;
  readonly signal: AbortSignal;
  phase: 'headers' | 'body' = 'headers';
  received = 0;
  /** Why we stopped the exchange ourselves, if we did. */
  reason: unknown;
  body: Readable | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly readTimeoutMs: number | null,
    readonly outer: AbortSignal,
    readonly onProgress: ((progress: TransferProgress) => void) | undefined,
  ) {
    this.local = readTimeoutMs === null ? undefined : new AbortController();
    this.signal = this.local ? AbortSignal.any([outer, this.local.signal]) : outer;
  }

  touch(): void {
    if (this.readTimeoutMs === null) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.abort(new ReadTimeoutSignal(this.phase, this.received)), this.readTimeoutMs);
  }

  abort(reason: unknown): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    if (this.body) {
      // Whoever reads the body hears of it through its own listeners (or has stopped reading):
      // the stream's own 'error' event must not go unheard.
      this.body.on('error', () => undefined).destroy(reason as Error);
    } else {
      this.local?.abort(reason);
    }
  }

  finish(): void {
    clearTimeout(this.#timer);
  }

  /** Report why we aborted rather than node-fetch's generic AbortError. */
  explain(error: unknown): unknown {
    if (this.outer.aborted) return this.outer.reason;
    if (this.reason instanceof ReadTimeoutSignal || this.reason instanceof BodyTooLargeSignal) return this.reason;
    return error;
  }
}
