import { describeValue, isPlainObject } from '../util/describe.js';
import { closest } from '../util/suggest.js';
import { ConfigError, readNamedEntries } from './files.js';

/**
 * Named REST defaults (`hostname`, `scheme`, `base_path`, `headers`, `auth`, `grant`, timeouts,
 * retry options, ...): given to `run()`, else read from `connections.json` in the config folder,
 * else from the setting named `connections` (the same JSON, kept in the store).
 * Values may be secret references, `{ "secret": "NAME" }`, resolved when a task uses them.
 */
export class Connections {
  #fromFile: Record<string, Record<string, unknown>> | undefined;

  constructor(
    readonly path: string,
    readonly given: Record<string, Record<string, unknown>> = {},
    /** Only `given`: connections.json is not read (tests). */
    readonly isolated = false,
    /** The setting named `connections` (same shape as connections.json), read last. */
    readonly fromSettings: () => unknown = () => undefined,
  ) {}

  get(name: string): Record<string, unknown> {
    if (typeof name !== 'string' || name === '') throw new ConfigError(`a connection name must be a non-empty string, got ${describeValue(name)}`);
    const found = this.given[name] ?? this.#file()[name] ?? this.#settings()[name];
    if (found) return structuredClone(found);
    const known = [...new Set([...Object.keys(this.given), ...Object.keys(this.#file()), ...Object.keys(this.#settings())])].sort();
    const guess = closest(name, known);
    throw new ConfigError(
      `connection "${name}" is not defined${guess ? ` (did you mean "${guess}"?)` : ''}; ` +
        (known.length ? `defined connections: ${known.join(', ')} (${this.isolated ? 'given to run()' : `in ${this.path}`})` : this.isolated ? 'no connections were given to run()' : `add it to ${this.path}, like {"${name}": {"hostname": "api.example.com"}}`),
    );
  }

  /** `flow setting set connections '{"crm": {...}}'` keeps connections in the store instead of a file. */
  #settings(): Record<string, Record<string, unknown>> {
    if (this.isolated) return {};
    const value = this.fromSettings();
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value) || Object.values(value).some((entry) => !isPlainObject(entry))) {
      throw new ConfigError('the setting "connections" must be a JSON object of named connections, like {"name": {"hostname": "..."}}');
    }
    return value as Record<string, Record<string, unknown>>;
  }

  #file(): Record<string, Record<string, unknown>> {
    if (this.isolated) return {};
    return (this.#fromFile ??= readNamedEntries(this.path, 'connection'));
  }
}

const URL_PARTS = ['url', 'scheme', 'hostname', 'port', 'base_path', 'path'];

/** Inputs whose values are objects merged key by key (headers by case-insensitive name). */
const MERGED_OBJECTS = ['params', 'cookies', 'retry_backoff'];

/**
 * A connection's inputs merged with a call's: the call wins, `headers` merge by name (case-
 * insensitive), and `params`, `cookies` and `retry_backoff` merge by key. A call that gives
 * `url` drops the connection's URL parts, which `url` would otherwise win over anyway.
 */
export function mergeInputs(connection: Record<string, unknown>, call: Record<string, unknown>): Record<string, unknown> {
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
