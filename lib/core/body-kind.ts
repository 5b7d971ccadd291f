import type { TaskDefinition } from './task-definition.js';

/** A handler as the runner holds it: any function (its parameters are the user's types). */
export type HandlerFunction = (...args: never[]) => unknown;

/** What an execution runs. */
export type Body =
  | { kind: 'task'; definition: TaskDefinition; inputs: unknown }
  /** A handler: called with `this` and its second argument the execution, its first the system, its third the inputs. */
  | { kind: 'flow'; handler: HandlerFunction }
  /** Inputs or the handler could not be loaded: the execution records the error and fails. */
  | { kind: 'rejected'; error: unknown };
