import { sleep } from '../util/sleep.js';

/**
 * The run's time. Retries, backoff, Retry-After, `sleep()` and deadlines read it, and records are
 * stamped with it, so a test can replace it: `flow_api/testing`'s `run()` uses a
 * {@link VirtualClock} by default, under which a flow that retries three times or sleeps a minute
 * finishes at once while its record shows the delays that were computed. Socket timeouts
 * (`connect_timeout`, `read_timeout`) guard real I/O and stay on real time.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Wait `ms`; resolves early (without an error) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real time. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
};

/**
 * Time that moves only when the run waits: `sleep(ms)` moves it on by `ms` and resolves at
 * once (after other pending work of this turn of the event loop), so waits cost no wall time.
 * Between waits it follows real time, so durations of real work still show.
 */
export class VirtualClock implements Clock {
  #skipped = 0;

  constructor(readonly start = Date.now()) {}

  now(): number {
    return Date.now() + this.#skipped;
  }

  /** Milliseconds skipped so far. */
  get skipped(): number {
    return this.#skipped;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      setImmediate(() => {
        if (!signal?.aborted && ms > 0) this.#skipped += ms;
        resolve();
      });
    });
  }
}
