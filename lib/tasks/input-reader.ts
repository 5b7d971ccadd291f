import { ExtraInputError, InvalidInputError, MissingInputError } from '../model/errors.js';
import { ObjectReader } from '../util/object-reader.js';

export { Described } from '../util/object-reader.js';

/**
 * The longest duration an input may give: 7 days. Node's timers hold at most 2^31-1 ms (24.8
 * days) and fire at once beyond it, so `read_timeout: 1e12` would fire in a millisecond.
 */
export const MAX_DURATION_SECONDS = 7 * 24 * 3600;

/**
 * Reads a task's raw inputs once, checking each against what it must be. Messages follow one
 * pattern: `REST input "expected_status_code" must be a list of integers, got the string "200"`.
 */
export class InputReader extends ObjectReader {
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
    super(
      {
        whole: `${task} inputs`,
        name: (key) => `${task} input "${key}"`,
        unknown: (key) => `unknown ${task} input "${key}"`,
        // A long list in every message drowns the hint; past a few names, point to where they all are.
        valid: (names) => (names.length <= 8 ? `valid inputs are: ${names.join(', ')}` : `\`npx flow describe ${task}\` lists every input`),
        invalid: (message, key) => new InvalidInputError(message, key),
        extra: (message, key, guess) => new ExtraInputError(message, key, guess),
      },
      inputs,
      known,
      aliases,
    );
  }

  missing(message: string, name: string): never {
    throw new MissingInputError(`${this.task}: ${message}`, name);
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
}
