import pRetry, { AbortError } from 'p-retry';
import { sleep } from '../../util/sleep.js';
import type { TaskContext } from '../../core/task-definition.js';
import { agentPool } from '../../http/agents.js';
import { classify, TotalTimeoutSignal } from './classify.js';
import { UnexpectedStatusError, type AttemptFailure } from './errors.js';
import { downloadName, downloadToFile } from './download.js';
import { IDEMPOTENT_METHODS, type RestAttempt, type RestOutputs } from './inputs.js';
import type { RestRequest } from './normalize.js';
import { buildOutputs, isTextual, reasonPhrase } from './outputs.js';
import { failedHop, sendFollowingRedirects } from './redirects.js';
import { decideRetry, parseRetryAfter, seconds } from './retry.js';
import type { OpenResponse, WireRequest } from '../../http/exchange.js';
import { requestLogLine, responseLogLine, sentRequest } from './exchange-record.js';
import type { FinalResponse } from './final-response.js';
import { keepAttempt, KEPT_FIRST, KEPT_LAST } from './attempts.js';
import { GRANT_TOKENS } from './grant-tokens.js';

/** 407 is the proxy's answer, not the server's: say what to do about it. */
const PROXY_AUTH_HINT = '; 407 comes from the proxy: give its credentials in the proxy URL, as http://user:password@host:port ("proxy" input or HTTPS_PROXY/HTTP_PROXY)';

/** Bodies of unexpected statuses are kept up to this size: enough for the message and for debugging. */
const ERROR_BODY_LIMIT = 1024 * 1024;

/** A response whose status is in `retry_status_code`: thrown so p-retry tries again. */
class RetryableResponse extends Error {
  constructor(readonly response: FinalResponse) {
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

  // total_timeout, when set, aborts everything below; without it the task's own signal suffices
  // (one controller and one AbortSignal.any fewer per task: they show in throughput profiles).
  const totalMs = request.timeouts.total;
  const total = totalMs === null ? undefined : new AbortController();
  const totalTimer = total && setTimeout(() => total.abort(new TotalTimeoutSignal(totalMs!)), totalMs!);
  const signal = total ? AbortSignal.any([ctx.signal, total.signal]) : ctx.signal;
  const pool = agentPool(ctx.resources, ctx.network);
  const attempts: RestAttempt[] = [];
  const firstTry = performance.now();
  const classifyError = (error: unknown) => {
    const hop = typeof error === 'object' && error !== null ? failedHop.get(error) : undefined;
    const failure = classify(signal.aborted ? signal.reason : error, hop ?? request.url, request);
    if (hop) {
      failure.reason += ` (after a redirect to ${maskUrl(hop.href)})`;
      failure.error.message = failure.reason;
    }
    return failure;
  };
  let stopReason: string | undefined;
  /** Said in the task's message when the server's Retry-After ended the retries. */
  let stopNote = '';

  const holdsSecret = (value: string) => ctx.redactor.maskText(value) !== value;
  const sendContext = { pool, signal, onProgress: ctx.progress, log: (line: string) => ctx.log(line), maskUrl, holdsSecret };
  let renewedToken = false;
  /** The final try's request, for the `request` output (described once, at the end). */
  let lastRequest: WireRequest | undefined;
  /** One exchange; with a grant, its current token, renewed once (and the request repeated) on a 401. */
  const send = async (): Promise<OpenResponse> => {
    if (request.grant === undefined) return sendFollowingRedirects(request, sendContext);
    const grant = request.grant;
    const withToken = async (rejected?: string) => {
      const token = await ctx.resources.service(GRANT_TOKENS)!.accessToken(grant, { rejected, signal, log: (line) => ctx.log(line) });
      const headers = request.headers.clone();
      headers.set('Authorization', `Bearer ${token}`);
      return { token, open: await sendFollowingRedirects({ ...request, headers }, sendContext) };
    };
    const first = await withToken();
    if (first.open.status !== 401 || renewedToken || request.expected.has(401)) return first.open;
    renewedToken = true;
    ctx.log(`${label} → 401 with grant "${grant}"'s token: renewing the token and sending once more`);
    await first.open.discard();
    return (await withToken(first.token)).open;
  };

  const attempt = async (number: number): Promise<FinalResponse> => {
    const started = performance.now();
    const entry: RestAttempt = { attempt: number, started_at: new Date().toISOString(), duration: 0 };
    keepAttempt(attempts, entry, () => ctx.log(`tries after the first ${KEPT_FIRST} are kept only for the last ${KEPT_LAST} in the "attempts" output`));
    // Stored after every try, so a task that never gets a response (or a killed run) still shows them.
    const record = () => ctx.setOutputs({ attempts });
    try {
      const open = await send();
      lastRequest = open.request;
      if (request.debug) ctx.log(requestLogLine(sentRequest(open.request)));
      const response = await readBody(open, request, ctx);
      if (request.debug) ctx.log(responseLogLine(response));
      entry.duration = elapsed(started);
      entry.status_code = response.status;
      ctx.log(`try ${number}: ${label} → ${response.status} ${reasonPhrase(response)} (${entry.duration} s)`);
      record();
      // A status the user expects is never retried, even if it is also in retry_status_code.
      if (request.retryStatuses.has(response.status) && !request.expected.has(response.status)) throw new RetryableResponse(response);
      return response;
    } catch (error) {
      if (error instanceof RetryableResponse) throw error;
      const failure = classifyError(error);
      entry.duration = elapsed(started);
      entry.error = failure.reason;
      entry.code = failure.code;
      ctx.log(`try ${number}: ${label} failed: ${failure.reason} (${entry.duration} s)`);
      record();
      const retryable = !signal.aborted && (failure.kind === 'no_connection' || (failure.kind === 'after_send' && IDEMPOTENT_METHODS.has(method)));
      if (!retryable && failure.kind === 'after_send' && !signal.aborted) ctx.log(`not retried: a ${method} request may have reached the server, and ${method} is not idempotent`);
      throw retryable ? new RetryableFailure(failure) : new AbortError(failure.error);
    }
  };

  let response: FinalResponse;
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
          if (decision.byServer) stopNote = `; ${decision.reason}`;
          ctx.log(decision.reason);
          return;
        }
        attempts.at(-1)!.retry_in = decision.delayMs / 1000;
        ctx.setOutputs({ attempts });
        // One line per retry, with why and when, so a long retry never looks like a hang.
        const why = error instanceof RetryableResponse ? `status ${error.response.status} ${reasonPhrase(error.response)}`.trim() : error.message;
        ctx.log(`${decision.note ? `${decision.note}; ` : ''}retrying in ${seconds(decision.delayMs)} s (try ${attemptNumber} failed: ${why})`);
        await sleep(decision.delayMs, signal);
        if (signal.aborted) throw signal.reason;
      },
      shouldRetry: () => stopReason === undefined && !signal.aborted,
    });
  } catch (error) {
    if (error instanceof RetryableResponse) {
      response = error.response;
    } else {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const failure = error instanceof RetryableFailure ? error.failure : classifyError(error);
      // Keep the error's class and fields (which timeout, its value); add where and how often.
      failure.error.message = `REST ${label} failed: ${failure.reason}${triesNote(attempts, firstTry)}`;
      throw failure.error;
    }
  } finally {
    clearTimeout(totalTimer);
  }

  let outputs: RestOutputs;
  try {
    outputs = { ...buildOutputs(response, attempts, request.response.type, (line) => ctx.log(line)), request: sentRequest(lastRequest!) };
  } catch (error) {
    (error as Error).message = `REST ${label}: ${(error as Error).message}`;
    throw error;
  }
  ctx.setOutputs(outputs as unknown as Record<string, unknown>);
  const status = `${response.status} ${reasonPhrase(response)}`.trim();
  if (!request.expected.has(response.status)) {
    const textual = isTextual(response.headers);
    const snippet = response.body && textual ? response.body.toString('utf8', 0, Math.min(response.body.length, 2048)).slice(0, 500) : '';
    throw new UnexpectedStatusError(
      `REST ${label} returned ${status}; expected one of ${[...request.expected].join(', ')}${triesNote(attempts, firstTry)}${stopNote}${response.status === 407 ? PROXY_AUTH_HINT : ''}${snippet.trim() ? `; response body: ${snippet}` : ''}`,
      response.status,
    );
  }
  ctx.setMessage(`${label} returned ${status}${response.file ? `; saved ${response.length} bytes to ${response.file.name}` : ''}`);
  return outputs;
}

/**
 * Read the final response's body the way the task wants it: expected statuses into memory
 * (within `max_content_length`) or to a file; other statuses only their first MiB, for the
 * message and the record, never to a file.
 */
async function readBody(open: OpenResponse, request: RestRequest, ctx: TaskContext): Promise<FinalResponse> {
  const head = { status: open.status, statusText: open.statusText, headers: open.headers, url: open.url, cookiesBefore: open.cookiesBefore };
  const mode = request.response;
  if (!request.expected.has(open.status)) {
    const { body, stopped } = await open.buffer(Math.min(mode.maxBytes, ERROR_BODY_LIMIT), 'stop');
    return { ...head, body, cut: stopped, length: body.length };
  }
  if (mode.type === 'file') {
    const file = await downloadToFile(open, ctx.files, mode.dst ?? downloadName(open), mode.maxExplicit ? mode.maxBytes : Infinity, mode.overwrite);
    return { ...head, file, length: file.size ?? 0 };
  }
  const { body } = await open.buffer(mode.maxBytes);
  return { ...head, body, length: body.length };
}

function triesNote(attempts: RestAttempt[], firstTry: number): string {
  const tries = attempts.at(-1)?.attempt ?? 0;
  return tries > 1 ? ` (after ${tries} tries over ${elapsed(firstTry)} s)` : '';
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}
