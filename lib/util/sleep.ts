import { setTimeout as delay } from 'node:timers/promises';

/** Node's timers hold at most 2^31-1 ms (24.8 days); a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Wait `ms` milliseconds, any number of them (longer waits are chained below the timer limit).
 * Resolves early, without an error, when `signal` aborts: the caller looks at the signal.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let remaining = ms;
  while (remaining > 0 && !signal?.aborted) {
    const step = Math.min(remaining, MAX_TIMER_MS);
    try {
      await delay(step, undefined, signal ? { signal } : undefined);
    } catch {
      return; // aborted
    }
    remaining -= step;
  }
}
