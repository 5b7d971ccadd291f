import { reasonPhrase } from './outputs.js';
import type { RestSentRequest } from './inputs.js';
import type { FinalResponse } from './final-response.js';
import type { WireRequest } from '../../http/exchange.js';
import { headersAsSent } from '../../http/wire.js';

/** Request bodies are kept in the record up to this size: enough to see and replay what was sent. */
const RECORDED_BODY_LIMIT = 64 * 1024;
/** `debug: true` logs this much of each body. */
const LOGGED_BODY_LIMIT = 2048;

/**
 * What was sent on the final try, for the record (`request` output): method, URL, headers and the
 * body as text when it was held in memory (files and multipart bodies are described by size).
 * Secrets are masked when the record is written, as everywhere.
 */
export function sentRequest(wire: WireRequest): RestSentRequest {
  const record: RestSentRequest = { method: wire.method, url: wire.url.href, headers: Object.fromEntries(headersAsSent(wire.client) ?? wire.headers) };
  if (wire.body) {
    const bytes = wire.body.inMemory();
    if (bytes) {
      record.body =
        bytes.length <= RECORDED_BODY_LIMIT ? bytes.toString('utf8') : `${bytes.toString('utf8', 0, RECORDED_BODY_LIMIT)}… [${bytes.length} bytes in all]`;
    } else {
      record.body = `[streamed body, ${wire.body.length()} bytes]`;
    }
  }
  return record;
}

/** `debug: true`: the request as it went out, for the task's log (masked like every log line). */
export function requestLogLine(sent: RestSentRequest): string {
  const headers = Object.entries(sent.headers)
    .map(([name, value]) => `\n  ${name}: ${value}`)
    .join('');
  return `→ ${sent.method} ${sent.url}${headers}${sent.body === undefined ? '' : `\n\n${cut(sent.body)}`}`;
}

/** `debug: true`: the response as it came in. */
export function responseLogLine(response: FinalResponse): string {
  const headers = Object.entries(response.headers)
    .flatMap(([name, values]) => values.map((value) => `\n  ${name}: ${value}`))
    .join('');
  const body = response.file
    ? `[saved to ${response.file.name}, ${response.length} bytes]`
    : response.body && response.body.length > 0
      ? cut(response.body.toString('utf8', 0, LOGGED_BODY_LIMIT + 1))
      : '';
  return `← ${response.status} ${reasonPhrase(response)}${headers}${body ? `\n\n${body}` : ''}`;
}

function cut(text: string): string {
  return text.length > LOGGED_BODY_LIMIT ? `${text.slice(0, LOGGED_BODY_LIMIT)}… (cut at ${LOGGED_BODY_LIMIT} characters)` : text;
}
