import { randomUUID } from 'node:crypto';
import { timeOrderedId } from '../util/id.js';
import { InvalidInputError } from '../model/errors.js';
import type { EndSignal } from '../model/signal.js';
import { STATUS } from '../model/status.js';
import { NOT_STARTED, type ExecutionFields } from './fields.js';
import type { Body } from './body-kind.js';
import { NO_PROTECTION, type Protection } from './protect.js';
import { RecordWriter } from './record-writer.js';
import type { Runtime } from './runtime.js';
import type { ExecutionRecord } from '../model/record.js';

/** What an execution is made from. */
export interface Init {
  parent: ExecutionState | null;
  kind: 'flow' | 'task';
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The inputs as the record keeps them, before masking (a task type may describe some); default the inputs. */
  recordedInputs?: Record<string, unknown> | undefined;
  body: Body;
  /** Folder that relative child-flow paths are resolved against. */
  baseDir: string;
  /** Inputs and outputs stored as `***` (`init.protect_inputs` / `protect_outputs`). */
  protect?: Protection | undefined;
  /** Its place among its parent's children (1, 2, ...), in the order they were started by the handler; null for a top-level flow. */
  seq?: number | null;
  /** The record's inputs, masked and serialized (what the journal hashes), when already made. */
  inputsText?: string | undefined;
  inputHash?: string | null | undefined;
  /**
   * On resume, the record this execution already has: `replay` hands it back as it ended (the
   * execution does not run), `rerun` runs again in it (a new attempt of the same record).
   */
  resumed?: { kind: 'replay' | 'rerun'; record: ExecutionRecord; why?: string | undefined } | undefined;
  /** The id to use (a resumed record's); default a new one. */
  id?: string | undefined;
  /** A top-level flow's handler file (absolute) and the SHA-256 of its content, kept with its run for `flow resume`. */
  handler?: { path: string; hash: string } | undefined;
}

/**
 * The state of one flow or task, shared by the modules that run it (lifecycle, record writer,
 * children): what the public `Execution` wraps. Kept apart from it, as Temporal's SDK keeps its
 * workflow façade apart from its internals, so the façade is only the API.
 */
export class ExecutionState {
  readonly id: string;
  readonly depth: number;
  /** The seq the next child (or journaled value) gets. */
  childSeq = 0;
  /** Seq path from the top-level flow: `4`, or `2.4` for the 4th child of its 2nd. */
  readonly path: string;
  /** Whether its children are matched against the journal (a resumed flow, or one run again in its record). */
  replaying = false;
  /** Children started and not yet ended (ended ones are read from the store). */
  readonly children = new Set<ExecutionState>();
  readonly controller = new AbortController();
  readonly writer: RecordWriter;
  fields: ExecutionFields<Record<string, unknown>, Record<string, unknown>>;
  started: Promise<void> | undefined;
  endSignal: EndSignal | undefined;
  /** The `Execution` user code holds for this state (`this` in a handler). */
  facade: object | undefined;

  constructor(
    readonly runtime: Runtime,
    readonly init: Init,
  ) {
    this.id = init.id ?? (init.parent ? timeOrderedId() : randomUUID());
    this.depth = init.parent ? init.parent.depth + 1 : 0;
    this.path = !init.parent || init.seq === undefined || init.seq === null ? '' : init.parent.path ? `${init.parent.path}.${init.seq}` : String(init.seq);
    this.fields = {
      execution_id: this.id,
      parent_id: init.parent?.id ?? null,
      output_value: {},
      input_value: init.inputs,
      status: NOT_STARTED,
      message: null,
      name: init.name,
      type: init.type,
      created_at: null,
      ended_at: null,
      duration: null,
      log: [],
    };
    this.writer = new RecordWriter(this);
    const replayed = init.resumed?.kind === 'replay' ? init.resumed.record : undefined;
    if (replayed) {
      // Ended as the journal recorded it: it does not run again, its record is handed back.
      Object.assign(this.fields, {
        output_value: replayed.output_value,
        status: replayed.status,
        message: replayed.message,
        created_at: replayed.created_at,
        ended_at: replayed.ended_at,
        duration: replayed.duration,
        log: replayed.log,
      });
      this.started = Promise.resolve();
    } else {
      init.parent?.children.add(this);
    }
    this.replaying = init.resumed?.kind === 'rerun' && init.kind === 'flow';
  }

  get protect(): Protection {
    return this.init.protect ?? NO_PROTECTION;
  }

  get ended(): boolean {
    return this.fields.status !== STATUS.RUNNING && this.fields.status !== NOT_STARTED;
  }

  get succeeded(): boolean {
    return this.fields.status === STATUS.ENDED_SUCCESS;
  }

  root(): ExecutionState {
    return this.init.parent ? this.init.parent.root() : this;
  }

  /** `task REST "name" (id)`, for messages. */
  label(): string {
    return `${this.init.kind} ${this.init.type}${this.fields.name !== this.init.type ? ` "${this.fields.name}"` : ''} (${this.id})`;
  }

  /** The execution in a message: its label, and what its task type says it does (`GET https://...`). */
  describe(): string {
    const body = this.init.body;
    const what = body.kind === 'task' && body.definition.describe ? ` ${body.definition.describe(body.inputs)}` : '';
    return `${this.label()}${what}`;
  }

  /** What a `DependencyFailedError` for this execution says. */
  failureMessage(): string {
    const { status, message } = this.fields;
    return `${this.label()} ended ${status}${message ? `: ${message}` : ''}`;
  }

  /** After the first end call, every call on the execution throws its signal again. */
  assertActive(): void {
    if (this.endSignal) throw this.endSignal;
  }

  /** Children of an ended execution would never be waited for or cancelled: refuse them. */
  assertCanStartChildren(call: string): void {
    this.assertActive();
    if (this.fields.status !== STATUS.RUNNING) {
      throw new InvalidInputError(`${call} on ${this.label()}, which is ${this.fields.status}; children can only be started while it runs`);
    }
  }
}
