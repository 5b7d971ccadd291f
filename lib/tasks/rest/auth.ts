import type { Redactor } from '../../core/redact/redactor.js';
import { isPlainObject } from '../../util/describe.js';
import { Described, type InputReader } from '../input-reader.js';
import { headerValueProblem, TOKEN, type HeaderList } from './headers.js';

const AUTH_TYPES = ['basic', 'bearer', 'api_key'];
const FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  basic: { required: ['username', 'password'], optional: [] },
  bearer: { required: ['token'], optional: [] },
  api_key: { required: ['name', 'value'], optional: ['in', 'scheme'] },
};

/**
 * Apply the `auth` input (secret references already resolved) to the headers or the URL. Every
 * credential is registered with the redactor first, so no record, log line or message shows it.
 * An `Authorization` header (or the API key's header) the user set explicitly wins.
 */
export function applyAuth(input: InputReader, headers: HeaderList, url: URL, redactor: Redactor, notes: string[]): ReadonlySet<string> {
  const set = new Set<string>();
  const auth = input.raw.auth;
  if (auth === undefined || auth === null) return set;
  const shape = "an object { type: 'basic', username, password }, { type: 'bearer', token } or { type: 'api_key', name, value, in?, scheme? }";
  if (!isPlainObject(auth)) return input.fail('auth', shape, new Described(Array.isArray(auth) ? 'a list' : `a ${typeof auth}`));
  const type = auth.type;
  if (typeof type !== 'string' || !AUTH_TYPES.includes(type)) input.fail('auth', `${shape}; "type" must be one of ${AUTH_TYPES.join(', ')}`, type);
  const { required, optional } = FIELDS[type as string]!;
  for (const key of Object.keys(auth)) {
    if (key !== 'type' && !required.includes(key) && !optional.includes(key)) {
      input.fail('auth', `${type} credentials with the fields ${[...required, ...optional].join(', ')} (unknown field "${key}")`, key);
    }
  }
  const field = (key: string, secret: boolean): string => {
    const value = auth[key];
    if (typeof value === 'number' && !secret) return String(value);
    if (typeof value !== 'string' || value === '') {
      // Credentials are never echoed, only their kind.
      return input.fail(
        `auth.${key}`,
        `a non-empty string (or { secret: 'NAME' })`,
        secret && typeof value === 'string' ? new Described('an empty string') : value,
      );
    }
    if (secret) redactor.addSecret(value);
    return value;
  };
  /** A credential sent in a header must be a valid header value; it is described, never echoed. */
  const headerSafe = (key: string, value: string): string => {
    const problem = headerValueProblem(value);
    if (problem) input.fail(`auth.${key}`, `a value that can be sent in a header (it has ${problem})`, new Described('a credential that cannot be sent'));
    return value;
  };
  const setHeader = (name: string, value: string) => {
    redactor.addCredentialHeader(name, value);
    if (headers.has(name)) {
      notes.push(`auth (${type}) not applied: the ${name} header was given explicitly`);
      return;
    }
    headers.set(name, value);
    set.add(name.toLowerCase());
  };
  if (type === 'basic') {
    const username = field('username', false);
    if (username.includes(':')) input.fail('auth.username', 'a user name without ":" (RFC 7617)', username);
    const password = field('password', true);
    setHeader('Authorization', `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`);
  } else if (type === 'bearer') {
    setHeader('Authorization', `Bearer ${headerSafe('token', field('token', true))}`);
  } else {
    const name = field('name', false);
    const value = field('value', true);
    const where = auth.in ?? 'header';
    if (where !== 'header' && where !== 'query') input.fail('auth.in', '"header" or "query"', where);
    const scheme = auth.scheme;
    if (scheme !== undefined && (typeof scheme !== 'string' || !TOKEN.test(scheme)))
      input.fail('auth.scheme', 'a prefix such as "Token" or "Bearer" (letters, digits and !#$%&\'*+-.^_`|~)', scheme);
    if (where === 'query') {
      if (scheme) input.fail('auth.scheme', 'absent for an API key in the query (a scheme is a header prefix)', scheme);
      url.searchParams.set(name, value);
    } else {
      if (!TOKEN.test(name)) input.fail('auth.name', 'a header name', name);
      setHeader(name, scheme ? `${scheme} ${headerSafe('value', value)}` : headerSafe('value', value));
    }
  }
  return set;
}
