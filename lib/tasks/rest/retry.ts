import type { Backoff } from './normalize.js';

/**
 * The delay before retry number `retry` (1 = before the second try):
 * `min(initial * multiplier^(retry-1), maximum)`, never under 1 s. The floor keeps a
 * misconfigured `initial: 0` from hammering a struggling server (Cloudomation's rule too).
 */
export function backoffDelayMs(retry: number, backoff: Backoff): number {
  return Math.max(MIN_DELAY_MS, Math.min(backoff.initialMs * backoff.multiplier ** (retry - 1), backoff.maximumMs));
}

const MIN_DELAY_MS = 1000;

/** Retry-After values are clamped to this (a year): beyond any deadline, and far from timer overflow. */
const RETRY_AFTER_CAP_MS = 365 * 24 * 3600 * 1000;

/** A `Retry-After` header in milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, RETRY_AFTER_CAP_MS);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), RETRY_AFTER_CAP_MS);
}

export type RetryDecision =
  | { retry: true; delayMs: number; note?: string }
  /** `byServer`: the server's Retry-After ended the retries, which the task's message then says. */
  | { retry: false; reason: string; byServer?: boolean };

/**
 * Whether to try again, and when: the backoff, or the server's `Retry-After` when it asks for
 * longer. A try before the server's time is one it told us it would refuse (RFC 9110 §10.2.3),
 * so a Retry-After that ends after the deadline ends the retries.
 */
export function decideRetry(options: { retry: number; elapsedMs: number; backoff: Backoff; retryAfterMs?: number | undefined }): RetryDecision {
  const { retry, elapsedMs, backoff, retryAfterMs } = options;
  let delayMs = backoffDelayMs(retry, backoff);
  let note: string | undefined;
  if (retryAfterMs !== undefined && retryAfterMs >= delayMs) {
    if (elapsedMs + retryAfterMs > backoff.deadlineMs) {
      return {
        retry: false,
        reason: `no retry: the server asked to wait ${seconds(retryAfterMs)} s (Retry-After), which ends after the retry deadline of ${seconds(backoff.deadlineMs)} s`,
        byServer: true,
      };
    }
    delayMs = retryAfterMs;
    note = `honouring Retry-After of ${seconds(retryAfterMs)} s`;
  }
  if (elapsedMs + delayMs > backoff.deadlineMs) {
    return { retry: false, reason: `no retry: the next try would start after the retry deadline of ${seconds(backoff.deadlineMs)} s` };
  }
  return note === undefined ? { retry: true, delayMs } : { retry: true, delayMs, note };
}

export function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}
