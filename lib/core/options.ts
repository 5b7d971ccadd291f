import { InvalidInputError } from '../model/errors.js';
import { RETURN_WHEN, type ReturnWhen } from '../model/status.js';
import { describeValue } from '../util/describe.js';
import { ObjectReader } from '../util/object-reader.js';
import type { ProtectOptions } from './protect.js';

/** Options of `task()`, `flow()` and `connect()`. */
export interface ChildOptions {
  /**
   * `false` creates the execution without starting it: start it later with `run()` or
   * `run_async()`, or pass it to `wait_for()`. Default `true`.
   */
  run?: boolean;
  /**
   * `true` (default) waits for the child and throws `DependencyFailedError` if it fails;
   * `false` starts it and returns at once; `system.return_when.ALL_ENDED` waits but does not
   * throw when it fails.
   */
  wait?: boolean | ReturnWhen;
  /** A label for the child's record. Default: the task type, or the handler file's base name. */
  name?: string;
  /** Tasks only: `{ protect_inputs, protect_outputs }`, names stored as `***` in the record (Cloudomation's `init`). */
  init?: ProtectOptions;
}

/** Options of `wait_for()`. */
export interface WaitForOptions {
  /** When waiting is over. Default `ALL_SUCCEEDED`. */
  return_when?: ReturnWhen;
}

export interface NormalizedChildOptions {
  run: boolean;
  /** `false`, or when waiting is over. */
  wait: false | ReturnWhen;
  name: string | undefined;
  init: unknown;
}

const OPTION_NAMES = ['run', 'wait', 'name', 'init'];
const RETURN_WHEN_VALUES = Object.values(RETURN_WHEN);

export function normalizeChildOptions(call: string, options: unknown): NormalizedChildOptions {
  if (options === undefined || options === null) return { run: true, wait: RETURN_WHEN.ALL_SUCCEEDED, name: undefined, init: undefined };
  const read = new ObjectReader(
    {
      whole: `${call} options`,
      name: (key) => `${call} option "${key}"`,
      unknown: (key) => `unknown ${call} option "${key}"`,
      valid: (names) => `valid options are: ${names.join(', ')}`,
      invalid: (message, key) => new InvalidInputError(message, key),
    },
    options,
    OPTION_NAMES,
  );
  return {
    run: read.boolean('run', true),
    wait: normalizeReturnWhen(`${call} option "wait"`, read.raw.wait, true),
    name: read.string('name'),
    init: read.raw.init,
  };
}

export function normalizeReturnWhen(what: string, value: unknown, allowBoolean: boolean): false | ReturnWhen {
  if (value === undefined || value === true) return RETURN_WHEN.ALL_SUCCEEDED;
  if (value === false && allowBoolean) return false;
  if (typeof value === 'string' && (RETURN_WHEN_VALUES as string[]).includes(value)) return value as ReturnWhen;
  throw new InvalidInputError(
    `${what} must be ${allowBoolean ? 'true, false or ' : ''}one of ${RETURN_WHEN_VALUES.map((v) => `system.return_when.${v}`).join(', ')}, got ${describeValue(value)}`,
  );
}
