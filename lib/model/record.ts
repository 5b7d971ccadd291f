import type { Status } from './status.js';

/** A JSON value as stored in a record. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * One log line, in Cloudomation's `logging` shape: `{ "<ISO timestamp>": [values...] }`.
 */
export type LogEntry = { [timestamp: string]: JsonValue[] };

/** Whether a record belongs to a flow (a handler) or a task (a registered task type). */
export type ExecutionKind = 'flow' | 'task';

/** What the store keeps for every flow and task. */
export interface ExecutionRecord {
  /** Unique id (a UUID); also the key in the store. */
  execution_id: string;
  /** The execution that started this one; `null` for a top-level flow. */
  parent_id: string | null;
  /**
   * Its place among its parent's children, in the order the handler started them (1, 2, 3, ...):
   * what `flow resume` matches a call against. `null` for a top-level flow.
   */
  seq?: number | null;
  /** The top-level flow of the tree this execution belongs to. */
  root_id: string;
  kind: ExecutionKind;
  /** The task type (`REST`) or, for a flow, the handler's file (or `<function name>` for one passed in). */
  type: string;
  /** A label; defaults to the type or the handler file's base name. */
  name: string;
  status: Status;
  /** The inputs as given, with secrets masked. */
  input_value: JsonObject;
  /** The outputs, with secrets masked. */
  output_value: JsonObject;
  message: string | null;
  /** Log lines with timestamps, oldest first. */
  log: LogEntry[];
  /** ISO 8601 UTC time the execution started. */
  created_at: string;
  /** ISO 8601 UTC time the execution ended; `null` while it runs. */
  ended_at: string | null;
  /** Seconds from start to end; `null` while it runs. */
  duration: number | null;
}

/** A record with its children, as `flow show` and `run()` return it. */
export interface ExecutionTree extends ExecutionRecord {
  children: ExecutionTree[];
}
