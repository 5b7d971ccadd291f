/**
 * Execution statuses, Cloudomation's names. An `as const` object rather than an enum so the
 * values are plain strings in records, JSON and the store.
 */
export const STATUS = {
  RUNNING: 'RUNNING',
  ENDED_SUCCESS: 'ENDED_SUCCESS',
  ENDED_ERROR: 'ENDED_ERROR',
  ENDED_CANCELLED: 'ENDED_CANCELLED',
} as const;

/** One of {@link STATUS}. */
export type Status = (typeof STATUS)[keyof typeof STATUS];

/** A status that an execution can be ended with (`end(status)`). */
export type EndStatus = Exclude<Status, 'RUNNING'>;

export const ALL_STATUSES: readonly Status[] = Object.values(STATUS);

/** True once an execution can no longer change. */
export function isEnded(status: Status): boolean {
  return status !== STATUS.RUNNING;
}

/** How `wait_for()` (and `task(..., { wait })`) decides that waiting is over. */
export const RETURN_WHEN = {
  /** Wait until every execution ended successfully; throw `DependencyFailedError` at the first failure. */
  ALL_SUCCEEDED: 'ALL_SUCCEEDED',
  /** Wait until every execution ended, whatever the outcome; never throws for a failed child. */
  ALL_ENDED: 'ALL_ENDED',
  /** Return as soon as one execution ended. */
  FIRST_ENDED: 'FIRST_ENDED',
} as const;

/** One of {@link RETURN_WHEN}. */
export type ReturnWhen = (typeof RETURN_WHEN)[keyof typeof RETURN_WHEN];
