import { STATUS_CODES } from 'node:http';
import { TextDecoder } from 'node:util';
import contentType from 'content-type';
import setCookie from 'set-cookie-parser';
import { RestError } from './errors.js';
import type { RestAttempt, RestOutputs } from './inputs.js';
import type { ResponseMode } from './normalize.js';
import type { FinalResponse } from './final-response.js';

/** The reason phrase for a status, from the server or the standard list. */
export function reasonPhrase(response: { status: number; statusText: string }): string {
  return response.statusText || STATUS_CODES[response.status] || '';
}

/** Response headers as outputs: lower-case names, repeats joined with ", " (Fetch), `set-cookie` kept as a list. */
function outputHeaders(raw: Record<string, string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(raw)) {
    const key = name.toLowerCase();
    out[key] = key === 'set-cookie' ? [...values] : values.join(', ');
  }
  return out;
}

type MediaType = { charset: string | undefined; mediaType: string | undefined };
const NO_MEDIA_TYPE: MediaType = { charset: undefined, mediaType: undefined };
/** Parsed Content-Type values: an API answers with the same one thousands of times. */
const mediaTypes = new Map<string, MediaType>();

function mediaTypeOf(raw: Record<string, string[]>): MediaType {
  const header = raw['content-type']?.[0];
  if (!header) return NO_MEDIA_TYPE;
  let known = mediaTypes.get(header);
  if (!known) {
    try {
      const parsed = contentType.parse(header);
      known = { charset: parsed.parameters.charset?.toLowerCase(), mediaType: parsed.type };
    } catch {
      known = { charset: undefined, mediaType: header.split(';')[0]?.trim().toLowerCase() };
    }
    if (mediaTypes.size < 1000) mediaTypes.set(header, known);
  }
  return known;
}

function isJsonType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && (mediaType === 'application/json' || mediaType.endsWith('+json'));
}

const TEXTUAL =
  /^(text\/|application\/(json|xml|javascript|ecmascript|x-www-form-urlencoded|yaml|x-yaml|graphql|sql|csv|x-ndjson|problem\+json)$)|[+](json|xml)$/;

/** Whether a body of these headers is text. No Content-Type counts as text (Cloudomation decodes it). */
export function isTextual(headers: Record<string, string[]>): boolean {
  const { mediaType, charset } = mediaTypeOf(headers);
  return mediaType === undefined || charset !== undefined || TEXTUAL.test(mediaType);
}

/**
 * Build the REST outputs. `auto`: `json` whenever a textual body parses as JSON (as Cloudomation),
 * else `text`; non-textual types give `binary`. `json`/`text`/`binary` force one; a download gives `file`.
 */
export function buildOutputs(
  response: FinalResponse,
  attempts: RestAttempt[],
  type: ResponseMode['type'],
  log: (line: string) => void,
): Omit<RestOutputs, 'request'> {
  const { charset, mediaType } = mediaTypeOf(response.headers);
  const encoding = charset ?? 'utf-8';
  // Every cookie set along a redirect chain, the final response's last.
  const cookies: Record<string, string> = { ...response.cookiesBefore };
  const setCookies = response.headers['set-cookie'];
  if (setCookies) for (const cookie of setCookie.parse(setCookies, { decodeValues: false })) cookies[cookie.name] = cookie.value;
  const outputs: Omit<RestOutputs, 'request'> = {
    status_code: response.status,
    headers: outputHeaders(response.headers),
    cookies,
    encoding,
    url: response.url.href,
    length: response.length,
    attempts,
  };
  if (response.file) {
    outputs.file = response.file;
    return outputs;
  }
  const body = response.body ?? Buffer.alloc(0);
  if (response.cut) log(`only the first ${body.length} bytes of the ${response.status} response body were kept`);
  if (type === 'binary' || (type === 'auto' && !isTextual(response.headers))) {
    outputs.binary = body;
    return outputs;
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    log(`unknown charset "${encoding}" in Content-Type; decoded the body as utf-8`);
    decoder = new TextDecoder('utf-8');
    outputs.encoding = 'utf-8';
  }
  // TaskREST: "The text output will contain the response body"; json holds it parsed when it parses.
  const text = decoder.decode(body);
  outputs.text = text;
  if (type === 'text') return outputs;
  const parsed = text.trim() === '' ? undefined : tryJson(text);
  if (parsed !== undefined && !('error' in parsed)) {
    outputs.json = parsed.value;
  } else if (type === 'json' && text.trim() !== '') {
    throw new RestError(
      `the response body is not valid JSON (response_type is "json"): ${parsed?.error ?? 'empty body'}; it starts with ${JSON.stringify(text.slice(0, 100))}`,
    );
  } else if (isJsonType(mediaType) && text.trim() !== '') {
    log(`the body is not valid JSON although Content-Type is ${mediaType}; it is kept as text`);
  }
  return outputs;
}

function tryJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
