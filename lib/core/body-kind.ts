import type { TaskDefinition } from './task-definition.js';

/** What an execution runs. */
export type Body =
  | { kind: 'task'; definition: TaskDefinition; inputs: unknown }
  /** A handler: called with `this` and its second argument the execution, its first the system, its third the inputs. */
  | { kind: 'flow'; handler: (...args: any[]) => unknown }
  /** Inputs or the handler could not be loaded: the execution records the error and fails. */
  | { kind: 'rejected'; error: unknown };
