import { InvalidInputError } from '../model/errors.js';
import { MASK, type Redactor } from './redact/redactor.js';
import { describeValue, isPlainObject } from '../util/describe.js';

/**
 * Cloudomation's per-task `init: { protect_inputs: [...], protect_outputs: [...] }`: inputs and
 * outputs named here are stored as `***`, and their text is masked in logs and messages.
 */
export interface ProtectOptions {
  /** Inputs stored as `***` in the record. */
  protect_inputs?: string[];
  /** Outputs stored as `***` in the record (the handler still reads the real values). */
  protect_outputs?: string[];
}

export interface Protection {
  inputs: ReadonlySet<string>;
  outputs: ReadonlySet<string>;
}

export const NO_PROTECTION: Protection = { inputs: new Set(), outputs: new Set() };

/** Merge `init` given inside the inputs (as a Cloudomation port writes it) and in the options. */
export function readProtection(call: string, ...inits: unknown[]): Protection {
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  for (const init of inits) {
    if (init === undefined || init === null) continue;
    if (!isPlainObject(init))
      throw new InvalidInputError(`${call} "init" must be an object { protect_inputs?, protect_outputs? }, got ${describeValue(init)}`, 'init');
    for (const [key, value] of Object.entries(init)) {
      const target = key === 'protect_inputs' ? inputs : key === 'protect_outputs' ? outputs : undefined;
      if (!target) throw new InvalidInputError(`${call} "init" takes protect_inputs and protect_outputs, not "${key}"`, 'init');
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw new InvalidInputError(`${call} "init.${key}" must be a list of names, got ${describeValue(value)}`, 'init');
      }
      for (const name of value as string[]) target.add(name);
    }
  }
  return { inputs, outputs };
}

/**
 * Register protected values that are text (a password, a token), so they are masked wherever
 * else they show up. A protected object or list is masked in the record only: registering every
 * string inside it would mask common words ("keep-alive", a host name) in every log line.
 */
export function registerProtected(redactor: Redactor, values: Record<string, unknown>, names: ReadonlySet<string>): void {
  for (const name of names) {
    const value = values[name];
    if (typeof value === 'string') redactor.addSecret(value);
    else if (typeof value === 'number') redactor.addSecret(String(value));
  }
}

/** A shallow copy with protected top-level keys replaced by the mask, before the record is masked and written. */
export function protectedCopy(value: Record<string, unknown>, names: ReadonlySet<string>): Record<string, unknown> {
  if (names.size === 0) return value;
  const out = { ...value };
  for (const name of names) if (name in out && out[name] !== null && out[name] !== undefined) out[name] = MASK;
  return out;
}

/**
 * Outputs that hold one value in two forms (REST's `json` and `text` are both the body):
 * protecting one protects its twins, or the value would be stored in the other.
 */
export function withTwins(protection: Protection, twins: readonly (readonly string[])[] | undefined): Protection {
  if (!twins || protection.outputs.size === 0) return protection;
  const outputs = new Set(protection.outputs);
  for (const group of twins) if (group.some((name) => outputs.has(name))) for (const name of group) outputs.add(name);
  return { inputs: protection.inputs, outputs };
}
