import type { JsonValue } from '../model/record.js';
import { toJsonValue } from '../util/json.js';

/** What replaces a secret wherever it would be recorded or printed. */
export const MASK = '***';

/**
 * Names whose values are secret, compared after lower-casing and turning `-` into `_`:
 * credentials headers (RFC 9110 §11.6.2, RFC 6265) and the usual parameter names.
 */
const SECRET_NAMES = new Set([
  'authorization', 'proxy_authorization', 'cookie', 'set_cookie', 'password', 'passwd', 'pwd', 'secret',
  'client_secret', 'token', 'access_token', 'refresh_token', 'id_token', 'api_key', 'apikey', 'x_api_key',
  'private_key', 'client_key', 'passphrase', 'auth_token', 'session_token', 'sessionid', 'session_id',
]);
const SECRET_SUFFIXES = ['_password', '_secret', '_token', '_api_key', '_apikey'];

/** Answers by name: records repeat the same few keys thousands of times. */
const secretNameCache = new Map<string, boolean>();

/** Whether an input, header or query parameter of this name holds a secret. */
export function isSecretName(name: string): boolean {
  let answer = secretNameCache.get(name);
  if (answer === undefined) {
    const key = name.toLowerCase().replaceAll('-', '_');
    answer = SECRET_NAMES.has(key) || SECRET_SUFFIXES.some((suffix) => key.endsWith(suffix));
    if (secretNameCache.size < 10_000) secretNameCache.set(name, answer);
  }
  return answer;
}

/**
 * Shorter values are masked only where their name marks them secret: masking every "ab" in every
 * message would make messages unreadable and tell an attacker little anyway.
 */
const MIN_MASKED_LENGTH = 4;

/**
 * A run's redactor: it knows every secret value seen during the run and masks it in any text;
 * it also masks values by the name they are stored under.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  /** Register a secret value: from now on it is masked wherever it appears. */
  addSecret(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_MASKED_LENGTH || this.#secrets.has(value)) return;
    this.#secrets.add(value);
    // Forms a secret takes on the wire, so a URL or an encoded body cannot leak it either.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.#secrets.add(encoded);
    this.#pattern = undefined;
  }

  /** Register what a credential header carries: the whole value and its parts. */
  addCredentialHeader(name: string, value: string): void {
    this.addSecret(value);
    const key = name.toLowerCase();
    if (key === 'authorization' || key === 'proxy-authorization') {
      const space = value.indexOf(' ');
      if (space > 0) this.addSecret(value.slice(space + 1).trim());
    } else if (key === 'cookie' || key === 'set-cookie') {
      for (const pair of value.split(';')) {
        const eq = pair.indexOf('=');
        if (eq > 0) this.addSecret(pair.slice(eq + 1).trim());
      }
    }
  }

  /** Mask every registered secret in `text`. */
  maskText(text: string): string {
    if (this.#secrets.size === 0 || text.length < MIN_MASKED_LENGTH) return text;
    this.#pattern ??= new RegExp(
      // Longest first, so a secret that contains another is masked whole.
      [...this.#secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
      'g',
    );
    return text.replace(this.#pattern, MASK);
  }

  /** Mask a URL: its password, secret-named query parameters and any known secret. */
  maskUrl(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.maskText(url);
    }
    let changed = false;
    if (parsed.password) {
      this.addSecret(decodeURIComponent(parsed.password));
      parsed.password = MASK;
      changed = true;
    }
    for (const [key, value] of [...parsed.searchParams]) {
      if (isSecretName(key) && value !== MASK) {
        this.addSecret(value);
        parsed.searchParams.set(key, MASK);
        changed = true;
      }
    }
    // URLSearchParams re-encodes '*' as-is, so the mask stays readable.
    return this.maskText(changed ? parsed.toString() : url);
  }

  /**
   * Mask a JSON value for a record: values under secret names become `***` (and are registered,
   * so they are masked in messages too), URLs lose credentials, strings lose known secrets.
   */
  maskValue(value: JsonValue): JsonValue {
    if (typeof value === 'string') return looksLikeUrl(value) ? this.maskUrl(value) : this.maskText(value);
    if (Array.isArray(value)) return value.map((v) => this.maskValue(v));
    if (isSecretReference(value)) return value;
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: JsonValue } = {};
      for (const [key, v] of Object.entries(value)) {
        if (isSecretName(key) && v !== null && v !== MASK && !isSecretReference(v)) {
          this.#registerDeep(key, v);
          out[key] = MASK;
        } else {
          out[key] = this.maskValue(v);
        }
      }
      return out;
    }
    return value;
  }

  /**
   * `JSON.stringify(maskValue(toJsonValue(value)))` in one pass, for records: a large output is
   * walked once by the native serializer instead of being copied twice. The result is the same
   * (a value with a cycle takes the copying path, which marks the cycle).
   */
  serialize(value: unknown): string {
    const redactor = this;
    try {
      return JSON.stringify(value, function (this: Record<string, unknown>, key: string, current: unknown) {
        // The name inside { secret: 'NAME' } is not a secret (maskValue keeps the reference whole).
        if (key === 'secret' && isSecretReference(this as JsonValue)) return current;
        if (key !== '' && current !== null && current !== undefined && isSecretName(key) && current !== MASK) {
          const original = toJsonValue(current);
          if (!isSecretReference(original)) {
            redactor.#registerDeep(key, original);
            return MASK;
          }
          return original;
        }
        switch (typeof current) {
          case 'string':
            return looksLikeUrl(current) ? redactor.maskUrl(current) : redactor.maskText(current);
          case 'number':
            return Number.isFinite(current) ? current : String(current);
          case 'bigint':
            return current.toString();
          case 'function':
          case 'symbol':
            return toJsonValue(current);
          case 'object': {
            // JSON.stringify has already applied toJSON (Buffer, Date, FlowFile): look at the original.
            const original = this[key];
            if (Buffer.isBuffer(original)) return `[${original.length} bytes]`;
            if (current instanceof Error || current instanceof Map || current instanceof Set) return toJsonValue(current);
            return current;
          }
          default:
            return current;
        }
      }) ?? 'null';
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      return JSON.stringify(this.maskValue(toJsonValue(value)));
    }
  }

  #registerDeep(key: string, value: JsonValue): void {
    if (typeof value === 'string') this.addCredentialHeader(key, value);
    else if (typeof value === 'number') this.addSecret(String(value));
    else if (Array.isArray(value)) value.forEach((v) => this.#registerDeep(key, v));
    else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => this.#registerDeep(key, v));
  }
}

/** `{ secret: 'NAME' }` names a secret without holding it: kept, so the record shows which one was used. */
function isSecretReference(value: JsonValue): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && typeof value.secret === 'string';
}

function looksLikeUrl(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
