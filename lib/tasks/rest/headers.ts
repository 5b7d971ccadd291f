import { Described, type InputReader } from '../check.js';

/** RFC 9110 §5.6.2 token characters: what a header or cookie name may contain. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Request headers keyed by lower-case name (names are case-insensitive), keeping the user's
 * spelling for the wire.
 */
export class HeaderList {
  readonly #map = new Map<string, [name: string, value: string]>();

  get(name: string): string | undefined {
    return this.#map.get(name.toLowerCase())?.[1];
  }

  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    const key = name.toLowerCase();
    this.#map.set(key, [this.#map.get(key)?.[0] ?? name, value]);
  }

  /** Set only when the user did not. */
  setDefault(name: string, value: string): void {
    if (!this.has(name)) this.set(name, value);
  }

  delete(name: string): void {
    this.#map.delete(name.toLowerCase());
  }

  clone(): HeaderList {
    const copy = new HeaderList();
    for (const [name, value] of this.#map.values()) copy.set(name, value);
    return copy;
  }

  /** `[name, value]` pairs as sent. */
  entries(): [string, string][] {
    return [...this.#map.values()].map(([n, v]) => [n, v]);
  }

  toObject(): Record<string, string> {
    return Object.fromEntries(this.entries());
  }
}

/** Read `headers` and `cookies` into one header list (cookies merged into one `Cookie` header). */
export function readHeaders(input: InputReader): HeaderList {
  const list = new HeaderList();
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(input.object('headers') ?? {})) {
    if (!TOKEN.test(name)) input.fail('headers', `an object whose keys are header names (letters, digits and !#$%&'*+-.^_\`|~), not "${name}"`, name);
    const previous = seen.get(name.toLowerCase());
    if (previous !== undefined) {
      input.fail('headers', `an object naming each header once; "${previous}" and "${name}" are the same header (names are case-insensitive)`, name);
    }
    seen.set(name.toLowerCase(), name);
    if (value === undefined || value === null) continue;
    if (!['string', 'number', 'boolean'].includes(typeof value)) input.fail('headers', `an object of string values (header "${name}")`, value);
    const text = String(value);
    if (/[\r\n\0]/.test(text)) input.fail('headers', `single-line values (header "${name}" contains a line break)`, new Described('a value with a line break'));
    list.set(name, text);
  }
  const cookies = input.object('cookies');
  if (cookies) {
    const pairs: string[] = [];
    for (const [name, value] of Object.entries(cookies)) {
      if (!TOKEN.test(name)) input.fail('cookies', `an object whose keys are cookie names, not "${name}"`, name);
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string' && typeof value !== 'number') input.fail('cookies', `an object of string values (cookie "${name}")`, value);
      // RFC 6265 §4.1.1: a cookie value cannot hold ';', ',' or whitespace breaks.
      if (/[;\r\n\0]/.test(String(value))) input.fail('cookies', `values without ";" or line breaks (cookie "${name}")`, new Described('a value with ";" or a line break'));
      pairs.push(`${name}=${value}`);
    }
    if (pairs.length) {
      const existing = list.get('cookie');
      list.set('Cookie', [existing, ...pairs].filter(Boolean).join('; '));
    }
  }
  return list;
}
