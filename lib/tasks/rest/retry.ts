import type { Backoff } from './normalize.js';

/**
 * The delay before retry number `retry` (1 = before the second try):
 * `min(initial * multiplier^(retry-1), maximum)`, never under 1 s. The floor keeps a
 * misconfigured `initial: 0` from hammering a struggling server (Cloudomation's rule too).
 */
export function backoffDelayMs(retry: number, backoff: Backoff): number {
  return Math.max(MIN_DELAY_MS, Math.min(backoff.initialMs * backoff.multiplier ** (retry - 1), backoff.maximumMs));
}

export const MIN_DELAY_MS = 1000;

/** A `Retry-After` header in milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export type RetryDecision = { retry: true; delayMs: number; note?: string } | { retry: false; reason: string };

/** Whether to try again, and when: the backoff, stretched by `Retry-After` when that fits the deadline. */
export function decideRetry(options: { retry: number; elapsedMs: number; backoff: Backoff; retryAfterMs?: number | undefined }): RetryDecision {
  const { retry, elapsedMs, backoff, retryAfterMs } = options;
  let delayMs = backoffDelayMs(retry, backoff);
  let note: string | undefined;
  if (retryAfterMs !== undefined && retryAfterMs > delayMs) {
    if (elapsedMs + retryAfterMs <= backoff.deadlineMs) {
      delayMs = retryAfterMs;
      note = `honouring Retry-After of ${seconds(retryAfterMs)} s`;
    } else {
      note = `Retry-After of ${seconds(retryAfterMs)} s ignored: it ends after the retry deadline of ${seconds(backoff.deadlineMs)} s`;
    }
  }
  if (elapsedMs + delayMs > backoff.deadlineMs) {
    return { retry: false, reason: `no retry: the next try would start after the retry deadline of ${seconds(backoff.deadlineMs)} s` };
  }
  return note === undefined ? { retry: true, delayMs } : { retry: true, delayMs, note };
}

export function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}
