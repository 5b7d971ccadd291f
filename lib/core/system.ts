import { FlowFile } from './files/flow-file.js';
import { FlowApiError, InvalidInputError } from '../model/errors.js';
import type { ExecutionRecord, JsonValue } from '../model/record.js';
import { RETURN_WHEN, isEnded } from '../model/status.js';
import { describeValue, isPlainObject } from '../util/describe.js';
import { toJsonValue } from '../util/json.js';
import type { Runtime } from './runtime.js';
import type { Store } from '../store/store.js';
import { sleep } from '../util/sleep.js';

/**
 * Access to what lives outside one execution: settings, other executions, and the
 * `return_when` constants. Passed to every handler as its first argument.
 */
export class System {
  /** When `wait_for()` and `task(..., { wait })` stop waiting. */
  readonly return_when = RETURN_WHEN;
  readonly #runtime: Runtime;

  /** @internal */
  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  /** A persistent JSON value in the store, by name (Cloudomation's setting objects). */
  setting(name: string): Setting {
    if (typeof name !== 'string' || name === '') throw new InvalidInputError(`setting() takes a non-empty name, got ${describeValue(name)}`);
    return new Setting(this.#runtime.store, name);
  }

  /**
   * A file in the run's files folder (`.flow/files/<flow id>/` by default), by relative name:
   * read it with `get_text_content()`/`get_bytes_content()`, write it with
   * `save_text_content()`/`save_bytes_content()`. Names that leave the folder are refused.
   */
  file(name: string): FlowFile {
    return new FlowFile({ name, path: this.#runtime.files.resolve(name, 'system.file() name') });
  }

  /**
   * A secret's value: `FLOW_SECRET_<NAME>` from the environment, else `NAME=...` from
   * `.flow/secrets.env` (or a value given to `run({ secrets })`). From then on the value is
   * masked in every record, log line and message of the run. A missing secret throws an error
   * naming where it was looked for.
   */
  secret(name: string): string {
    return this.#runtime.secrets.get(name, 'system.secret()');
  }

  /**
   * A named connection's stored defaults (a copy; secret references stay references). Use
   * `this.connect(name, inputs)` to run a REST task with them.
   */
  connection(name: string): Record<string, unknown> {
    return this.#runtime.connections.get(name);
  }

  /** Another execution's record, by id (or unique id prefix). */
  execution(id: string): ExecutionRef {
    if (typeof id !== 'string' || id === '') throw new InvalidInputError(`execution() takes an execution id, got ${describeValue(id)}`);
    const store = this.#runtime.store;
    const resolved = this.#runtime.live.has(id) ? id : store.resolveId(id);
    if (!resolved) throw new FlowApiError(`no execution with id "${id}" in the store ${store.location}`);
    return new ExecutionRef(this.#runtime, resolved);
  }
}

type SettingField = 'value' | 'name';

/** A named, persistent JSON value. Reads and writes go straight to the store. */
export class Setting {
  readonly #store: Store;

  /** @internal */
  constructor(
    store: Store,
    readonly name: string,
  ) {
    this.#store = store;
  }

  /** `get('value')`: the stored value, or `undefined` when the setting does not exist. */
  get(field: SettingField = 'value'): JsonValue | undefined {
    if (field === 'name') return this.name;
    if (field !== 'value') throw new InvalidInputError(`setting field must be "value" or "name", got ${describeValue(field)}`);
    return this.#store.getSetting(this.name);
  }

  /** Store a new value (any JSON value). */
  save(fields: { value: unknown }): this {
    if (!isPlainObject(fields) || !('value' in fields)) {
      throw new InvalidInputError(`setting "${this.name}": save() takes { value }, got ${describeValue(fields)}`);
    }
    this.#store.saveSetting(this.name, toJsonValue(fields.value));
    return this;
  }

  exists(): boolean {
    return this.#store.getSetting(this.name) !== undefined;
  }

  /** Remove the setting; returns whether it existed. */
  delete(): boolean {
    return this.#store.deleteSetting(this.name);
  }
}

/** Another execution, read through the store: `load(...)` and `wait()`. */
export class ExecutionRef {
  readonly #runtime: Runtime;

  /** @internal */
  constructor(
    runtime: Runtime,
    readonly execution_id: string,
  ) {
    this.#runtime = runtime;
  }

  /** Read one field, or several as a tuple, from the stored record. */
  load<K extends keyof ExecutionRecord>(field: K): ExecutionRecord[K];
  load<K extends readonly [keyof ExecutionRecord, keyof ExecutionRecord, ...(keyof ExecutionRecord)[]]>(
    ...fields: K
  ): { [P in keyof K]: ExecutionRecord[K[P] & keyof ExecutionRecord] };
  load(...fields: (keyof ExecutionRecord)[]): unknown {
    const record = this.#record();
    const values = fields.map((f) => record[f]);
    return fields.length === 1 ? values[0] : values;
  }

  /**
   * Wait until the execution has ended and return its record. An execution of this run is
   * awaited directly; one of another process is polled (every `poll` seconds, default 0.2).
   */
  async wait(options: { poll?: number } = {}): Promise<ExecutionRecord> {
    const poll = options.poll ?? 0.2;
    if (typeof poll !== 'number' || !Number.isFinite(poll) || poll < 0.01 || poll > 3600) {
      throw new InvalidInputError(`wait() option "poll" must be a number of seconds from 0.01 to 3600, got ${describeValue(poll)}`);
    }
    const live = this.#runtime.live.get(this.execution_id);
    if (live?.started) await live.started;
    for (;;) {
      const record = this.#record();
      if (isEnded(record.status)) return record;
      // Real time, whatever the run's clock: another process's progress is real.
      await sleep(poll * 1000);
    }
  }

  #record(): ExecutionRecord {
    this.#runtime.live.get(this.execution_id)?.writer.writePending();
    const record = this.#runtime.store.get(this.execution_id);
    if (!record) throw new FlowApiError(`execution ${this.execution_id} is no longer in the store ${this.#runtime.store.location}`);
    return record;
  }
}
