import { reasonPhrase } from './outputs.js';
import type { RestRun } from './rest-run.js';
import { decideRetry, parseRetryAfter, seconds } from './retry.js';
import { tryOnce, type TryOutcome } from './try.js';

/** Thrown inside p-retry's loop so it tries again; carries the try's outcome. */
class Retry extends Error {
  constructor(readonly outcome: TryOutcome) {
    super('retry');
  }
}

/**
 * The tries of a REST task: the first one alone (a task that succeeds at once pays for nothing
 * else), then, while the outcome may be retried and the policy allows, p-retry's loop with the
 * policy's delays (backoff, the 1 s floor, Retry-After, the deadline) slept on the run's clock.
 * Returns the last try's outcome.
 */
export async function tryWithRetries(run: RestRun): Promise<TryOutcome> {
  const first = await tryOnce(run, 1);
  if (!first.retry || !(await waitBeforeRetry(run, first, 1))) return first;
  let stop = false;
  // Loaded here, on the first retry: a task that succeeds at once never needs it.
  const { default: pRetry } = await import('p-retry');
  try {
    return await pRetry(
      async (attemptNumber) => {
        const outcome = await tryOnce(run, attemptNumber + 1);
        if (outcome.retry) throw new Retry(outcome);
        return outcome;
      },
      {
        retries: Number.POSITIVE_INFINITY,
        // p-retry runs the loop; the delay is ours, so its own is off.
        minTimeout: 0,
        factor: 1,
        onFailedAttempt: async ({ error, attemptNumber }) => {
          if (error instanceof Retry && !(await waitBeforeRetry(run, error.outcome, attemptNumber + 1))) stop = true;
        },
        shouldRetry: ({ error }) => error instanceof Retry && !stop,
      },
    );
  } catch (error) {
    if (error instanceof Retry) return error.outcome;
    throw error;
  }
}

/**
 * Decide whether try `number` is retried, and wait for it: the delay is logged with why, kept as
 * the try's `retry_in`, and slept on the run's clock within what is left of `total_timeout`.
 * False when there is no retry (the reason is logged).
 */
async function waitBeforeRetry(run: RestRun, outcome: TryOutcome, number: number): Promise<boolean> {
  const { ctx, request } = run;
  const retryAfterMs = outcome.kind === 'response' ? parseRetryAfter(outcome.response.headers['retry-after']?.[0], ctx.clock.now()) : undefined;
  const decision = decideRetry({ retry: number, elapsedMs: run.elapsedMs(), backoff: request.backoff, retryAfterMs });
  if (!decision.retry) {
    if (decision.byServer) run.stopNote = `; ${decision.reason}`;
    ctx.log(decision.reason);
    return false;
  }
  run.attempts.at(-1)!.retry_in = decision.delayMs / 1000;
  ctx.setOutputs({ attempts: run.attempts });
  // One line per retry, with why and when, so a long retry never looks like a hang.
  const why = outcome.kind === 'response' ? `status ${outcome.response.status} ${reasonPhrase(outcome.response)}`.trim() : outcome.failure.reason;
  ctx.log(`${decision.note ? `${decision.note}; ` : ''}retrying in ${seconds(decision.delayMs)} s (try ${number} failed: ${why})`);
  // Past total_timeout the next try fails with it, as the timer would have fired mid-sleep.
  await ctx.clock.sleep(Math.min(decision.delayMs, Math.max(0, run.remainingMs())), run.signal);
  return !run.signal.aborted;
}
