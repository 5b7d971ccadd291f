import { expect } from 'chai';
import { backoffDelayMs, decideRetry, parseRetryAfter } from '../../lib/tasks/rest/retry.js';

const backoff = { initialMs: 1000, maximumMs: 60_000, multiplier: 2, deadlineMs: 600_000 };

describe('REST retry policy', () => {
  it('the n-th delay is min(initial * multiplier^(n-1), maximum)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(n, backoff))).to.deep.equal([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });

  it('never waits less than 1 s between tries', () => {
    expect(backoffDelayMs(1, { ...backoff, initialMs: 0 })).to.equal(1000);
    expect(backoffDelayMs(3, { ...backoff, initialMs: 100, multiplier: 1 })).to.equal(1000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).to.equal(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).to.equal(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
  });

  it('honours a longer Retry-After that fits the deadline', () => {
    expect(decideRetry({ retry: 1, elapsedMs: 0, backoff, retryAfterMs: 5000 })).to.deep.equal({
      retry: true,
      delayMs: 5000,
      note: 'honouring Retry-After of 5 s',
    });
  });

  it('keeps the computed delay when Retry-After is shorter', () => {
    expect(decideRetry({ retry: 3, elapsedMs: 0, backoff, retryAfterMs: 1000 })).to.deep.equal({ retry: true, delayMs: 4000 });
  });

  it('stops when the Retry-After the server asks for ends past the deadline (a sooner try is one it would refuse)', () => {
    const decision = decideRetry({ retry: 1, elapsedMs: 0, backoff: { ...backoff, deadlineMs: 10_000 }, retryAfterMs: 3_600_000 });
    expect(decision).to.deep.equal({
      retry: false,
      reason: 'no retry: the server asked to wait 3600 s (Retry-After), which ends after the retry deadline of 10 s',
      byServer: true,
    });
    // The case: Retry-After 2 s, deadline 3.5 s: tries at 0 s and 2 s, then no third.
    const deadline = { ...backoff, deadlineMs: 3500 };
    expect(decideRetry({ retry: 1, elapsedMs: 0, backoff: deadline, retryAfterMs: 2000 })).to.deep.equal({
      retry: true,
      delayMs: 2000,
      note: 'honouring Retry-After of 2 s',
    });
    expect(decideRetry({ retry: 2, elapsedMs: 2010, backoff: deadline, retryAfterMs: 2000 })).to.deep.equal({
      retry: false,
      reason: 'no retry: the server asked to wait 2 s (Retry-After), which ends after the retry deadline of 3.5 s',
      byServer: true,
    });
  });

  it('clamps an absurd Retry-After instead of overflowing a timer', () => {
    expect(parseRetryAfter('99999999999999')).to.equal(365 * 24 * 3600 * 1000);
  });

  it('starts no new try after the deadline', () => {
    expect(decideRetry({ retry: 4, elapsedMs: 595_000, backoff })).to.deep.equal({
      retry: false,
      reason: 'no retry: the next try would start after the retry deadline of 600 s',
    });
  });
});

describe('REST attempts output', () => {
  it('keeps the first 10 and the last 90 tries of a retry storm, numbered, and says so once', async () => {
    const { keepAttempt } = await import('../../lib/tasks/rest/attempts.js');
    const attempts: { attempt: number; started_at: string; duration: number }[] = [];
    let said = 0;
    for (let n = 1; n <= 1365; n++) keepAttempt(attempts, { attempt: n, started_at: '', duration: 0 }, () => said++);
    expect(attempts).to.have.length(100);
    expect(attempts.slice(0, 11).map((a) => a.attempt)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1276]);
    expect(attempts.at(-1)!.attempt).to.equal(1365);
    expect(said).to.equal(1);
  });
});
