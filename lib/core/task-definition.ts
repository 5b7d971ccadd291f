/**
 * What the core asks of a task type, and what it gives one. The core runs task types through
 * these interfaces only: it knows none of them (REST lives in lib/tasks/rest).
 */
import type { NetworkPolicy } from '../model/network.js';
import type { Clock } from './clock.js';
import type { Secrets } from './config/secrets.js';
import type { FilesFolder } from './files/folder.js';
import type { Redactor } from './redact/redactor.js';
import type { RunResources } from './resources.js';

/**
 * Task types by name, with their input and output types. Each task type adds itself by
 * declaration merging, so `this.task('REST', {...})` autocompletes REST's inputs:
 * ```ts
 * declare module 'flow_api' { interface TaskTypeMap { MY_TASK: { inputs: MyInputs; outputs: MyOutputs } } }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface TaskTypeMap {}

/** What `normalize` may use, at the `task()` call. */
export interface NormalizeContext {
  /** Secrets seen in the inputs are registered here. */
  readonly redactor: Redactor;
  /** The project's files folder (file inputs, download names). */
  readonly files: FilesFolder;
  /** Resolves `{ secret: 'NAME' }` references (and registers the values with the redactor). */
  readonly secrets: Secrets;
  /** The run's shared objects and the services the composition provided (OAuth grants, ...). */
  readonly resources: RunResources;
  /**
   * A name for this call that stays the same when its run is resumed: the run's id and the
   * call's seq path (`<root id>-2.4`). REST makes its `idempotency_key: true` from it.
   */
  readonly callKey: string;
}

/** Progress of a transfer, for progress bars. */
export interface TransferProgress {
  direction: 'upload' | 'download';
  /** Bytes so far. */
  bytes: number;
  /** Bytes expected, when known. */
  total: number | undefined;
  /** True on the last report of a transfer. */
  done: boolean;
}

/** What a running task may use: its own log and outputs, cancellation, time, and the run's shared resources. */
export interface TaskContext {
  readonly execution_id: string;
  /** Aborted when the task is cancelled (its parent ended or `cancel()` was called). */
  readonly signal: AbortSignal;
  /** Append a line to the task's log (masked, timestamped). */
  log(...values: unknown[]): void;
  /** Merge outputs into the task's record; they are kept even if the task then fails. */
  setOutputs(outputs: Record<string, unknown>): void;
  /** The message the task ends with when it succeeds. */
  setMessage(message: string): void;
  /** Secrets seen by the task are registered here; everything recorded passes through it. */
  readonly redactor: Redactor;
  /** Objects shared by every task of the run (connection pools), and provided services. */
  readonly resources: RunResources;
  /** The project's files folder (downloads go here). */
  readonly files: FilesFolder;
  /** Report transfer progress (the CLI draws a progress bar from it). */
  progress(progress: TransferProgress): void;
  /** Which networks the run may reach (the opt-in SSRF guard). */
  readonly network: NetworkPolicy;
  /** The run's time: delays and deadlines read it (a test's virtual clock skips them). */
  readonly clock: Clock;
}

/** One input or output of a task type, as data: what `flow describe` prints and generated types carry. */
export interface FieldSpec {
  /** Its TypeScript type, as written in the generated interface. */
  type: string;
  /** What it does, in a sentence or two (Markdown). */
  doc: string;
  /** Its default value (rendered as JSON in `@default`). */
  default?: unknown;
  /** Its default in words, when it depends on other inputs or is none. */
  defaultText?: string;
  /** Present always (no `?`). */
  required?: boolean;
  /** Why it is deprecated and what to use instead. */
  deprecated?: string;
}

/** A task type's inputs and outputs, for `flow describe`. */
export interface TaskSpec {
  inputs: Readonly<Record<string, FieldSpec>>;
  outputs: Readonly<Record<string, FieldSpec>>;
}

/**
 * A task type: `normalize` validates the user's inputs once, at the `task()` call, into a typed
 * internal form (throwing `InvalidInputError`/`MissingInputError`/`ExtraInputError`); `run`
 * performs the task and returns its outputs, or throws (a `TaskError` for failures it explains).
 * The optional hooks let the core record, describe and connect it without knowing it.
 */
export interface TaskDefinition<Normalized = unknown, Outputs extends object = Record<string, unknown>> {
  readonly type: string;
  normalize(inputs: unknown, context: NormalizeContext): Normalized;
  run(inputs: Normalized, context: TaskContext): Promise<Outputs>;
  /** Outputs that hold one value in two forms: protecting one (`init.protect_outputs`) protects all of its group. */
  readonly protectTogether?: readonly (readonly string[])[];
  /** Every input and output, with type, default and meaning (`flow describe`). */
  readonly spec?: TaskSpec;
  /**
   * Whether the task's start must be committed before it runs (write-ahead): true when running it
   * twice could do harm, as a request that is not idempotent (REST: POST, PATCH). Others start at
   * once, their start row committed with the turn's other writes. Default: false.
   */
  writeAhead?(inputs: Normalized): boolean;
  /**
   * A write-ahead task that was in flight when its run stopped is sent again on resume only if
   * this says it is safe (REST: it carries an `Idempotency-Key`). Default: false (the resume stops
   * at it with `AmbiguousOutcomeError`).
   */
  resendable?(inputs: Normalized): boolean;
  /**
   * Whether a success recorded by an earlier attempt can be handed back on resume as it is (REST:
   * a downloaded file is still there with its recorded SHA-256). Default: true.
   */
  reusable?(outputs: Record<string, unknown>): boolean;
  /** What the task does, for messages: REST says `GET https://api.example.com/items` (secrets masked by the caller). */
  describe?(inputs: Normalized): string;
  /**
   * The outputs as the record keeps them: a task type may store a value once and have another
   * derived from it when the record is read (`derived: { json: 'text' }`). `plain: true` vouches
   * that the recorded outputs are plain JSON data (no Buffer, Map, Error, NaN, function), so they
   * are serialized natively and only walked for masking when the text shows a reason to. Default:
   * the outputs, walked. `external`: large string values, already masked (or known to hold
   * nothing to mask), that the store keeps outside the row and puts back on read.
   */
  recordOutputs?(
    outputs: Outputs,
    redactor: Redactor,
  ): { outputs: Record<string, unknown>; derived?: Record<string, string>; plain?: boolean; external?: Record<string, string> };
  /** The inputs as the record keeps them, before masking (default: the inputs as given). */
  recordInputs?(raw: Record<string, unknown>): Record<string, unknown>;
  /**
   * `this.connect(name, inputs)`: a named connection's stored inputs merged with the call's (the
   * call wins). A task type with this hook can be the target of connections.
   */
  mergeConnection?(connection: Record<string, unknown>, call: Record<string, unknown>): Record<string, unknown>;
  /**
   * The exchange as a reader wants to see it (`flow show --verbose`): lines telling what the task
   * sent and received, from its recorded (masked) outputs. Undefined when there is nothing to show.
   */
  showExchange?(outputs: Record<string, unknown>): string[] | undefined;
}

/** The task types a run can start, by name (lib/tasks/registry.ts holds them). */
export interface TaskTypes {
  /** The definition of `type`; throws `UnknownTaskTypeError`, naming the known ones, for others. */
  get(type: string): TaskDefinition;
  types(): string[];
}
