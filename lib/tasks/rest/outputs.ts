import { STATUS_CODES } from 'node:http';
import { TextDecoder } from 'node:util';
import contentType from 'content-type';
import setCookie from 'set-cookie-parser';
import type { RestAttempt, RestOutputs } from './inputs.js';
import type { WireResponse } from './transport.js';

/** The reason phrase for a status, from the server or the standard list. */
export function reasonPhrase(response: Pick<WireResponse, 'status' | 'statusText'>): string {
  return response.statusText || STATUS_CODES[response.status] || '';
}

/** Response headers as outputs: lower-case names, repeats joined with ", " (Fetch), `set-cookie` kept as a list. */
export function outputHeaders(raw: Record<string, string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(raw)) {
    const key = name.toLowerCase();
    out[key] = key === 'set-cookie' ? [...values] : values.join(', ');
  }
  return out;
}

function charsetOf(raw: Record<string, string[]>): { charset: string | undefined; mediaType: string | undefined } {
  const header = raw['content-type']?.[0];
  if (!header) return { charset: undefined, mediaType: undefined };
  try {
    const parsed = contentType.parse(header);
    return { charset: parsed.parameters.charset?.toLowerCase(), mediaType: parsed.type };
  } catch {
    return { charset: undefined, mediaType: header.split(';')[0]?.trim().toLowerCase() };
  }
}

function isJsonType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && (mediaType === 'application/json' || mediaType.endsWith('+json'));
}

/** Build the REST outputs: `json` when the body parses as JSON, otherwise `text` (never both). */
export function buildOutputs(response: WireResponse, attempts: RestAttempt[], log: (line: string) => void): RestOutputs {
  const { charset, mediaType } = charsetOf(response.headers);
  let encoding = charset ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    log(`unknown charset "${encoding}" in Content-Type; decoded the body as utf-8`);
    decoder = new TextDecoder('utf-8');
    encoding = 'utf-8';
  }
  const text = decoder.decode(response.body);
  const cookies: Record<string, string> = {};
  for (const cookie of setCookie.parse(response.headers['set-cookie'] ?? [], { decodeValues: false })) cookies[cookie.name] = cookie.value;
  const outputs: RestOutputs = {
    status_code: response.status,
    headers: outputHeaders(response.headers),
    cookies,
    encoding,
    url: response.url.href,
    attempts,
  };
  // As in Cloudomation: `json` whenever the body parses as JSON, else `text`.
  const parsed = text.trim() === '' ? undefined : tryJson(text);
  if (parsed !== undefined) outputs.json = parsed.value;
  else {
    outputs.text = text;
    if (isJsonType(mediaType) && text.trim() !== '') log(`the body is not valid JSON although Content-Type is ${mediaType}; it is kept as text`);
  }
  return outputs;
}

function tryJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
