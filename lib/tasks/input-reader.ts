import { ExtraInputError, InvalidInputError, MissingInputError } from '../model/errors.js';
import { describeValue, isPlainObject } from '../util/describe.js';
import { closest } from '../util/suggest.js';

/**
 * The longest duration an input may give: 7 days. Node's timers hold at most 2^31-1 ms (24.8
 * days) and fire at once beyond it, so `read_timeout: 1e12` would fire in a millisecond.
 */
export const MAX_DURATION_SECONDS = 7 * 24 * 3600;

/** What to say instead of a value that must not be echoed (a credential, a key): `got <text>`. */
export class Described {
  constructor(readonly text: string) {}
}

/**
 * Reads a task's raw inputs once, checking each against what it must be. Messages follow one
 * pattern: `REST input "expected_status_code" must be a list of integers, got the string "200"`.
 */
export class InputReader {
  readonly raw: Readonly<Record<string, unknown>>;

  /**
   * @param known - every valid input name.
   * @param aliases - names users reach for from other tools, and the input meant (`timeout` → `total_timeout`).
   */
  constructor(
    readonly task: string,
    inputs: unknown,
    known: readonly string[],
    aliases: Readonly<Record<string, string>> = {},
  ) {
    if (!isPlainObject(inputs)) throw new InvalidInputError(`${task} inputs must be an object, got ${describeValue(inputs)}`);
    for (const key of Object.keys(inputs)) {
      if (known.includes(key)) continue;
      const guess = aliases[key.toLowerCase()] ?? closest(key, known);
      // A long list in every message drowns the hint; past a few names, point to where they all are.
      const list = known.length <= 8 ? `valid inputs are: ${known.join(', ')}` : `\`npx flow describe ${task}\` lists every input`;
      throw new ExtraInputError(`unknown ${task} input "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; ${list}`, key, guess);
    }
    this.raw = inputs;
  }

  /** Whether an input was given (present and not `undefined`). */
  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  /** Throw `InvalidInputError`; `value` may be a {@link Described} where the value itself must not be echoed. */
  fail(name: string, expected: string, value: unknown = this.raw[name]): never {
    const got = value instanceof Described ? value.text : describeValue(value);
    throw new InvalidInputError(`${this.task} input "${name}" must be ${expected}, got ${got}`, name);
  }

  missing(message: string, name: string): never {
    throw new MissingInputError(`${this.task}: ${message}`, name);
  }

  string(name: string, options: { nonEmpty?: boolean } = {}): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(name, 'a string');
    if (options.nonEmpty && value.trim() === '') this.fail(name, 'a non-empty string');
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(name, 'true or false');
    return value;
  }

  integer(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.raw[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** A duration in seconds up to {@link MAX_DURATION_SECONDS}; `0`, `null` or absent mean none. Returns milliseconds or `null`. */
  secondsOrNone(name: string): number | null {
    const value = this.raw[name];
    if (value === undefined || value === null || value === 0) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_DURATION_SECONDS) {
      this.fail(name, `a number of seconds from 0 to ${MAX_DURATION_SECONDS} (7 days; 0 or null for none)`);
    }
    return value * 1000;
  }

  /** A status code or a list of them (HTTP status codes are 100–599). */
  statusList(name: string, fallback: readonly number[], options: { allowEmpty?: boolean } = {}): ReadonlySet<number> {
    const value = this.raw[name];
    if (value === undefined || value === null) return new Set(fallback);
    const list = Array.isArray(value) ? value : [value];
    if (list.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 100 || v > 599)) {
      this.fail(name, 'a list of integers (HTTP status codes 100-599)');
    }
    if (list.length === 0 && !options.allowEmpty) this.fail(name, 'a non-empty list of HTTP status codes (with none, every response would be a failure)');
    return new Set(list as number[]);
  }

  object(name: string): Record<string, unknown> | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) this.fail(name, 'an object');
    return value;
  }
}
