import type { LogEntry } from '../model/record.js';
import type { Status } from '../model/status.js';

/** The status of an execution created with `run: false` that has not been started yet (never stored). */
export const NOT_STARTED = 'NOT_STARTED';
/** An execution's status as `get('status')` reports it. */
export type ExecutionStatus = Status | typeof NOT_STARTED;

/** The fields `get()` and `load()` can read. */
export interface ExecutionFields<I, O> {
  execution_id: string;
  parent_id: string | null;
  /** The outputs (a task's results, or what a flow set with `set_output`). */
  output_value: O;
  /** The inputs the execution was started with. */
  input_value: I;
  status: ExecutionStatus;
  message: string | null;
  name: string;
  /** Task type, or the handler file of a flow. */
  type: string;
  /** ISO 8601 start time; `null` until started. */
  created_at: string | null;
  /** ISO 8601 end time; `null` until ended. */
  ended_at: string | null;
  /** Seconds from start to end; `null` until ended. */
  duration: number | null;
  log: LogEntry[];
}

export type FieldName = keyof ExecutionFields<unknown, unknown>;

export const FIELD_NAMES: readonly FieldName[] = [
  'execution_id',
  'parent_id',
  'output_value',
  'input_value',
  'status',
  'message',
  'name',
  'type',
  'created_at',
  'ended_at',
  'duration',
  'log',
];

/** The values of several fields, as a tuple typed field by field. */
export type FieldTuple<I, O, K extends readonly FieldName[]> = { [P in keyof K]: ExecutionFields<I, O>[K[P] & FieldName] };
