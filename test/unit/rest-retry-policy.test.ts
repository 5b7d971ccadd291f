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
    expect(decideRetry({ retry: 1, elapsedMs: 0, backoff, retryAfterMs: 5000 })).to.deep.equal({ retry: true, delayMs: 5000, note: 'honouring Retry-After of 5 s' });
  });

  it('keeps the computed delay when Retry-After is shorter', () => {
    expect(decideRetry({ retry: 3, elapsedMs: 0, backoff, retryAfterMs: 1000 })).to.deep.equal({ retry: true, delayMs: 4000 });
  });

  it('ignores a Retry-After that ends past the deadline, using the computed delay', () => {
    const decision = decideRetry({ retry: 1, elapsedMs: 0, backoff: { ...backoff, deadlineMs: 10_000 }, retryAfterMs: 3_600_000 });
    expect(decision).to.deep.equal({ retry: true, delayMs: 1000, note: 'Retry-After of 3600 s ignored: it ends after the retry deadline of 10 s' });
  });

  it('starts no new try after the deadline', () => {
    expect(decideRetry({ retry: 4, elapsedMs: 595_000, backoff })).to.deep.equal({
      retry: false,
      reason: 'no retry: the next try would start after the retry deadline of 600 s',
    });
  });
});
