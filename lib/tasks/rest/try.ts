import type { OpenResponse } from '../../http/exchange.js';
import { keepAttempt, KEPT_FIRST, KEPT_LAST } from './attempts.js';
import { TotalTimeoutSignal } from './classify.js';
import { downloadName, downloadToFile } from './download.js';
import type { AttemptFailure } from './errors.js';
import { requestLogLine, responseLogLine, sentRequest } from './exchange-record.js';
import type { FinalResponse } from './final-response.js';
import { IDEMPOTENT_METHODS, type Method, type RestAttempt } from './inputs.js';
import { reasonPhrase } from './outputs.js';
import type { RestRun } from './rest-run.js';

/** Bodies of unexpected statuses are kept up to this size: enough for the message and for debugging. */
const ERROR_BODY_LIMIT = 1024 * 1024;

/** How a try ended: a response (retried when its status says so), or a failure. */
export type TryOutcome = { kind: 'response'; response: FinalResponse; retry: boolean } | { kind: 'failure'; failure: AttemptFailure; retry: boolean };

/**
 * One try: send, read the body, record it in `attempts` and the log. Never throws for what the
 * server or the network did: the outcome says whether it may be retried (a failure after the
 * request may have reached the server only for idempotent methods).
 */
export async function tryOnce(run: RestRun, number: number): Promise<TryOutcome> {
  const { request, ctx } = run;
  // total_timeout spent in the delays: the task ends with it, without a try that never went out.
  if (run.remainingMs() <= 0) return { kind: 'failure', failure: run.classify(new TotalTimeoutSignal(request.timeouts.total!)), retry: false };
  const started = performance.now();
  const entry: RestAttempt = { attempt: number, started_at: new Date(ctx.clock.now()).toISOString(), duration: 0 };
  keepAttempt(run.attempts, entry, () => ctx.log(`tries after the first ${KEPT_FIRST} are kept only for the last ${KEPT_LAST} in the "attempts" output`));
  try {
    const response = await run.withinTotal(async () => {
      const open = await run.send();
      run.lastRequest = open.request;
      if (request.debug) ctx.log(requestLogLine(sentRequest(open.request)));
      return readBody(open, run);
    });
    if (request.debug) ctx.log(responseLogLine(response));
    entry.duration = since(started);
    entry.status_code = response.status;
    ctx.log(`try ${number}: ${run.label} → ${response.status} ${reasonPhrase(response)} (${entry.duration} s)`);
    // Stored after every try, so a task that never gets a response (or a killed run) still shows them.
    ctx.setOutputs({ attempts: run.attempts });
    // A status the user expects is never retried, even if it is also in retry_status_code.
    return { kind: 'response', response, retry: request.retryStatuses.has(response.status) && !request.expected.has(response.status) };
  } catch (error) {
    const failure = run.classify(error);
    entry.duration = since(started);
    entry.error = failure.reason;
    entry.code = failure.code;
    ctx.log(`try ${number}: ${run.label} failed: ${failure.reason} (${entry.duration} s)`);
    ctx.setOutputs({ attempts: run.attempts });
    const aborted = run.signal.aborted;
    const retry = !aborted && (failure.kind === 'no_connection' || (failure.kind === 'after_send' && IDEMPOTENT_METHODS.has(request.method as Method)));
    if (!retry && !aborted && failure.kind === 'after_send')
      ctx.log(`not retried: a ${request.method} request may have reached the server, and ${request.method} is not idempotent`);
    return { kind: 'failure', failure, retry };
  }
}

/**
 * Read the final response's body the way the task wants it: expected statuses into memory
 * (within `max_content_length`) or to a file; other statuses only their first MiB, for the
 * message and the record, never to a file.
 */
async function readBody(open: OpenResponse, run: RestRun): Promise<FinalResponse> {
  const { request, ctx } = run;
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

function since(started: number): number {
  return Math.round(performance.now() - started) / 1000;
}
