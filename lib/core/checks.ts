/**
 * The argument checks of the `Execution` façade: a handler's mistake (a wrong field name, a
 * negative sleep, a save of unknown fields) becomes an `InvalidInputError` naming the method,
 * the value and what it takes, before anything is changed.
 */
import { InvalidInputError } from '../model/errors.js';
import { RETURN_WHEN, STATUS, type EndStatus, type ReturnWhen } from '../model/status.js';
import { describeValue, isPlainObject } from '../util/describe.js';
import { FIELD_NAMES, type FieldName } from './fields.js';
import { normalizeReturnWhen } from './options.js';

export function checkField(field: unknown): asserts field is FieldName {
  if (!FIELD_NAMES.includes(field as FieldName)) {
    throw new InvalidInputError(`unknown execution field ${describeValue(field)}; fields are: ${FIELD_NAMES.join(', ')}`);
  }
}

/** `wait_for(...executions, options?)`: the executions, and `return_when` from the options object if one comes last. */
export function waitForArguments<E>(args: readonly unknown[], isExecution: (arg: unknown) => arg is E): { executions: E[]; returnWhen: ReturnWhen } {
  const executions: E[] = [];
  let returnWhen: ReturnWhen = RETURN_WHEN.ALL_SUCCEEDED;
  for (const [index, arg] of args.entries()) {
    if (isExecution(arg)) executions.push(arg);
    else if (index === args.length - 1 && isPlainObject(arg)) {
      returnWhen = normalizeReturnWhen('wait_for() option "return_when"', arg.return_when, false) as ReturnWhen;
    } else throw new InvalidInputError(`wait_for() takes executions and an optional options object last, got ${describeValue(arg)} at position ${index + 1}`);
  }
  return { executions, returnWhen };
}

export interface SaveFields {
  output_value?: Record<string, unknown>;
  message?: string | null;
  name?: string;
}

/** `save()` sets `output_value` (an object), `message` and `name`, nothing else. */
export function checkSaveFields(fields: unknown): SaveFields {
  if (!isPlainObject(fields)) throw new InvalidInputError(`save() takes an object, got ${describeValue(fields)}`);
  for (const key of Object.keys(fields)) {
    if (!['output_value', 'message', 'name'].includes(key))
      throw new InvalidInputError(`save() cannot set "${key}"; it saves output_value, message and name`, key);
  }
  if (fields.output_value !== undefined && !isPlainObject(fields.output_value)) {
    throw new InvalidInputError(`save() output_value must be an object, got ${describeValue(fields.output_value)}`);
  }
  return fields as SaveFields;
}

export function checkOutputKey(key: unknown): void {
  if (typeof key !== 'string' || key === '') throw new InvalidInputError(`set_output() key must be a non-empty string, got ${describeValue(key)}`);
}

export function checkSleepSeconds(seconds: unknown): void {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidInputError(`sleep() takes a number of seconds >= 0, got ${describeValue(seconds)}`);
  }
}

export function checkEndStatus(status: unknown): asserts status is EndStatus {
  if (![STATUS.ENDED_SUCCESS, STATUS.ENDED_ERROR, STATUS.ENDED_CANCELLED].includes(status as never)) {
    throw new InvalidInputError(`end() status must be ENDED_SUCCESS, ENDED_ERROR or ENDED_CANCELLED, got ${describeValue(status)}`);
  }
}
