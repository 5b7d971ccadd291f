/** Types that let handlers call task types with or without declared types. */
import type { TaskTypeMap } from './task-definition.js';

// Inputs and outputs of untyped executions are user JSON: `any` lets `task.get('output_value').json.id`
// read naturally in handlers, as in Cloudomation's Python.
/* eslint-disable-next-line @typescript-eslint/no-explicit-any */
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

/** Input and output types of a registered task type, or plain objects for others. */
export type TaskInputs<T extends string> = T extends keyof TaskTypeMap ? (TaskTypeMap[T] extends { inputs: infer I } ? I : AnyObject) : AnyObject;
export type TaskOutputs<T extends string> = T extends keyof TaskTypeMap
  ? TaskTypeMap[T] extends { outputs: infer O extends object }
    ? O
    : AnyObject
  : AnyObject;
