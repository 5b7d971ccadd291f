import { ConfigError, readNamedEntries } from '../core/config/files.js';
import type { Secrets } from '../core/config/secrets.js';
import { describeValue, isPlainObject } from '../util/describe.js';
import { closest } from '../util/suggest.js';

export const GRANT_TYPES = ['client_credentials', 'authorization_code'] as const;
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
    const fail = (key: string, expected: string, value: unknown = raw[key]): never => {
      throw new ConfigError(`${where}: "${key}" must be ${expected}, got ${describeValue(value)}`);
    };
    for (const key of Object.keys(raw)) {
      if (!KEYS.includes(key)) {
        const guess = closest(key, KEYS);
        throw new ConfigError(`${where}: unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; valid keys are: ${KEYS.join(', ')}`);
      }
    }
    const value = (key: string) => this.secrets.resolve(raw[key], `${where} "${key}"`);
    const type = raw.type;
    if (!(GRANT_TYPES as readonly unknown[]).includes(type)) fail('type', GRANT_TYPES.map((t) => `"${t}"`).join(' or '));
    const url = (key: string, required: boolean): URL | undefined => {
      const text = value(key);
      if (text === undefined && !required) return undefined;
      try {
        const parsed = new URL(String(text));
        if (typeof text === 'string' && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) return parsed;
      } catch {
        /* reported below */
      }
      return fail(key, 'an http or https URL');
    };
    const string = (key: string, required: boolean): string | undefined => {
      const text = value(key);
      if (text === undefined || text === null) return required ? fail(key, 'a non-empty string') : undefined;
      if (typeof text !== 'string' || text === '') fail(key, 'a non-empty string');
      return text as string;
    };
    const strings = (key: string): Record<string, string> => {
      const obj = value(key);
      if (obj === undefined || obj === null) return {};
      if (!isPlainObject(obj) || Object.values(obj).some((v) => typeof v !== 'string')) fail(key, 'an object of string values');
      return obj as Record<string, string>;
    };
    const scopes = value('scopes') ?? value('scope');
    if (scopes !== undefined && typeof scopes !== 'string' && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
      fail(raw.scopes !== undefined ? 'scopes' : 'scope', 'a string or a list of strings');
    }
    const clientAuth = raw.client_auth ?? 'basic';
    if (clientAuth !== 'basic' && clientAuth !== 'body') fail('client_auth', '"basic" or "body"');
    const port = raw.redirect_port ?? 0;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) fail('redirect_port', 'a port number (0 for any free port)');
    const verify = raw.verify_ssl ?? true;
    if (typeof verify !== 'boolean') fail('verify_ssl', 'true or false');
    const grant: Grant = {
      name,
      type: type as GrantType,
      tokenUrl: url('token_url', true)!,
      authorizeUrl: url('authorize_url', type === 'authorization_code'),
      clientId: string('client_id', true)!,
      clientSecret: string('client_secret', type === 'client_credentials'),
      scope: Array.isArray(scopes) ? scopes.join(' ') : (scopes as string | undefined),
      params: strings('params'),
      headers: strings('headers'),
      clientAuth: clientAuth as Grant['clientAuth'],
      redirectPort: port as number,
      redirectPath: string('redirect_path', false) ?? '/callback',
      authorizeParams: strings('authorize_params'),
      verify: verify as boolean,
      ca: string('cacert', false),
    };
    return grant;
  }
}
