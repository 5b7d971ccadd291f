import { Described, type InputReader } from '../input-reader.js';

/** RFC 9110 §5.6.2 token characters: what a header or cookie name may contain. */
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Headers the transport owns: setting them by hand makes requests that servers and proxies read
 * differently (RFC 9112 §6.1 forbids Content-Length with Transfer-Encoding: request smuggling),
 * or that break the connection's reuse. `Host` may be set, to a valid host[:port].
 */
const RESERVED: Record<string, string> = {
  'content-length': 'the transport sets it from the body',
  'transfer-encoding': 'the transport sets it; with a Content-Length it would make a request-smuggling shape (RFC 9112 §6.1)',
  connection: 'it is a hop-by-hop header the transport manages (RFC 9110 §7.6.1)',
  'keep-alive': 'it is a hop-by-hop header the transport manages (RFC 9110 §7.6.1)',
  'proxy-connection': 'it is a hop-by-hop header the transport manages (RFC 9110 §7.6.1)',
  upgrade: 'protocol upgrades are not supported by the REST task',
  te: 'it is a hop-by-hop header the transport manages (RFC 9110 §10.1.4)',
  trailer: 'the REST task sends no trailers',
};

/** A host name, IPv4 address or bracketed IPv6 address, with an optional port: what `Host` may hold (RFC 9110 §7.2). */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * What is wrong with a header value, or undefined when it can go on the wire: HTTP header
 * values are Latin-1 text without control characters other than tab (RFC 9110 §5.5). Node would
 * refuse the rest at send time with ERR_INVALID_CHAR; refusing here names the input instead.
 * The value itself is never echoed (it may be a credential), only the offending character.
 */
export function headerValueProblem(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      return `${code === 0x0a || code === 0x0d ? 'a line break' : 'a control character'} (U+${code.toString(16).toUpperCase().padStart(4, '0')}) at position ${i + 1}`;
    }
    if (code > 0xff)
      return `a character outside Latin-1 (U+${value.codePointAt(i)!.toString(16).toUpperCase().padStart(4, '0')}) at position ${i + 1}; encode it first (for example with encodeURIComponent)`;
  }
  return undefined;
}

/** RFC 6265 §4.1.1 cookie-octet: no whitespace, DQUOTE, comma, semicolon or backslash (a value may be wrapped in DQUOTEs). */
const COOKIE_VALUE = /^(?:[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*|"[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*")$/;

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
    const reserved = RESERVED[name.toLowerCase()];
    if (reserved) input.fail('headers', `an object without "${name}": ${reserved}; leave it out`, name);
    if (!['string', 'number', 'boolean'].includes(typeof value)) input.fail('headers', `an object of string values (header "${name}")`, value);
    if (typeof value === 'number' && !Number.isFinite(value)) input.fail('headers', `an object of string values or finite numbers (header "${name}")`, value);
    const text = String(value);
    const problem = headerValueProblem(text);
    if (problem)
      input.fail(
        'headers',
        `an object of header values in Latin-1 without control characters (header "${name}" has ${problem})`,
        new Described('a value that cannot be sent'),
      );
    if (name.toLowerCase() === 'host' && !HOST.test(text))
      input.fail('headers', `a "Host" that is a host name or IP address with an optional :port (RFC 9110 §7.2)`, text);
    list.set(name, text);
  }
  const cookies = input.object('cookies');
  if (cookies) {
    const pairs: string[] = [];
    for (const [name, value] of Object.entries(cookies)) {
      if (!TOKEN.test(name)) input.fail('cookies', `an object whose keys are cookie names, not "${name}"`, name);
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value)))
        input.fail('cookies', `an object of string values or finite numbers (cookie "${name}")`, value);
      // RFC 6265 §4.1.1: a cookie value holds no whitespace, '"', ',', ';' or '\\' (encode such values, e.g. with encodeURIComponent).
      if (!COOKIE_VALUE.test(String(value))) {
        input.fail(
          'cookies',
          `values of visible ASCII without spaces, '"', ',', ';' or '\\' (cookie "${name}"; RFC 6265 §4.1.1: encode the value first, for example with encodeURIComponent)`,
          new Described('a value a cookie cannot hold'),
        );
      }
      pairs.push(`${name}=${value}`);
    }
    if (pairs.length) {
      const existing = list.get('cookie');
      list.set('Cookie', [existing, ...pairs].filter(Boolean).join('; '));
    }
  }
  return list;
}
