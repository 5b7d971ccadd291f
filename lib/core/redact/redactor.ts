import type { JsonValue } from '../../model/record.js';
import { isSecretRef } from '../../model/secret-ref.js';
import { copyAsJson, MAX_RECORD_DEPTH } from '../../util/json.js';
import { isSecretName, mayHoldNamedSecret } from './names.js';
import { wireForms } from './forms.js';

/** What replaces a secret wherever it would be recorded or printed. */
export const MASK = '***';

/**
 * Secrets shorter than this are masked only where they are a whole value (a header value, a
 * query parameter, a cookie value, a JSON string): masking every "ab" inside every message
 * would make messages unreadable and tell an attacker little anyway.
 */
const MIN_MASKED_LENGTH = 4;

/**
 * A run's redactor: it knows every secret value seen during the run, in every form it can take
 * on the wire or in a record (see `forms.ts`), and masks them in any text; it also masks values
 * by the name they are stored under.
 */
export class Redactor {
  /** Every registered form of every secret of 4 characters or more. */
  readonly #forms = new Set<string>();
  /** Secrets of 1 to 3 characters, masked as whole values only. */
  readonly #short = new Set<string>();
  #pattern: RegExp | undefined;
  #wholePattern: RegExp | undefined;
  /** Every form as it reads inside a JSON string (a `\\` or `"` in it escaped once more), for {@link Redactor.serializePlain}. */
  #jsonPattern: RegExp | undefined;

  /** Register a secret value: from now on it is masked wherever it appears, in every encoding. */
  addSecret(value: string | undefined | null): void {
    if (typeof value !== 'string' || value === '') return;
    if (value.length < MIN_MASKED_LENGTH) {
      if (!this.#short.has(value)) {
        this.#short.add(value);
        this.#wholePattern = undefined;
      }
      return;
    }
    if (this.#forms.has(value)) return;
    for (const form of wireForms(value)) if (form.length >= MIN_MASKED_LENGTH) this.#forms.add(form);
    this.#pattern = undefined;
    this.#jsonPattern = undefined;
  }

  /** Register what a credential header carries: the whole value and its parts. */
  addCredentialHeader(name: string, value: string): void {
    this.addSecret(value);
    const key = name.toLowerCase();
    if (key === 'authorization' || key === 'proxy-authorization') {
      const space = value.indexOf(' ');
      if (space > 0) {
        const credentials = value.slice(space + 1).trim();
        this.addSecret(credentials);
        // Basic credentials: the decoded "user:password" and the password alone (RFC 7617).
        if (value.slice(0, space).toLowerCase() === 'basic') this.#addBasic(credentials);
      }
    } else if (key === 'cookie' || key === 'set-cookie') {
      // Cookie values are harvested by name, not given as secrets: a short one ("en", "1") is
      // most likely not a credential, and masking it as a whole value everywhere would blank
      // every "1" of the run's records.
      for (const pair of value.split(';')) {
        const eq = pair.indexOf('=');
        const part = eq > 0 ? pair.slice(eq + 1).trim() : '';
        if (part.length >= MIN_MASKED_LENGTH) this.addSecret(part);
      }
    }
  }

  /** Register `user:password` credentials (basic auth, proxy and URL userinfo): the pair, its base64 and the password. */
  addUserPassword(user: string, password: string): void {
    this.addSecret(password);
    const pair = `${user}:${password}`;
    this.addSecret(pair);
    this.addSecret(Buffer.from(pair, 'utf8').toString('base64'));
  }

  #addBasic(base64: string): void {
    const decoded = Buffer.from(base64, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) this.addUserPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
  }

  /** Whether `text` is exactly a registered secret (of any length). */
  isSecret(text: string): boolean {
    return this.#short.has(text) || this.#forms.has(text);
  }

  /**
   * Mask every registered secret in `text`: secrets of 4 characters or more wherever they occur,
   * in every form; shorter ones where they are a whole value: the whole text, a JSON string
   * (`"ab"`) or a form field (`k=ab&`).
   */
  maskText(text: string): string {
    let masked = text;
    if (this.#forms.size > 0 && text.length >= MIN_MASKED_LENGTH) {
      this.#pattern ??= new RegExp(
        // Longest first, so a secret that contains another is masked whole.
        [...this.#forms]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join('|'),
        'g',
      );
      masked = masked.replace(this.#pattern, MASK);
    }
    if (this.#short.size === 0) return masked;
    if (this.#short.has(masked)) return MASK;
    this.#wholePattern ??= new RegExp(
      [...this.#short]
        .flatMap((s) => [
          `(?<=")${escapeRegExp(JSON.stringify(s).slice(1, -1))}(?=")`,
          `(?<=(?:^|[&?\\s])[^=&?\\s]*=)${escapeRegExp(new URLSearchParams([['', s]]).toString().slice(1))}(?=&|$|\\s)`,
        ])
        .join('|'),
      'g',
    );
    return masked.replace(this.#wholePattern, MASK);
  }

  /** Mask a URL: its password, secret-named query parameters, short secrets as whole parameter values, and any known secret. */
  maskUrl(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.maskText(url);
    }
    let changed = false;
    if (parsed.password) {
      this.addUserPassword(safeDecode(parsed.username), safeDecode(parsed.password));
      parsed.password = MASK;
      changed = true;
    }
    for (const [key, value] of [...parsed.searchParams]) {
      if (value === MASK || value === '') continue;
      if (isSecretName(key)) {
        this.addSecret(value);
        parsed.searchParams.set(key, MASK);
        changed = true;
      } else if (this.#short.has(value)) {
        parsed.searchParams.set(key, MASK);
        changed = true;
      }
    }
    // URLSearchParams re-encodes '*' as-is, so the mask stays readable.
    return this.maskText(changed ? parsed.toString() : url);
  }

  /** Mask one string as a record value: a URL loses its credentials, a whole short secret becomes `***`. */
  maskString(text: string): string {
    return looksLikeUrl(text) ? this.maskUrl(text) : this.maskText(text);
  }

  /**
   * Any value as masked JSON for a record: values under secret names become `***` (and are
   * registered, so they are masked in messages too), URLs lose credentials, strings lose known
   * secrets. Never recurses: any depth, cycles and odd types (Buffer, Date, Map, BigInt) are safe.
   */
  maskValue(value: unknown): JsonValue {
    return copyAsJson(value, {
      string: (text) => this.maskString(text),
      secretKey: (key) => isSecretName(key),
      onSecret: (key, original) => this.#registerDeep(key, original),
    });
  }

  /**
   * `JSON.stringify(maskValue(value))`, for records. One native pass with a replacer is tried
   * first (a large output is not copied); values it cannot take (a cycle, nesting deeper than
   * the native serializer's stack) are copied without recursion instead, with parts deeper than
   * `MAX_RECORD_DEPTH` (512) levels replaced by a note.
   */
  serialize(value: unknown): string {
    try {
      return this.#serializeNative(value);
    } catch {
      return JSON.stringify(this.maskValue(value));
    }
  }

  /**
   * {@link Redactor.serialize} for a value its caller knows to be plain JSON data (objects,
   * arrays, strings, finite numbers, booleans, null; `toJSON` objects): one native
   * `JSON.stringify`, then one look over the text for anything masking would change (a known
   * secret in any form, a secret-named key or query parameter, a URL password). Only when it
   * finds one is the value walked. A 1 MiB body costs a native pass and a regex, not a walk.
   */
  serializePlain(value: unknown): string {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      return this.serialize(value);
    }
    if (text === undefined) return 'null';
    return this.#mayChange(text) ? this.serialize(value) : text;
  }

  /** Whether masking could change something in this JSON text (it may say yes too often, never too rarely). */
  #mayChange(text: string): boolean {
    if (mayHoldNamedSecret(text)) return true;
    if (this.#forms.size > 0) {
      // A string value is escaped by the serialization: a secret with a `\` or `"` reads
      // differently in the text than in the value, so both spellings are looked for.
      this.#jsonPattern ??= new RegExp(
        [...new Set([...this.#forms].flatMap((form) => [form, JSON.stringify(form).slice(1, -1)]))]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join('|'),
      );
      if (this.#jsonPattern.test(text)) return true;
    }
    // A short secret is masked only as a whole value: let the walk decide.
    return this.#short.size > 0;
  }

  #serializeNative(value: unknown): string {
    const replace = (holder: Record<string, unknown>, key: string, current: unknown) => this.#replace(holder, key, current);
    // The objects on the path being serialized (the replacer is called depth-first), so nesting
    // past the record's bound hands over to the copying path, and both paths give one record.
    const path: unknown[] = [];
    return (
      JSON.stringify(value, function (this: Record<string, unknown>, key: string, current: unknown) {
        if (path.length === 0) path.push(this);
        while (path.length > 1 && path[path.length - 1] !== this) path.pop();
        const result = replace(this, key, current);
        if (result !== null && typeof result === 'object') {
          path.push(result);
          if (path.length - 1 > MAX_RECORD_DEPTH) throw new RangeError('nested too deep for the native path');
        }
        return result;
      }) ?? 'null'
    );
  }

  #replace(holder: Record<string, unknown>, key: string, current: unknown): unknown {
    // The name inside { secret: 'NAME' } is not a secret (maskValue keeps the reference whole).
    if (key === 'secret' && isSecretRef(holder)) return current;
    if (key !== '' && current !== null && current !== undefined && isSecretName(key) && current !== MASK) {
      if (isSecretRef(current)) return current;
      this.#registerDeep(key, current);
      return MASK;
    }
    switch (typeof current) {
      case 'string':
        return this.maskString(current);
      case 'number':
        return Number.isFinite(current) ? current : String(current);
      case 'bigint':
        return current.toString();
      case 'function':
      case 'symbol':
        return this.maskValue(current);
      case 'object': {
        // JSON.stringify has already applied toJSON (Buffer, Date, FlowFile): look at the original.
        const original = holder[key];
        if (Buffer.isBuffer(original)) return `[${original.length} bytes]`;
        if (current instanceof Error || current instanceof Map || current instanceof Set) return this.maskValue(current);
        return current;
      }
      default:
        return current;
    }
  }

  #registerDeep(key: string, value: unknown): void {
    // A secret-named subtree: every string and number in it is a secret (walked without recursion).
    const stack: unknown[] = [value];
    const seen = new Set<object>();
    while (stack.length) {
      const item = stack.pop();
      if (typeof item === 'string') this.addCredentialHeader(key, item);
      else if (typeof item === 'number' || typeof item === 'bigint') this.addSecret(String(item));
      else if (item !== null && typeof item === 'object' && !seen.has(item) && !isSecretRef(item)) {
        seen.add(item);
        stack.push(...(Array.isArray(item) ? item : Object.values(item)));
      }
    }
  }
}

function looksLikeUrl(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
