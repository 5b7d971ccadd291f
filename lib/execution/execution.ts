import { randomUUID } from 'node:crypto';
import { DependencyFailedError, InvalidInputError } from '../model/errors.js';
import type { JsonObject, LogEntry } from '../model/record.js';
import { SerializedJson, type RecordPatch } from '../store/store.js';
import { EndSignal } from '../model/signal.js';
import { STATUS, RETURN_WHEN, type EndStatus, type ReturnWhen } from '../model/status.js';
import type { TaskTypeMap } from '../tasks/registry.js';
import { describeValue, errorMessage, isPlainObject } from '../util/describe.js';
import { FIELD_NAMES, NOT_STARTED, type ExecutionFields, type FieldName } from './fields.js';
import { loadHandler, type Handler } from './handler.js';
import { runBody, type Body } from './lifecycle.js';
import { normalizeChildOptions, normalizeReturnWhen, type ChildOptions, type WaitForOptions } from './options.js';
import type { Runtime } from './runtime.js';
import { System } from './system.js';
import { mergeInputs } from '../config/connections.js';
import { protectedCopy, NO_PROTECTION, readProtection, registerProtected, withTwins, type Protection } from './protect.js';
import { waitFor } from './wait.js';
import { sleep } from '../util/sleep.js';

/** How long a running task's outputs and log lines may wait before they are written. */
export const WRITE_BEHIND_MS = 200;

// Inputs and outputs of untyped executions are user JSON: `any` lets `task.get('output_value').json.id`
// read naturally in handlers, as in Cloudomation's Python.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyObject = Record<string, any>;

declare const UNTYPED: unique symbol;

/**
 * A task type name used without types: `this.task(untyped('MY_TASK'), inputs)` for a type that
 * is registered at run time but not declared in `TaskTypeMap`. Without it, `this.task('RSET')`
 * (a typo) is a compile error.
 */
export type UntypedTask = string & { readonly [UNTYPED]: true };

/** Mark a task type name as deliberately untyped (see {@link UntypedTask}). */
export function untyped(type: string): UntypedTask {
  return type as UntypedTask;
}

type FieldTuple<I, O, K extends readonly FieldName[]> = { [P in keyof K]: ExecutionFields<I, O>[K[P] & FieldName] };

/** Input and output types of a registered task type, or plain objects for others. */
type TaskInputs<T extends string> = T extends keyof TaskTypeMap ? TaskTypeMap[T] extends { inputs: infer I } ? I : AnyObject : AnyObject;
type TaskOutputs<T extends string> = T extends keyof TaskTypeMap ? TaskTypeMap[T] extends { outputs: infer O extends object } ? O : AnyObject : AnyObject;

interface Init {
  parent: Execution | null;
  kind: 'flow' | 'task';
  type: string;
  name: string;
  inputs: AnyObject;
  /** The inputs as the record keeps them, before masking (a task type may describe some); default the inputs. */
  recordedInputs?: Record<string, unknown>;
  body: Body;
  /** Folder that relative child-flow paths are resolved against. */
  baseDir: string;
  /** Inputs and outputs stored as `***` (`init.protect_inputs` / `protect_outputs`). */
  protect?: Protection;
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
  readonly execution_id: string = randomUUID();
  readonly #runtime: Runtime;
  readonly #init: Init;
  readonly #depth: number;
  readonly #children = new Set<Execution<any, any>>();
  readonly #controller = new AbortController();
  #fields: ExecutionFields<I, O>;
  #started: Promise<void> | undefined;
  #endSignal: EndSignal | undefined;
  #system: System | undefined;
  /** Fields changed but not yet written (tasks write behind, see #persist). */
  #unwritten = false;
  #unwrittenLogs: LogEntry[] = [];
  #flushTimer: NodeJS.Timeout | undefined;

  /** @internal Executions are created by `run()`, `task()` and `flow()`. */
  constructor(runtime: Runtime, init: Init) {
    this.#runtime = runtime;
    this.#init = init;
    this.#depth = init.parent ? init.parent.#depth + 1 : 0;
    this.#fields = {
      execution_id: this.execution_id,
      parent_id: init.parent?.execution_id ?? null,
      output_value: {} as O,
      input_value: init.inputs as I,
      status: NOT_STARTED,
      message: null,
      name: init.name,
      type: init.type,
      created_at: null,
      ended_at: null,
      duration: null,
      log: [],
    };
    if (init.parent) init.parent.#children.add(this);
  }

  // ---------------------------------------------------------------- children

  /**
   * Start a child task and wait for it (see {@link ChildOptions} for `run` and `wait`).
   * Inputs are validated now: bad ones throw `InvalidInputError`, `MissingInputError` or
   * `ExtraInputError`. A child that fails throws `DependencyFailedError`, whose `.execution` is it.
   */
  async task<T extends keyof TaskTypeMap>(type: T, inputs?: TaskInputs<T & string>, options?: ChildOptions): Promise<Execution<TaskInputs<T & string> & object, TaskOutputs<T & string>>>;
  /** A task type not declared in `TaskTypeMap`, called on purpose: `this.task(untyped('MY_TASK'), inputs)`. */
  async task(type: UntypedTask, inputs?: AnyObject, options?: ChildOptions): Promise<Execution<AnyObject, AnyObject>>;
  async task(type: string, inputs?: unknown, options?: ChildOptions): Promise<Execution<any, any>> {
    this.#assertCanStartChildren('task()');
    const opts = normalizeChildOptions('task()', options);
    const definition = this.#runtime.registry.get(type);
    const redactor = this.#runtime.redactor;
    // `init` may sit among the inputs, as a port of Cloudomation's `task('REST', ..., init={...})` writes it.
    let raw: unknown = inputs ?? {};
    let initInInputs: unknown;
    if (isPlainObject(raw) && 'init' in raw) ({ init: initInInputs, ...raw } = raw);
    const protect = withTwins(readProtection('task()', initInInputs, opts.init), definition.protectTogether);
    if (isPlainObject(raw)) registerProtected(redactor, raw, protect.inputs);
    let normalized: unknown;
    let failure: unknown;
    try {
      const { files, secrets, grants } = this.#runtime;
      normalized = definition.normalize(raw, { redactor, files, secrets, grants });
    } catch (error) {
      failure = error;
    }
    const recordedInputs = definition.recordInputs && isPlainObject(raw) ? definition.recordInputs(raw) : undefined;
    const child = new Execution<any, any>(this.#runtime, {
      parent: this,
      kind: 'task',
      type: definition.type,
      name: opts.name ?? definition.type,
      inputs: isPlainObject(raw) ? raw : { value: raw },
      ...(recordedInputs ? { recordedInputs } : {}),
      body: failure === undefined ? { kind: 'task', definition, inputs: normalized } : { kind: 'rejected', error: failure },
      baseDir: this.#init.baseDir,
      protect,
    });
    if (failure !== undefined) {
      // The rejected task still leaves a record, so `flow show` tells what was attempted.
      await child.#start();
      throw failure;
    }
    return this.#launch(child, opts.run, opts.wait);
  }

  /**
   * Run another handler as a child flow: a path to a `.ts`/`.js` module (relative to this flow's
   * file) or a handler function. Same `run`/`wait` semantics as {@link Execution.task}.
   */
  async flow<FI extends object = AnyObject>(
    pathOrHandler: string | Handler<FI>,
    inputs?: FI,
    options?: ChildOptions,
  ): Promise<Execution<FI, AnyObject>> {
    this.#assertCanStartChildren('flow()');
    const opts = normalizeChildOptions('flow()', options);
    if (inputs !== undefined && !isPlainObject(inputs)) {
      throw new InvalidInputError(`flow() inputs must be an object, got ${describeValue(inputs)}`);
    }
    const protect = readProtection('flow()', opts.init);
    if (inputs) registerProtected(this.#runtime.redactor, inputs as Record<string, unknown>, protect.inputs);
    const loaded = await loadHandler(pathOrHandler, this.#init.baseDir);
    const child = new Execution<any, any>(this.#runtime, {
      parent: this,
      kind: 'flow',
      type: loaded.type,
      name: opts.name ?? loaded.name,
      inputs: inputs ?? {},
      body: { kind: 'flow', handler: loaded.handler },
      baseDir: loaded.baseDir,
      protect,
    });
    return this.#launch(child, opts.run, opts.wait);
  }

  /**
   * A REST task whose inputs are the named connection's (`.flow/connections.json`, or
   * `run({ connections })`) merged with these: these win, `headers` merge by name and `params`,
   * `cookies` and `retry_backoff` by key. The task is named after the connection unless
   * `opts.name` says otherwise.
   */
  async connect(
    connectionName: string,
    inputs?: Partial<TaskInputs<'REST'>>,
    options?: ChildOptions,
  ): Promise<Execution<TaskInputs<'REST'> & object, TaskOutputs<'REST'>>> {
    this.#assertCanStartChildren('connect()');
    if (inputs !== undefined && !isPlainObject(inputs)) throw new InvalidInputError(`connect() inputs must be an object, got ${describeValue(inputs)}`);
    const connection = this.#runtime.connections.get(connectionName);
    const merged = mergeInputs(connection, (inputs ?? {}) as Record<string, unknown>);
    const opts = isPlainObject(options) ? options : {};
    return this.task('REST', merged as TaskInputs<'REST'>, { ...opts, name: opts.name ?? connectionName } as ChildOptions);
  }

  async #launch<C extends Execution<any, any>>(child: C, run: boolean, wait: false | ReturnWhen): Promise<C> {
    if (!run) return child;
    void child.#start();
    if (wait === false) return child;
    await child.#start();
    if (wait === RETURN_WHEN.ALL_SUCCEEDED) child.#throwIfFailed();
    return child;
  }

  /**
   * Wait for several children. `ALL_SUCCEEDED` (default) throws `DependencyFailedError` at the
   * first failure; `ALL_ENDED` waits for all; `FIRST_ENDED` returns once one has ended.
   * Children not started yet are started. Returns the children that have ended.
   */
  async wait_for<const E extends readonly Execution<any, any>[]>(...executions: E): Promise<E>;
  async wait_for<const E extends readonly Execution<any, any>[]>(...args: [...executions: E, options: WaitForOptions & { return_when?: 'ALL_SUCCEEDED' | 'ALL_ENDED' }]): Promise<E>;
  /** With `FIRST_ENDED`: the executions that have ended (at least one). */
  async wait_for<const E extends readonly Execution<any, any>[]>(...args: [...executions: E, options: WaitForOptions]): Promise<E[number][]>;
  async wait_for(...args: Array<Execution<any, any> | WaitForOptions>): Promise<readonly Execution<any, any>[]> {
    this.#assertActive();
    const executions: Execution<any, any>[] = [];
    let returnWhen: ReturnWhen = RETURN_WHEN.ALL_SUCCEEDED;
    for (const [index, arg] of args.entries()) {
      if (arg instanceof Execution) executions.push(arg);
      else if (index === args.length - 1 && isPlainObject(arg)) {
        returnWhen = normalizeReturnWhen('wait_for() option "return_when"', arg.return_when, false) as ReturnWhen;
      } else throw new InvalidInputError(`wait_for() takes executions and an optional options object last, got ${describeValue(arg)} at position ${index + 1}`);
    }
    return waitFor(executions, returnWhen, {
      start: (e) => e.#start(),
      ended: (e) => e.#fields.status !== STATUS.RUNNING && e.#fields.status !== NOT_STARTED,
      failed: (e) => e.#fields.status !== STATUS.ENDED_SUCCESS,
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
    if (!this.#started) {
      throw new InvalidInputError(`wait() on ${this.#label()}, which was never started; call run_async() or run() first`);
    }
    await this.#started;
    if (normalizeReturnWhen('wait() option "return_when"', options.return_when, false) === RETURN_WHEN.ALL_SUCCEEDED) this.#throwIfFailed();
    return this;
  }

  /** Cancel this execution (and its children): it ends `ENDED_CANCELLED`. */
  cancel(reason = 'cancelled'): void {
    if (this.#endSignal || (this.#fields.status !== NOT_STARTED && this.#fields.status !== STATUS.RUNNING)) return;
    // Like an end call: the handler stops at its next call on this execution.
    this.#endSignal = new EndSignal(this.execution_id, STATUS.ENDED_CANCELLED, reason);
    this.#controller.abort(new Error(reason));
    for (const child of this.#children) child.cancel(reason);
  }

  // ---------------------------------------------------------------- fields

  /** Read one field from this run's cache, or several as a tuple: `const [s, m] = e.get('status', 'message')`. */
  get<K extends FieldName>(field: K): ExecutionFields<I, O>[K];
  get<const K extends readonly [FieldName, FieldName, ...FieldName[]]>(...fields: K): FieldTuple<I, O, K>;
  get(...fields: FieldName[]): unknown {
    for (const f of fields) checkField(f);
    const values = fields.map((f) => this.#fields[f]);
    return fields.length === 1 ? values[0] : values;
  }

  /** Like {@link Execution.get}, read fresh from the store (secrets there are masked). */
  async load<K extends FieldName>(field: K): Promise<ExecutionFields<I, O>[K]>;
  async load<const K extends readonly [FieldName, FieldName, ...FieldName[]]>(...fields: K): Promise<FieldTuple<I, O, K>>;
  async load(...fields: FieldName[]): Promise<unknown> {
    for (const f of fields) checkField(f);
    this.writePending();
    const record = this.#runtime.store.get(this.execution_id);
    const source = (record ?? this.#fields) as unknown as Record<string, unknown>;
    const values = fields.map((f) => source[f]);
    return fields.length === 1 ? values[0] : values;
  }

  /** The outputs (`get('output_value')`). */
  get_outputs(): O {
    return this.#fields.output_value;
  }

  /** The inputs (`get('input_value')`). */
  get_inputs(): I {
    return this.#fields.input_value;
  }

  /** Merge one output key and store it now. */
  set_output(key: string, value: unknown): void {
    this.#assertActive();
    if (typeof key !== 'string' || key === '') throw new InvalidInputError(`set_output() key must be a non-empty string, got ${describeValue(key)}`);
    this.#mergeOutputs({ [key]: value });
  }

  /** Persist fields now: `output_value` (replaces the outputs), `message`, `name`. */
  save(fields: { output_value?: Record<string, unknown>; message?: string | null; name?: string }): void {
    this.#assertActive();
    if (!isPlainObject(fields)) throw new InvalidInputError(`save() takes an object, got ${describeValue(fields)}`);
    for (const key of Object.keys(fields)) {
      if (!['output_value', 'message', 'name'].includes(key)) {
        throw new InvalidInputError(`save() cannot set "${key}"; it saves output_value, message and name`, key);
      }
    }
    const { output_value, message, name } = fields;
    if (output_value !== undefined) {
      if (!isPlainObject(output_value)) throw new InvalidInputError(`save() output_value must be an object, got ${describeValue(output_value)}`);
      this.#fields.output_value = { ...output_value } as O;
    }
    if (message !== undefined) this.#fields.message = message === null ? null : String(message);
    if (name !== undefined) this.#fields.name = String(name);
    this.#persist();
  }

  // ---------------------------------------------------------------- logging and time

  /** Append a line to this execution's log (values are masked; objects kept as JSON). */
  log(...values: unknown[]): void {
    this.#assertActive();
    this.#log(values);
  }

  /** Pause for `seconds` (recorded in the log); ends early if the execution is cancelled. */
  async sleep(seconds: number): Promise<void> {
    this.#assertActive();
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new InvalidInputError(`sleep() takes a number of seconds >= 0, got ${describeValue(seconds)}`);
    }
    this.#log([`sleeping ${seconds} s`]);
    await sleep(seconds * 1000, this.#controller.signal);
    this.#assertActive();
  }

  // ---------------------------------------------------------------- ending

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
    this.#assertActive();
    if (![STATUS.ENDED_SUCCESS, STATUS.ENDED_ERROR, STATUS.ENDED_CANCELLED].includes(status as never)) {
      throw new InvalidInputError(`end() status must be ENDED_SUCCESS, ENDED_ERROR or ENDED_CANCELLED, got ${describeValue(status)}`);
    }
    this.#endSignal = new EndSignal(this.execution_id, status, message === undefined || message === null ? null : String(message));
    throw this.#endSignal;
  }

  /** The `System` of this run (also passed to handlers as their first argument). */
  get system(): System {
    return (this.#system ??= new System(this.#runtime));
  }

  toString(): string {
    return this.#label();
  }

  toJSON(): unknown {
    return { execution_id: this.execution_id, type: this.#init.type, name: this.#fields.name, status: this.#fields.status };
  }

  // ---------------------------------------------------------------- internals

  #assertActive(): void {
    if (this.#endSignal) throw this.#endSignal;
  }

  /** Children of an ended execution would never be waited for or cancelled: refuse them. */
  #assertCanStartChildren(call: string): void {
    this.#assertActive();
    if (this.#fields.status !== STATUS.RUNNING) {
      throw new InvalidInputError(`${call} on ${this.#label()}, which is ${this.#fields.status}; children can only be started while it runs`);
    }
  }

  #label(): string {
    return `${this.#init.kind} ${this.#init.type}${this.#fields.name !== this.#init.type ? ` "${this.#fields.name}"` : ''} (${this.execution_id})`;
  }

  #throwIfFailed(): void {
    if (this.#fields.status !== STATUS.ENDED_SUCCESS) throw this.#dependencyFailure();
  }

  #dependencyFailure(): DependencyFailedError {
    const { status, message } = this.#fields;
    return new DependencyFailedError(`${this.#label()} ended ${status}${message ? `: ${message}` : ''}`, this);
  }

  #mergeOutputs(outputs: Record<string, unknown>): void {
    if (this.#init.protect) registerProtected(this.#runtime.redactor, outputs, this.#init.protect.outputs);
    this.#fields.output_value = { ...this.#fields.output_value, ...outputs };
    this.#persist();
  }

  /**
   * Write the changed fields. A running task writes behind: its outputs and log lines reach the
   * store within {@link WRITE_BEHIND_MS} and at its end, in one transaction with its end status,
   * so a task costs two commits (start and end) instead of one per line. Flows write at once.
   */
  #persist(): void {
    if (this.#fields.created_at === null) return; // not started: written in full when it starts
    this.#unwritten = true;
    if (this.#writesBehind()) this.#scheduleFlush();
    else this.#flush();
  }

  #writesBehind(): boolean {
    return this.#init.kind === 'task' && this.#fields.status === STATUS.RUNNING;
  }

  #scheduleFlush(): void {
    if (this.#flushTimer) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      // A write that fails here is written again, and reported, when the task ends.
      try {
        this.#flush();
      } catch {
        this.#unwritten = true;
      }
    }, WRITE_BEHIND_MS);
    this.#flushTimer.unref();
  }

  /** @internal Write the outputs and log lines a running task holds back, so a read of the store sees them. */
  writePending(): void {
    if (this.#unwritten || this.#unwrittenLogs.length) this.#flush();
  }

  /** Write what is pending (and `end`, when the execution ends). */
  #flush(end?: Pick<RecordPatch, 'status' | 'ended_at' | 'duration'>): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const logs = this.#unwrittenLogs.splice(0);
    const fields = this.#unwritten || end ? this.#recordFields() : undefined;
    this.#unwritten = false;
    const store = this.#runtime.store;
    for (const entry of logs) store.appendLog(this.execution_id, entry);
    if (fields) store.update(this.execution_id, { ...fields, ...end });
  }

  /**
   * Write the end. If the record cannot be written as it is (an output that cannot be turned
   * into JSON), the execution still ends: `ENDED_ERROR`, with a message that names it and the
   * cause, so no record is left RUNNING.
   */
  #writeEnd(end: Pick<RecordPatch, 'status' | 'ended_at' | 'duration'>): void {
    try {
      this.#flush(end);
    } catch (error) {
      const message = this.#runtime.redactor.maskText(`recording the end of ${this.#describe()} failed: ${errorMessage(error)}`);
      this.#fields.status = STATUS.ENDED_ERROR;
      this.#fields.message = message;
      this.#runtime.store.update(this.execution_id, { ...end, status: STATUS.ENDED_ERROR, message, output_value: new SerializedJson('{}') });
    }
  }

  /** The execution in a message: its kind, type and id, and what the task type says it does (`GET https://...`). */
  #describe(): string {
    const body = this.#init.body;
    const what = body.kind === 'task' && body.definition.describe ? ` ${body.definition.describe(body.inputs)}` : '';
    return `${this.#label()}${what}`;
  }

  /** The fields a running execution changes, masked for the record. */
  #recordFields(): RecordPatch {
    const redactor = this.#runtime.redactor;
    return {
      name: this.#fields.name,
      output_value: this.#recordOutputs(),
      message: this.#fields.message === null ? null : redactor.maskText(this.#fields.message),
    };
  }

  /** The outputs, masked and serialized; a task type may store one output once and derive another on read. */
  #recordOutputs(): SerializedJson {
    const redactor = this.#runtime.redactor;
    const outputs = this.#fields.output_value as Record<string, unknown>;
    const body = this.#init.body;
    // Protected outputs are replaced first; then nothing is derived, so no protected value can come back.
    if (this.#protect.outputs.size > 0 || body.kind !== 'task' || !body.definition.recordOutputs) {
      return new SerializedJson(redactor.serialize(protectedCopy(outputs, this.#protect.outputs)));
    }
    const recorded = body.definition.recordOutputs(outputs, redactor);
    return new SerializedJson(redactor.serialize(recorded.outputs), recorded.derived);
  }

  get #protect(): Protection {
    return this.#init.protect ?? NO_PROTECTION;
  }

  #log(values: unknown[]): void {
    const redactor = this.#runtime.redactor;
    const masked = values.map((v) => redactor.maskValue(v));
    const entry: LogEntry = { [new Date().toISOString()]: masked };
    this.#fields.log.push(entry);
    if (this.#fields.created_at !== null) {
      this.#unwrittenLogs.push(entry);
      if (this.#writesBehind()) this.#scheduleFlush();
      else this.#flush();
    }
    this.#runtime.events.onLog?.({ execution_id: this.execution_id, name: this.#fields.name, depth: this.#depth, entry });
  }

  /** Start once; the promise settles (never rejects) when the execution has ended. */
  #start(): Promise<void> {
    this.#started ??= this.#execute();
    return this.#started;
  }

  async #execute(): Promise<void> {
    const runtime = this.#runtime;
    const started = performance.now();
    const createdAt = new Date().toISOString();
    this.#fields.created_at = createdAt;
    this.#fields.status = STATUS.RUNNING;
    runtime.live.set(this.execution_id, this);
    runtime.store.insert({
      execution_id: this.execution_id,
      parent_id: this.#fields.parent_id,
      root_id: this.#root().execution_id,
      kind: this.#init.kind,
      type: this.#init.type,
      name: this.#fields.name,
      input_value: runtime.redactor.maskValue(protectedCopy(this.#init.recordedInputs ?? this.#init.inputs, this.#protect.inputs)) as JsonObject,
      created_at: createdAt,
    });
    // The start is committed before the body runs (so before a request leaves), together with
    // every other execution that started in this turn. The top-level flow's is committed at
    // once: a store that cannot be written fails the run here.
    if (!this.#init.parent) runtime.store.flush();
    else await runtime.store.committed();
    // A task whose inputs were refused never ran: it is recorded, but the live log tells the
    // refusal once, where the error lands (the flow's end, or the handler that catches it).
    const quiet = this.#init.body.kind === 'rejected' && this.#init.kind === 'task';
    if (!quiet) runtime.events.onStart?.({
      execution_id: this.execution_id, parent_id: this.#fields.parent_id, kind: this.#init.kind,
      type: this.#init.type, name: this.#fields.name, depth: this.#depth,
    });
    let outcome = this.#endSignal
      ? { status: this.#endSignal.status, message: this.#endSignal.message }
      : await runBody(this.#init.body, {
          self: this,
          system: this.system,
          inputs: this.#init.inputs,
          signal: this.#controller.signal,
          log: (values) => this.#log(values),
          setOutputs: (outputs) => this.#mergeOutputs(outputs),
          setMessage: (message) => void (this.#fields.message = message),
          progress: (progress) =>
            runtime.events.onProgress?.({ execution_id: this.execution_id, name: this.#fields.name, depth: this.#depth, ...progress }),
          runtime,
          executionId: this.execution_id,
        });
    // The first end call wins over whatever the handler did afterwards.
    if (this.#endSignal) outcome = { status: this.#endSignal.status, message: this.#endSignal.message };
    await this.#settleChildren();
    this.#fields.status = outcome.status;
    if (outcome.message !== undefined) this.#fields.message = outcome.message;
    const duration = Math.round(performance.now() - started) / 1000;
    this.#fields.ended_at = new Date().toISOString();
    this.#fields.duration = duration;
    this.#writeEnd({ status: outcome.status, ended_at: this.#fields.ended_at, duration });
    // The end is committed before anyone hears of it, in one commit with every other execution
    // that ended in this turn of the event loop.
    await runtime.store.committed();
    // An ended execution needs no cancelling and is read from the store by id: a flow that runs
    // 100,000 tasks holds only the ones still running (and those its handler keeps).
    if (this.#init.parent) this.#init.parent.#children.delete(this);
    runtime.live.delete(this.execution_id);
    if (!quiet) runtime.events.onEnd?.({
      execution_id: this.execution_id, kind: this.#init.kind, name: this.#fields.name, depth: this.#depth,
      status: this.#fields.status as EndStatus, message: this.#fields.message === null ? null : runtime.redactor.maskText(this.#fields.message), duration,
    });
  }

  /** Children still running when their parent ends are cancelled, and waited for, so no record stays RUNNING. */
  async #settleChildren(): Promise<void> {
    const running = [...this.#children].filter((c) => c.#started && c.#fields.status === STATUS.RUNNING);
    for (const child of running) child.cancel(`cancelled because its parent ${this.#init.kind} ${this.#fields.name} ended`);
    await Promise.all(running.map((c) => c.#started));
  }

  #root(): Execution<any, any> {
    return this.#init.parent ? this.#init.parent.#root() : this;
  }
}

function checkField(field: unknown): void {
  if (!FIELD_NAMES.includes(field as FieldName)) {
    throw new InvalidInputError(`unknown execution field ${describeValue(field)}; fields are: ${FIELD_NAMES.join(', ')}`);
  }
}
