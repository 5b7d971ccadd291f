import type { LogEntry } from '../model/record.js';
import { STATUS } from '../model/status.js';
import { SerializedJson, type RecordPatch } from '../store/store.js';
import { errorMessage } from '../util/describe.js';
import { protectedCopy, registerProtected } from './protect.js';
import type { Protection } from './protect.js';
import type { Runtime } from './runtime.js';
import type { ExecutionFields } from './fields.js';
import type { Body } from './body-kind.js';

/** The part of an execution's state the writer reads (the state itself; an interface, so the two modules do not import each other). */
export interface Written {
  readonly id: string;
  readonly depth: number;
  readonly runtime: Runtime;
  readonly init: { kind: 'flow' | 'task'; protect?: Protection | undefined; body: Body };
  readonly fields: ExecutionFields<Record<string, unknown>, Record<string, unknown>>;
  readonly protect: Protection;
  describe(): string;
}

/**
 * Writes one execution's record. A running task writes behind: its outputs and log lines stay in
 * memory until its end (or the run's write-behind tick, for a task that runs long), and go into
 * its row in one write with its end status, the log as one column: a task costs two row writes
 * (start and end), whatever it logs. Flows write at once, their log lines appended one by one.
 */
export class RecordWriter {
  /** Fields changed but not yet written. */
  #unwritten = false;
  /** Flows: log lines not yet appended. */
  #unwrittenLogs: LogEntry[] = [];

  constructor(readonly state: Written) {}

  /** Merge outputs into the execution and write them (behind, for a running task). */
  mergeOutputs(outputs: Record<string, unknown>): void {
    const state = this.state;
    if (state.init.protect) registerProtected(state.runtime.redactor, outputs, state.init.protect.outputs);
    state.fields.output_value = { ...state.fields.output_value, ...outputs };
    this.persist();
  }

  /** Append a log line: masked, timestamped with the run's clock, told to the live log. */
  log(values: unknown[]): void {
    const { runtime, fields } = this.state;
    // One string (how tasks log) is masked as a string, without the walk for any value.
    const masked =
      values.length === 1 && typeof values[0] === 'string' ? [runtime.redactor.maskString(values[0])] : values.map((v) => runtime.redactor.maskValue(v));
    const entry: LogEntry = { [new Date(runtime.clock.now()).toISOString()]: masked };
    fields.log.push(entry);
    if (fields.created_at !== null) {
      if (this.#writesBehind()) {
        this.#unwritten = true;
        runtime.writeBehind(this);
      } else {
        this.#unwrittenLogs.push(entry);
        this.flush();
      }
    }
    runtime.events.onLog?.({ execution_id: this.state.id, name: fields.name, depth: this.state.depth, entry });
  }

  /** Write the changed fields, now or behind. */
  persist(): void {
    if (this.state.fields.created_at === null) return; // not started: written in full when it starts
    this.#unwritten = true;
    if (this.#writesBehind()) this.state.runtime.writeBehind(this);
    else this.flush();
  }

  /** Write what a running task holds back, so a read of the store sees it. */
  writePending(): void {
    if (this.#unwritten || this.#unwrittenLogs.length) this.flush();
  }

  /** Write what is pending (and `end`, when the execution ends). */
  flush(end?: Pick<RecordPatch, 'status' | 'ended_at' | 'duration'>): void {
    const fields = this.#unwritten || end ? this.#recordFields() : undefined;
    this.#unwritten = false;
    const store = this.state.runtime.store;
    if (this.#unwrittenLogs.length) for (const entry of this.#unwrittenLogs.splice(0)) store.appendLog(this.state.id, entry);
    if (fields) store.update(this.state.id, end ? { ...fields, ...end } : fields);
  }

  /** For the run's write-behind tick: write what a task still running holds back. */
  writeBehind(): void {
    if (!this.#unwritten || !this.#writesBehind()) return;
    // A write that fails here is written again, and reported, when the task ends.
    try {
      this.flush();
    } catch {
      this.#unwritten = true;
    }
  }

  /**
   * Write the end. If the record cannot be written as it is (an output that cannot be turned
   * into JSON), the execution still ends: `ENDED_ERROR`, with a message that names it and the
   * cause, so no record is left RUNNING.
   */
  writeEnd(end: Pick<RecordPatch, 'status' | 'ended_at' | 'duration'>): void {
    this.state.runtime.wroteEnd(this);
    try {
      this.flush(end);
    } catch (error) {
      const state = this.state;
      const message = state.runtime.redactor.maskText(`recording the end of ${state.describe()} failed: ${errorMessage(error)}`);
      state.fields.status = STATUS.ENDED_ERROR;
      state.fields.message = message;
      state.runtime.store.update(state.id, { ...end, status: STATUS.ENDED_ERROR, message, output_value: new SerializedJson('{}') });
    }
  }

  #writesBehind(): boolean {
    return this.state.init.kind === 'task' && this.state.fields.status === STATUS.RUNNING;
  }

  /** The fields a running execution changes, masked for the record (a task's log with them). */
  #recordFields(): RecordPatch {
    const { fields, runtime } = this.state;
    const patch: RecordPatch = {
      name: fields.name,
      output_value: this.#recordOutputs(),
      message: fields.message === null ? null : runtime.redactor.maskText(fields.message),
    };
    // Log entries were masked when they were logged.
    if (this.state.init.kind === 'task' && fields.log.length) patch.log = new SerializedJson(JSON.stringify(fields.log));
    return patch;
  }

  /** The outputs, masked and serialized; a task type may store one output once and derive another on read. */
  #recordOutputs(): SerializedJson {
    const { state } = this;
    const redactor = state.runtime.redactor;
    const outputs = state.fields.output_value as Record<string, unknown>;
    const body = state.init.body;
    // Protected outputs are replaced first; then nothing is derived, so no protected value can come back.
    if (state.protect.outputs.size > 0 || body.kind !== 'task' || !body.definition.recordOutputs) {
      return new SerializedJson(redactor.serialize(protectedCopy(outputs, state.protect.outputs)));
    }
    const recorded = body.definition.recordOutputs(outputs, redactor);
    // `plain`: the task type vouches that its recorded outputs are plain JSON data, so a native
    // serialization and a look over the text replace the walk (see Redactor.serializePlain).
    const text = recorded.plain ? redactor.serializePlain(recorded.outputs) : redactor.serialize(recorded.outputs);
    return new SerializedJson(text, recorded.derived, recorded.external);
  }
}
