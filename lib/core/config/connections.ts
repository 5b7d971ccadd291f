import { describeValue, isPlainObject } from '../../util/describe.js';
import { closest } from '../../util/suggest.js';
import { ConfigError, readNamedEntries } from './files.js';

/**
 * Named task defaults (for REST: `hostname`, `scheme`, `base_path`, `headers`, `auth`, `grant`,
 * timeouts, retry options, ...): given to `run()`, else read from `connections.json` in the config folder,
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
        (known.length
          ? `defined connections: ${known.join(', ')} (${this.isolated ? 'given to run()' : `in ${this.path}`})`
          : this.isolated
            ? 'no connections were given to run()'
            : `add it to ${this.path}, like {"${name}": {"hostname": "api.example.com"}}`),
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
