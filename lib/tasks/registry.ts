import { UnknownTaskTypeError } from '../model/errors.js';
import type { JsonObject } from '../model/record.js';
import type { TaskSpec } from './field-spec.js';
import type { Redactor } from '../redact/redactor.js';
import type { RunResources } from '../execution/resources.js';
import type { FilesFolder } from '../files/folder.js';
import type { Secrets } from '../config/secrets.js';
import type { Grants } from '../auth/grants.js';
import type { GrantTokens } from '../auth/tokens.js';
import type { NetworkPolicy } from '../execution/network.js';

/** What `normalize` may use: the redactor (to register secrets it sees) and the run's files folder. */
export interface NormalizeContext {
  readonly redactor: Redactor;
  readonly files: FilesFolder;
  /** Resolves `{ secret: 'NAME' }` references (and registers the values with the redactor). */
  readonly secrets: Secrets;
  /** The configured OAuth 2.0 grants. */
  readonly grants: Grants;
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

/**
 * Task types by name, with their input and output types. Each task type adds itself by
 * declaration merging, so `this.task('REST', {...})` autocompletes REST's inputs:
 * ```ts
 * declare module 'flow_api' { interface TaskTypeMap { MY_TASK: { inputs: MyInputs; outputs: MyOutputs } } }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface TaskTypeMap {}

/** What a running task may use: its own log and outputs, cancellation and the run's shared resources. */
export interface TaskContext {
  readonly execution_id: string;
  /** Aborted when the task is cancelled (its parent ended or `cancel()` was called). */
  readonly signal: AbortSignal;
  /** Append a line to the task's log (masked, timestamped, stored at once). */
  log(...values: unknown[]): void;
  /** Merge outputs into the task's record now; they are kept even if the task then fails. */
  setOutputs(outputs: Record<string, unknown>): void;
  /** The message the task ends with when it succeeds. */
  setMessage(message: string): void;
  /** Secrets seen by the task are registered here; everything recorded passes through it. */
  readonly redactor: Redactor;
  /** Objects shared by every task of the run (connection pools), disposed when the run ends. */
  readonly resources: RunResources;
  /** The run's files folder (downloads go here). */
  readonly files: FilesFolder;
  /** Report transfer progress (the CLI draws a progress bar from it). */
  progress(progress: TransferProgress): void;
  /** OAuth 2.0 access tokens of the configured grants, shared by the run's tasks. */
  readonly tokens: GrantTokens;
  /** Which networks the run may reach (the opt-in SSRF guard). */
  readonly network: NetworkPolicy;
}

/**
 * A task type: `normalize` validates the user's inputs once, at the `task()` call, into a typed
 * internal form (throwing `InvalidInputError`/`MissingInputError`/`ExtraInputError`); `run`
 * performs the task and returns its outputs, or throws (a `TaskError` for failures it explains).
 */
export interface TaskDefinition<Normalized = unknown, Outputs extends object = Record<string, unknown>> {
  readonly type: string;
  normalize(inputs: unknown, context: NormalizeContext): Normalized;
  run(inputs: Normalized, context: TaskContext): Promise<Outputs>;
  /** Outputs that hold one value in two forms: protecting one (`init.protect_outputs`) protects all of its group. */
  readonly protectTogether?: readonly (readonly string[])[];
  /** Every input and output, with type, default and meaning (`flow describe`). */
  readonly spec?: TaskSpec;
  /** What the task does, for messages: REST says `GET https://api.example.com/items` (secrets masked by the caller). */
  describe?(inputs: Normalized): string;
  /**
   * The outputs as the record keeps them: a task type may store a value once and have another
   * derived from it when the record is read (`derived: { json: 'text' }`: the REST body is
   * stored as text only when its JSON can be rebuilt from it exactly). Default: the outputs.
   */
  recordOutputs?(outputs: Outputs, redactor: Redactor): { outputs: Record<string, unknown>; derived?: Record<string, string> };
  /** The inputs as the record keeps them, before masking (default: the inputs as given). */
  recordInputs?(raw: unknown): Record<string, unknown>;
}

/** The registered task types. The core looks types up here and knows none of them. */
export class TaskRegistry {
  readonly #types = new Map<string, TaskDefinition>();

  register(definition: TaskDefinition<any, any>): this {
    if (this.#types.has(definition.type)) throw new Error(`task type "${definition.type}" is already registered`);
    this.#types.set(definition.type, definition as TaskDefinition);
    return this;
  }

  get(type: string): TaskDefinition {
    const definition = this.#types.get(type);
    if (definition) return definition;
    // Task types are matched exactly (as in Cloudomation), but a case slip gets a precise hint.
    const caseMatch = [...this.#types.keys()].find((known) => known.toLowerCase() === String(type).toLowerCase());
    const hint = caseMatch ? ` (did you mean "${caseMatch}"?)` : '';
    throw new UnknownTaskTypeError(`unknown task type ${JSON.stringify(type)}${hint}; known task types: ${this.types().join(', ')}`);
  }

  types(): string[] {
    return [...this.#types.keys()].sort();
  }
}
