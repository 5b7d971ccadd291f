import type { TaskContext } from '../../core/task-definition.js';
import { UnexpectedStatusError } from './errors.js';
import { sentRequest } from './exchange-record.js';
import type { FinalResponse } from './final-response.js';
import type { RestOutputs } from './inputs.js';
import type { RestRequest } from './normalize.js';
import { buildOutputs, isTextual, reasonPhrase } from './outputs.js';
import { RestRun } from './rest-run.js';
import { tryWithRetries } from './retries.js';

/** 407 is the proxy's answer, not the server's: say what to do about it. */
const PROXY_AUTH_HINT =
  '; 407 comes from the proxy: give its credentials in the proxy URL, as http://user:password@host:port ("proxy" input or HTTPS_PROXY/HTTP_PROXY)';

/** Run the REST task: tries, delays and timeouts, then outputs (or a `RestError`). */
export async function performRest(request: RestRequest, ctx: TaskContext): Promise<RestOutputs> {
  for (const note of request.notes) ctx.log(note);
  const run = new RestRun(request, ctx);
  const outcome = await tryWithRetries(run);
  if (outcome.kind === 'failure') {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const { failure } = outcome;
    // Keep the error's class and fields (which timeout, its value); add where and how often.
    failure.error.message = `REST ${run.label} failed: ${failure.reason}${run.triesNote()}`;
    throw failure.error;
  }
  return finish(run, outcome.response);
}

/** The outputs of the final response, and the task's end: its message, or an `UnexpectedStatusError`. */
function finish(run: RestRun, response: FinalResponse): RestOutputs {
  const { request, ctx } = run;
  let outputs: RestOutputs;
  try {
    outputs = { ...buildOutputs(response, run.attempts, request.response.type, (line) => ctx.log(line)), request: sentRequest(run.lastRequest!) };
  } catch (error) {
    (error as Error).message = `REST ${run.label}: ${(error as Error).message}`;
    throw error;
  }
  ctx.setOutputs(outputs as unknown as Record<string, unknown>);
  const status = `${response.status} ${reasonPhrase(response)}`.trim();
  if (!request.expected.has(response.status)) {
    const textual = isTextual(response.headers);
    const snippet = response.body && textual ? response.body.toString('utf8', 0, Math.min(response.body.length, 2048)).slice(0, 500) : '';
    throw new UnexpectedStatusError(
      `REST ${run.label} returned ${status}; expected one of ${[...request.expected].join(', ')}${run.triesNote()}${run.stopNote}${response.status === 407 ? PROXY_AUTH_HINT : ''}${snippet.trim() ? `; response body: ${snippet}` : ''}`,
      response.status,
    );
  }
  ctx.setMessage(`${run.label} returned ${status}${response.file ? `; saved ${response.length} bytes to ${response.file.name}` : ''}`);
  return outputs;
}
