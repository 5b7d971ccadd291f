import { mayHoldNamedSecret } from '../../core/redact/names.js';
import type { Redactor } from '../../core/redact/redactor.js';
import { EXTERNAL_VALUE_BYTES } from '../../store/store.js';
import type { RestOutputs } from './inputs.js';
import { describeFormData, isFormData } from './form-data.js';

/** A `\uXXXX` escape: the parsed JSON then holds characters the text does not show as they are. */
const UNICODE_ESCAPE = /\\u[0-9a-fA-F]{4}/;

/**
 * The REST outputs as the record keeps them. A JSON body is stored once, as `text`, and `json`
 * is parsed from it when the record is read, when that gives exactly what masking the parsed
 * value would have stored: the text holds no secret (in any form), no secret-named key or
 * parameter, no URL password, and no `\u` escape. Otherwise both are stored, each masked.
 */
export function recordRestOutputs(
  outputs: RestOutputs,
  redactor: Redactor,
): { outputs: Record<string, unknown>; derived?: Record<string, string>; plain?: boolean; external?: Record<string, string> } {
  const { json, text, binary } = outputs;
  // Everything else is plain JSON data the task built (json is the server's JSON, parsed).
  if (binary !== undefined) return { outputs: { ...outputs, binary: `[${binary.length} bytes]` }, plain: true };
  if (json === undefined || typeof text !== 'string') return { outputs: outputs as unknown as Record<string, unknown>, plain: true };
  if (!storedOnce(text, redactor)) {
    // Both kept: json first, so the secrets masking finds in it by name are known when text is masked.
    const { text: _last, ...others } = outputs;
    return { outputs: { ...others, text } };
  }
  const { json: _derivedOnRead, ...rest } = outputs;
  if (text.length <= EXTERNAL_VALUE_BYTES) return { outputs: rest, derived: { json: 'text' }, plain: true };
  // A large body (known to hold nothing to mask) is kept outside the row; json is parsed from it on read.
  const { text: _outside, ...small } = rest;
  return { outputs: small, derived: { json: 'text' }, plain: true, external: { text } };
}

function storedOnce(text: string, redactor: Redactor): boolean {
  return !UNICODE_ESCAPE.test(text) && !mayHoldNamedSecret(text) && redactor.maskText(text) === text;
}

/** The inputs as the record keeps them: a FormData body is described part by part (never a file's bytes). */
export function recordRestInputs(raw: unknown): Record<string, unknown> {
  const inputs = raw as Record<string, unknown>;
  return isFormData(inputs.multipart) ? { ...inputs, multipart: describeFormData(inputs.multipart) } : inputs;
}
