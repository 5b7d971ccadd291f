import pRetry, { AbortError } from 'p-retry';
import type { TaskContext } from '../registry.js';
import { agentPool } from './agents.js';
import { classify, TotalTimeoutSignal } from './classify.js';
import { UnexpectedStatusError, type AttemptFailure } from './errors.js';
import { IDEMPOTENT_METHODS, type RestAttempt, type RestOutputs } from './inputs.js';
import type { RestRequest } from './normalize.js';
import { buildOutputs, reasonPhrase } from './outputs.js';
import { sendFollowingRedirects } from './redirects.js';
import { decideRetry, parseRetryAfter, seconds } from './retry.js';
import type { WireResponse } from './transport.js';

/** Bodies held in memory are capped: a runaway response must not take the runner down. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A response whose status is in `retry_status_code`: thrown so p-retry tries again. */
class RetryableResponse extends Error {
  constructor(readonly response: WireResponse) {
    super(`status ${response.status}`);
  }
}

/** A failed attempt that may be retried. */
class RetryableFailure extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.reason);
  }
}

/** Run the REST task: tries, delays and timeouts, then outputs (or a `RestError`). */
export async function performRest(request: RestRequest, ctx: TaskContext): Promise<RestOutputs> {
  const { method } = request;
  const maskUrl = (url: string) => ctx.redactor.maskUrl(url);
  const label = `${method} ${maskUrl(request.url.href)}`;
  for (const note of request.notes) ctx.log(note);

  const total = new AbortController();
  const totalTimer = request.timeouts.total === null ? undefined : setTimeout(() => total.abort(new TotalTimeoutSignal(request.timeouts.total!)), request.timeouts.total);
  const signal = AbortSignal.any([ctx.signal, total.signal]);
  const pool = agentPool(ctx.resources);
  const attempts: RestAttempt[] = [];
  const firstTry = performance.now();
  let stopReason: string | undefined;

  const attempt = async (number: number): Promise<WireResponse> => {
    const started = performance.now();
    const entry: RestAttempt = { attempt: number, started_at: new Date().toISOString(), duration: 0 };
    attempts.push(entry);
    // Stored after every try, so a task that never gets a response (or a killed run) still shows them.
    const record = () => ctx.setOutputs({ attempts });
    try {
      const response = await sendFollowingRedirects(request, {
        pool, signal, maxBodyBytes: MAX_BODY_BYTES, log: (line) => ctx.log(line), maskUrl,
      });
      entry.duration = elapsed(started);
      entry.status_code = response.status;
      ctx.log(`try ${number}: ${label} → ${response.status} ${reasonPhrase(response)} (${entry.duration} s)`);
      record();
      // A status the user expects is never retried, even if it is also in retry_status_code.
      if (request.retryStatuses.has(response.status) && !request.expected.has(response.status)) throw new RetryableResponse(response);
      return response;
    } catch (error) {
      if (error instanceof RetryableResponse) throw error;
      const failure = classify(signal.aborted ? signal.reason : error, request.url, { readMs: request.timeouts.read, connectMs: request.timeouts.connect });
      entry.duration = elapsed(started);
      entry.error = failure.reason;
      entry.code = failure.code;
      ctx.log(`try ${number}: ${label} failed: ${failure.reason} (${entry.duration} s)`);
      record();
      const retryable = !signal.aborted && (failure.kind === 'no_connection' || (failure.kind === 'after_send' && IDEMPOTENT_METHODS.has(method)));
      if (!retryable && failure.kind === 'after_send') ctx.log(`not retried: a ${method} request may have reached the server, and ${method} is not idempotent`);
      throw retryable ? new RetryableFailure(failure) : new AbortError(failure.error);
    }
  };

  let response: WireResponse;
  try {
    response = await pRetry(attempt, {
      retries: Number.POSITIVE_INFINITY,
      // p-retry runs the loop; the delay is ours (backoff, 1 s floor, Retry-After, deadline), so its own is off.
      minTimeout: 0,
      factor: 1,
      signal,
      onFailedAttempt: async ({ error, attemptNumber }) => {
        const retryAfter = error instanceof RetryableResponse ? parseRetryAfter(error.response.headers['retry-after']?.[0]) : undefined;
        const decision = decideRetry({ retry: attemptNumber, elapsedMs: performance.now() - firstTry, backoff: request.backoff, retryAfterMs: retryAfter });
        if (!decision.retry) {
          stopReason = decision.reason;
          ctx.log(decision.reason);
          return;
        }
        attempts[attempts.length - 1]!.retry_in = decision.delayMs / 1000;
        ctx.setOutputs({ attempts });
        ctx.log(`${decision.note ? `${decision.note}; ` : ''}retrying in ${seconds(decision.delayMs)} s`);
        await sleep(decision.delayMs, signal);
      },
      shouldRetry: () => stopReason === undefined && !signal.aborted,
    });
  } catch (error) {
    if (error instanceof RetryableResponse) {
      response = error.response;
    } else {
      const failure = error instanceof RetryableFailure ? error.failure : classify(signal.aborted ? signal.reason : error, request.url, { readMs: request.timeouts.read, connectMs: request.timeouts.connect });
      if (ctx.signal.aborted) throw ctx.signal.reason;
      // Keep the error's class and fields (which timeout, its value); add where and how often.
      failure.error.message = `REST ${label} failed: ${failure.reason}${triesNote(attempts, firstTry)}`;
      throw failure.error;
    }
  } finally {
    clearTimeout(totalTimer);
  }

  const outputs = buildOutputs(response, attempts, (line) => ctx.log(line));
  ctx.setOutputs(outputs as unknown as Record<string, unknown>);
  const status = `${response.status} ${reasonPhrase(response)}`.trim();
  if (!request.expected.has(response.status)) {
    const body = response.body.toString('utf8', 0, Math.min(response.body.length, 2048)).slice(0, 500);
    throw new UnexpectedStatusError(
      `REST ${label} returned ${status}; expected one of ${[...request.expected].join(', ')}${triesNote(attempts, firstTry)}${body.trim() ? `; response body: ${body}` : ''}`,
      response.status,
    );
  }
  ctx.setMessage(`${label} returned ${status}`);
  return outputs;
}

function triesNote(attempts: RestAttempt[], firstTry: number): string {
  return attempts.length > 1 ? ` (after ${attempts.length} tries over ${elapsed(firstTry)} s)` : '';
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
