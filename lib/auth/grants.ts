import { ConfigError, readNamedEntries } from '../core/config/files.js';
import type { Secrets } from '../core/config/secrets.js';
import { ObjectReader } from '../util/object-reader.js';
import { closest } from '../util/suggest.js';

const GRANT_TYPES = ['client_credentials', 'authorization_code'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** One OAuth 2.0 grant as configured in `grants.json` (snake_case there), checked and with secrets resolved. */
export interface Grant {
  name: string;
  type: GrantType;
  /** Where tokens are requested (RFC 6749 §3.2). */
  tokenUrl: URL;
  /** Where the user authorizes (authorization code only). */
  authorizeUrl: URL | undefined;
  clientId: string;
  clientSecret: string | undefined;
  /** Space-separated scopes, or undefined to ask for the server's default. */
  scope: string | undefined;
  /** Extra form fields for the token request (`audience`, `resource`, ...). */
  params: Record<string, string>;
  /** Extra headers for the token request. */
  headers: Record<string, string>;
  /** Client authentication: HTTP basic (RFC 6749 §2.3.1, the default) or fields in the body. */
  clientAuth: 'basic' | 'body';
  /** Port of the local callback server for `flow grant authorize` (0: any free port). */
  redirectPort: number;
  redirectPath: string;
  /** Extra query parameters for the authorization URL. */
  authorizeParams: Record<string, string>;
  verify: boolean;
  ca: string | undefined;
}

const KEYS = [
  'type',
  'token_url',
  'authorize_url',
  'client_id',
  'client_secret',
  'scope',
  'scopes',
  'params',
  'headers',
  'client_auth',
  'redirect_port',
  'redirect_path',
  'authorize_params',
  'verify_ssl',
  'cacert',
];

/** The configured grants: given to `run()`, else read from `grants.json` in the config folder. */
export class Grants {
  #fromFile: Record<string, Record<string, unknown>> | undefined;
  readonly #checked = new Map<string, Grant>();

  constructor(
    readonly path: string,
    readonly secrets: Secrets,
    readonly given: Record<string, Record<string, unknown>> = {},
    /** Only `given`: grants.json is not read (tests). */
    readonly isolated = false,
  ) {}

  get(name: string): Grant {
    const cached = this.#checked.get(name);
    if (cached) return cached;
    const raw = this.given[name] ?? this.#file()[name];
    if (!raw) {
      const known = [...new Set([...Object.keys(this.given), ...Object.keys(this.#file())])].sort();
      const guess = closest(name, known);
      throw new ConfigError(
        `grant "${name}" is not configured${guess ? ` (did you mean "${guess}"?)` : ''}; ` +
          (known.length
            ? `configured grants: ${known.join(', ')} (${this.isolated ? 'given to run()' : `in ${this.path}`})`
            : this.isolated
              ? 'no grants were given to run()'
              : `add it to ${this.path}, like {"${name}": {"type": "client_credentials", "token_url": "...", "client_id": "...", "client_secret": {"secret": "NAME"}}}`),
      );
    }
    const grant = this.#check(name, raw);
    this.#checked.set(name, grant);
    return grant;
  }

  #file(): Record<string, Record<string, unknown>> {
    if (this.isolated) return {};
    return (this.#fromFile ??= readNamedEntries(this.path, 'grant'));
  }

  #check(name: string, raw: Record<string, unknown>): Grant {
    const where = `grant "${name}"${this.given[name] ? '' : ` in ${this.path}`}`;
    const read = new ObjectReader(
      {
        whole: where,
        name: (key) => `${where}: "${key}"`,
        unknown: (key) => `${where}: unknown key "${key}"`,
        valid: (names) => `valid keys are: ${names.join(', ')}`,
        invalid: (message) => new ConfigError(message),
        // Any value may be a { "secret": "NAME" } reference; messages show the reference, never the secret.
        resolve: (key, value) => this.secrets.resolve(value, `${where} "${key}"`),
      },
      raw,
      KEYS,
    );
    const type = read.oneOf('type', GRANT_TYPES);
    const url = (key: string, required: boolean): URL | undefined => {
      const text = read.value(key);
      if (text === undefined && !required) return undefined;
      try {
        const parsed = new URL(String(text));
        if (typeof text === 'string' && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) return parsed;
      } catch {
        /* reported below */
      }
      return read.fail(key, 'an http or https URL');
    };
    const scopeKey = read.has('scopes') ? 'scopes' : 'scope';
    const scopes = read.value(scopeKey);
    if (scopes !== undefined && typeof scopes !== 'string' && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
      read.fail(scopeKey, 'a string or a list of strings');
    }
    return {
      name,
      type,
      tokenUrl: url('token_url', true)!,
      authorizeUrl: url('authorize_url', type === 'authorization_code'),
      clientId: read.string('client_id', { nonEmpty: true, required: true })!,
      clientSecret: read.string('client_secret', { nonEmpty: true, required: type === 'client_credentials' }),
      scope: Array.isArray(scopes) ? scopes.join(' ') : (scopes as string | undefined),
      params: read.strings('params') ?? {},
      headers: read.strings('headers') ?? {},
      clientAuth: read.oneOf('client_auth', ['basic', 'body'], 'basic'),
      redirectPort: read.integer('redirect_port', 0, 0, 65535, 'a port number (0 for any free port)'),
      redirectPath: read.string('redirect_path', { nonEmpty: true }) ?? '/callback',
      authorizeParams: read.strings('authorize_params') ?? {},
      verify: read.boolean('verify_ssl', true),
      ca: read.string('cacert', { nonEmpty: true }),
    };
  }
}
