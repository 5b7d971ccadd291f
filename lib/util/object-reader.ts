import { describeValue, isPlainObject } from './describe.js';
import { closest } from './suggest.js';

/** What to say instead of a value that must not be echoed (a credential, a key): `got <text>`. */
export class Described {
  constructor(readonly text: string) {}
}

/**
 * How a reader words its messages and which errors it throws. One reader serves a task's inputs
 * (`REST input "url" must be a string, got the number 42`), the options of `task()`
 * (`task() option "run" must be true or false, ...`) and a grant of grants.json
 * (`grant "gh" in .flow/grants.json: "token_url" must be an http or https URL, ...`).
 */
export interface ReaderWording {
  /** What the whole object is, for `... must be an object`: `REST inputs`. */
  readonly whole: string;
  /** A key as messages name it: `REST input "url"`. */
  name(key: string): string;
  /** The start of the message for a key that is not known: `unknown REST input "urll"`. */
  unknown(key: string): string;
  /** The end of that message, listing or pointing to the valid keys. */
  valid(known: readonly string[]): string;
  /** The error for a value that is not what it must be (and for a whole that is not an object). */
  invalid(message: string, key: string | undefined): Error;
  /** The error for an unknown key (default: `invalid`). */
  extra?(message: string, key: string, guess: string | undefined): Error;
  /** Reads a given value: a grant resolves its secret references here. Messages show the value as given. */
  resolve?(key: string, value: unknown): unknown;
}

/**
 * Reads an object of named values once, checking each against what it must be and refusing
 * unknown names with the name meant. Absent and `null` read as not given.
 */
export class ObjectReader {
  readonly raw: Readonly<Record<string, unknown>>;

  /**
   * @param known - every valid name.
   * @param aliases - names users reach for from other tools, and the name meant (`timeout` → `total_timeout`).
   */
  constructor(
    protected readonly wording: ReaderWording,
    given: unknown,
    known: readonly string[],
    aliases: Readonly<Record<string, string>> = {},
  ) {
    if (!isPlainObject(given)) throw wording.invalid(`${wording.whole} must be an object, got ${describeValue(given)}`, undefined);
    for (const key of Object.keys(given)) {
      if (known.includes(key)) continue;
      const guess = aliases[key.toLowerCase()] ?? closest(key, known);
      const message = `${wording.unknown(key)}${guess ? ` (did you mean "${guess}"?)` : ''}; ${wording.valid(known)}`;
      throw wording.extra ? wording.extra(message, key, guess) : wording.invalid(message, key);
    }
    this.raw = given;
  }

  /** The value given for `name` (resolved by the wording's `resolve`, if it has one). */
  value(name: string): unknown {
    const value = this.raw[name];
    return this.wording.resolve && value !== undefined ? this.wording.resolve(name, value) : value;
  }

  /** Whether a value was given (present and not `undefined`). */
  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  /** Throw the wording's error; `value` may be a {@link Described} where the value itself must not be echoed. */
  fail(name: string, expected: string, value: unknown = this.raw[name]): never {
    const got = value instanceof Described ? value.text : describeValue(value);
    throw this.wording.invalid(`${this.wording.name(name)} must be ${expected}, got ${got}`, name);
  }

  string(name: string, options: { nonEmpty?: boolean; required?: boolean } = {}): string | undefined {
    const value = this.value(name);
    if (value === undefined || value === null) return options.required ? this.fail(name, options.nonEmpty ? 'a non-empty string' : 'a string') : undefined;
    if (typeof value !== 'string') this.fail(name, 'a string');
    if (options.nonEmpty && value.trim() === '') this.fail(name, 'a non-empty string');
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.value(name);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(name, 'true or false');
    return value;
  }

  integer(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER, expected?: string): number {
    const value = this.value(name);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(name, expected ?? (max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`));
    }
    return value;
  }

  /** One of a few strings: `"basic" or "body"`. Without a fallback, the value is required. */
  oneOf<const T extends string>(name: string, values: readonly T[], fallback?: T): T {
    const value = this.value(name);
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    if (!values.includes(value as T)) this.fail(name, values.map((v) => `"${v}"`).join(values.length === 2 ? ' or ' : ', '));
    return value as T;
  }

  object(name: string): Record<string, unknown> | undefined {
    const value = this.value(name);
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) this.fail(name, 'an object');
    return value;
  }

  /** An object whose values are all strings (extra form fields, headers). */
  strings(name: string): Record<string, string> | undefined {
    const value = this.value(name);
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value) || Object.values(value).some((v) => typeof v !== 'string')) this.fail(name, 'an object of string values');
    return value as Record<string, string>;
  }
}
