import { isPlainObject } from '../../util/describe.js';

const URL_PARTS = ['url', 'scheme', 'hostname', 'port', 'base_path', 'path'];

/** Inputs whose values are objects merged key by key (headers by case-insensitive name). */
const MERGED_OBJECTS = ['params', 'cookies', 'retry_backoff'];

/**
 * A connection's inputs merged with a call's: the call wins, `headers` merge by name (case-
 * insensitive), and `params`, `cookies` and `retry_backoff` merge by key. A call that gives
 * `url` drops the connection's URL parts, which `url` would otherwise win over anyway.
 */
export function mergeConnection(connection: Record<string, unknown>, call: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...connection };
  if (call.url !== undefined && call.url !== null) for (const part of URL_PARTS) delete merged[part];
  for (const [key, value] of Object.entries(call)) {
    if (value === undefined) continue;
    const base = merged[key];
    if (key === 'headers' && isPlainObject(base) && isPlainObject(value)) {
      const headers = { ...base };
      for (const name of Object.keys(value)) {
        for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
      }
      merged[key] = { ...headers, ...value };
    } else if (MERGED_OBJECTS.includes(key) && isPlainObject(base) && isPlainObject(value)) {
      merged[key] = { ...base, ...value };
    } else {
      merged[key] = value;
    }
  }
  return merged;
}
