import type { RestOutputs, RestSentRequest } from './types.js';

/** Recorded outputs: what the store gives back (the body as `text` and `json`, files as their info). */
type Recorded = Partial<Record<keyof RestOutputs, unknown>>;

function isSentRequest(value: unknown): value is RestSentRequest {
  return (
    typeof value === 'object' && value !== null && typeof (value as RestSentRequest).method === 'string' && typeof (value as RestSentRequest).url === 'string'
  );
}

/**
 * `flow show --verbose`: a REST task's exchange as it went over the wire (masked as recorded):
 * the request line, its headers exactly as sent and its body, then the response's status,
 * headers and body. Undefined for a record without a sent request (a task refused before sending).
 */
export function showRestExchange(outputs: Recorded): string[] | undefined {
  const { request } = outputs;
  if (!isSentRequest(request)) return undefined;
  const lines = [`request: ${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`  ${name}: ${value}`);
  if (request.body !== undefined) lines.push('  ', ...request.body.split('\n').map((line) => `  ${line}`));
  if (outputs.status_code === undefined) return lines;
  lines.push(`response: ${String(outputs.status_code)}`);
  for (const [name, value] of Object.entries((outputs.headers ?? {}) as RestOutputs['headers'])) {
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`  ${name}: ${one}`);
  }
  const body = outputs.json !== undefined ? JSON.stringify(outputs.json, null, 2) : typeof outputs.text === 'string' ? outputs.text : undefined;
  if (body) lines.push('  ', ...body.split('\n').map((line) => `  ${line}`));
  else if (outputs.binary !== undefined || outputs.file !== undefined)
    lines.push(`  [${String(outputs.length)} bytes${outputs.file ? ' saved to a file' : ''}]`);
  return lines;
}
