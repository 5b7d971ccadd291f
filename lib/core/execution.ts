import { FlowApiError, InvalidInputError } from '../model/errors.js';
import { STATUS, RETURN_WHEN, type EndStatus } from '../model/status.js';
import { isPlainObject } from '../util/describe.js';
import { checkField, checkOutputKey, checkSaveFields, checkSleepSeconds, waitForArguments, type SaveFields } from './checks.js';
import type { ExecutionFields, FieldName, FieldTuple } from './fields.js';
import { cancel, endNow, start } from './lifecycle.js';
import { normalizeReturnWhen, type ChildOptions, type WaitForOptions } from './options.js';
import { connectionTask, spawnFlow, spawnTask, type Spawned } from './spawn.js';
import type { ExecutionState } from './state.js';
import { System } from './system.js';
import type { TaskTypeMap } from './task-definition.js';
import type { AnyObject, TaskInputs, TaskOutputs, UntypedTask } from './typing.js';
import { waitFor } from './wait.js';
import { durableSleep, now, patched, random, uuid } from './marks.js';

// Children of any type are `Execution<any, any>`: their inputs and outputs are user JSON.
/* eslint-disable @typescript-eslint/no-explicit-any */
export { untyped, type AnyObject, type UntypedTask } from './typing.js';

/**
 * A flow's handler. The runner binds `this` to the flow's execution and also passes it as the
 * second argument, so both Cloudomation's `handler(system, this, inputs)` shape and
 * `function (this: Execution, system)` work.
 */
export type Handler<I extends object = AnyObject> = (this: Execution<I>, system: System, execution: Execution<I>, inputs: I) => unknown;

/**
 * A child execution that was waited for ended without success. `execution` is the child, so its
 * outputs, message and log can be read: `e.execution.get('output_value')`.
 */
export class DependencyFailedError extends FlowApiError {
  override name = 'DependencyFailedError';
  override readonly code = 'ERR_DEPENDENCY_FAILED';
  constructor(
    message: string,
    readonly execution: Execution,
  ) {
    super(message);
  }
}

/**
 * A flow or a task: `this` inside a handler, and what `task()` and `flow()` return.
 * Names follow Cloudomation's `flow_api` (snake_case) so flows port line by line.
 *
 * @typeParam I - the execution's inputs.
 * @typeParam O - the execution's outputs (`get('output_value')`).
 */
export class Execution<I extends object = AnyObject, O extends object = AnyObject> {
  /** Unique id, also the record's key in the store. */
  readonly execution_id: string;
  readonly #state: ExecutionState;
  #system: System | undefined;

  /** @internal Executions are created by `run()`, `task()` and `flow()`. */
  constructor(state: ExecutionState) {
    this.#state = state;
    this.execution_id = state.id;
    state.facade = this;
  }

  /**
   * Start a child task and wait for it (see {@link ChildOptions} for `run` and `wait`).
   * Inputs are validated now: bad ones throw `InvalidInputError`, `MissingInputError` or
   * `ExtraInputError`. A child that fails throws `DependencyFailedError`, whose `.execution` is it.
   */
  async task<T extends keyof TaskTypeMap>(
    type: T,
    inputs?: TaskInputs<T & string>,
    options?: ChildOptions,
  ): Promise<Execution<TaskInputs<T & string> & object, TaskOutputs<T & string>>>;
  /** A task type not declared in `TaskTypeMap`, called on purpose: `this.task(untyped('MY_TASK'), inputs)`. */
  async task(type: UntypedTask, inputs?: AnyObject, options?: ChildOptions): Promise<Execution<AnyObject, AnyObject>>;
  async task(type: string, inputs?: unknown, options?: ChildOptions): Promise<Execution<any, any>> {
    return this.#launch(spawnTask(this.#state, type, inputs, options));
  }

  /**
   * Run another handler as a child flow: a path to a `.ts`/`.js` module (relative to this flow's
   * file; a name without extension finds `.ts`, `.mts`, `.js` or `.mjs`) or a handler function.
   * Same `run`/`wait` semantics as {@link Execution.task}.
   */
  async flow<FI extends object = AnyObject>(pathOrHandler: string | Handler<FI>, inputs?: FI, options?: ChildOptions): Promise<Execution<FI, AnyObject>> {
    return this.#launch(await spawnFlow(this.#state, pathOrHandler, inputs, options));
  }

  /**
   * A task with the named connection's inputs (`connections.json`, `run({ connections })`) merged
   * with these as its task type merges them (REST: these win, `headers` by name, `params`,
   * `cookies` and `retry_backoff` by key), named after the connection unless `opts.name` says.
   */
  async connect(connectionName: string, inputs?: AnyObject, options?: ChildOptions): Promise<Execution<AnyObject, AnyObject>> {
    const { type, inputs: merged } = connectionTask(this.#state, connectionName, inputs);
    const opts = isPlainObject(options) ? options : {};
    return this.#launch(spawnTask(this.#state, type, merged, { ...opts, name: opts.name ?? connectionName }));
  }

  async #launch(spawned: Spawned): Promise<Execution<any, any>> {
    const { child, options, refusal } = spawned;
    const facade = new Execution<any, any>(child);
    if (refusal) {
      // The refused task still leaves a record, so `flow show` tells what was attempted.
      await facade.#start();
      throw refusal.error;
    }
    if (!options.run) return facade;
    void facade.#start();
    if (options.wait === false) return facade;
    await facade.#start();
    if (options.wait === RETURN_WHEN.ALL_SUCCEEDED) facade.#throwIfFailed();
    return facade;
  }

  /**
   * Wait for several children. `ALL_SUCCEEDED` (default) throws `DependencyFailedError` at the
   * first failure; `ALL_ENDED` waits for all; `FIRST_ENDED` returns once one has ended. Children
   * not started yet are started. Returns them as a tuple typed like the arguments (to map over
   * children of different types, annotate: `(e: Execution) => e.get('status')`); with
   * `FIRST_ENDED`, the ones that have ended.
   */
  async wait_for<const E extends readonly Execution<any, any>[]>(...executions: E): Promise<E>;
  async wait_for<const E extends readonly Execution<any, any>[]>(
    ...args: [...executions: E, options: WaitForOptions & { return_when?: 'ALL_SUCCEEDED' | 'ALL_ENDED' }]
  ): Promise<E>;
  /** With `FIRST_ENDED`: the executions that have ended (at least one). */
  async wait_for<const E extends readonly Execution<any, any>[]>(...args: [...executions: E, options: WaitForOptions]): Promise<E[number][]>;
  async wait_for(...args: Array<Execution<any, any> | WaitForOptions>): Promise<readonly Execution<any, any>[]> {
    this.#state.assertActive();
    const { executions, returnWhen } = waitForArguments(args, (arg) => arg instanceof Execution);
    return waitFor(executions, returnWhen, {
      start: (e) => e.#start(),
      ended: (e) => e.#state.ended,
      failed: (e) => !e.#state.succeeded,
      failure: (e) => e.#dependencyFailure(),
    });
  }

  /** Start this (unstarted) execution and wait for it; throws `DependencyFailedError` if it fails. */
  async run(): Promise<this> {
    await this.#start();
    this.#throwIfFailed();
    return this;
  }

  /** Start this execution without waiting; returns it. Starting twice has no further effect. */
  run_async(): this {
    void this.#start();
    return this;
  }

  /**
   * Wait for this (started) execution to end. By default throws `DependencyFailedError` when it
   * did not succeed; `{ return_when: ALL_ENDED }` returns it whatever the outcome.
   */
  async wait(options: WaitForOptions = {}): Promise<this> {
    if (!this.#state.started) {
      throw new InvalidInputError(`wait() on ${this.#state.label()}, which was never started; call run_async() or run() first`);
    }
    await this.#state.started;
    if (normalizeReturnWhen('wait() option "return_when"', options.return_when, false) === RETURN_WHEN.ALL_SUCCEEDED) this.#throwIfFailed();
    return this;
  }

  /** Cancel this execution (and its children): it ends `ENDED_CANCELLED`. */
  cancel(reason = 'cancelled'): void {
    cancel(this.#state, reason);
  }

  /** Read one field from this run's cache, or several as a tuple: `const [s, m] = e.get('status', 'message')`. */
  get<K extends FieldName>(field: K): ExecutionFields<I, O>[K];
  get<const K extends readonly [FieldName, FieldName, ...FieldName[]]>(...fields: K): FieldTuple<I, O, K>;
  get(...fields: FieldName[]): unknown {
    for (const f of fields) checkField(f);
    const values = fields.map((f) => this.#state.fields[f]);
    return fields.length === 1 ? values[0] : values;
  }

  /** Like {@link Execution.get}, read fresh from the store (secrets there are masked). */
  async load<K extends FieldName>(field: K): Promise<ExecutionFields<I, O>[K]>;
  async load<const K extends readonly [FieldName, FieldName, ...FieldName[]]>(...fields: K): Promise<FieldTuple<I, O, K>>;
  async load(...fields: FieldName[]): Promise<unknown> {
    for (const f of fields) checkField(f);
    this.#state.writer.writePending();
    const record = this.#state.runtime.store.get(this.execution_id);
    const source = (record ?? this.#state.fields) as unknown as Record<string, unknown>;
    const values = fields.map((f) => source[f]);
    return fields.length === 1 ? values[0] : values;
  }

  /** The outputs (`get('output_value')`). */
  get_outputs(): O {
    return this.#state.fields.output_value as O;
  }

  /** The inputs (`get('input_value')`). */
  get_inputs(): I {
    return this.#state.fields.input_value as I;
  }

  /** Merge one output key and store it now. */
  set_output(key: string, value: unknown): void {
    this.#state.assertActive();
    checkOutputKey(key);
    this.#state.writer.mergeOutputs({ [key]: value });
  }

  /** Persist fields now: `output_value` (replaces the outputs), `message`, `name`. */
  save(fields: SaveFields): void {
    this.#state.assertActive();
    const { output_value, message, name } = checkSaveFields(fields);
    const own = this.#state.fields;
    if (output_value !== undefined) own.output_value = { ...output_value };
    if (message !== undefined) own.message = message === null ? null : String(message);
    if (name !== undefined) own.name = String(name);
    this.#state.writer.persist();
  }

  /** Append a line to this execution's log (values are masked; objects kept as JSON). */
  log(...values: unknown[]): void {
    this.#state.assertActive();
    this.#state.writer.log(values);
  }

  /**
   * Pause for `seconds` (recorded in the log); ends early if the execution is cancelled. Under the
   * testing kit's virtual clock it takes no wall time.
   */
  async sleep(seconds: number): Promise<void> {
    checkSleepSeconds(seconds);
    return durableSleep(this.#state, seconds);
  }

  // Values journaled for resume: a resumed run gets, at each call, the value the first run had.

  /** The current time, recorded for resume. */
  now(): Date {
    return now(this.#state);
  }

  /** A random UUID, recorded for resume. */
  uuid(): string {
    return uuid(this.#state);
  }

  /** A random number in [0, 1), recorded for resume. */
  random(): number {
    return random(this.#state);
  }

  /**
   * Change a handler safely for runs recorded before the change: `if (this.patched('v2-lookup'))
   * { new code } else { old code }`: true in new runs, false when replaying an older journal.
   */
  patched(id: string): boolean {
    return patched(this.#state, id);
  }

  /** End this execution now with `ENDED_SUCCESS`. Code after it does not run. */
  success(message?: string): never {
    return this.end(STATUS.ENDED_SUCCESS, message);
  }

  /** End this execution now with `ENDED_ERROR`. Code after it does not run. */
  error(message?: string): never {
    return this.end(STATUS.ENDED_ERROR, message);
  }

  /**
   * End this execution now with `status`. The first end call fixes the outcome: a `catch` cannot
   * undo it, and any later call on this execution throws the same signal again.
   */
  end(status: EndStatus, message?: string): never {
    return endNow(this.#state, status, message);
  }

  /** The `System` of this run (also passed to handlers as their first argument). */
  get system(): System {
    return (this.#system ??= new System(this.#state.runtime));
  }

  toString(): string {
    return this.#state.label();
  }

  toJSON(): unknown {
    return { execution_id: this.execution_id, type: this.#state.init.type, name: this.#state.fields.name, status: this.#state.fields.status };
  }

  #start(): Promise<void> {
    return start(this.#state, () => this.system);
  }

  #throwIfFailed(): void {
    if (!this.#state.succeeded) throw this.#dependencyFailure();
  }

  #dependencyFailure(): DependencyFailedError {
    return new DependencyFailedError(this.#state.failureMessage(), this);
  }
}
