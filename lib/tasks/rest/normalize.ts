import { existsSync } from 'node:fs';
import { InvalidInputError } from '../../model/errors.js';
import type { FilesFolder } from '../../core/files/folder.js';
import type { NormalizeContext } from '../../core/task-definition.js';
import type { Redactor } from '../../core/redact/redactor.js';
import { describeValue } from '../../util/describe.js';
import { Described, InputReader, MAX_DURATION_SECONDS } from '../input-reader.js';
import { encodeBody, type EncodedBody } from './body.js';
import { readHeaders, type HeaderList } from './headers.js';
import { METHODS, REST_DEFAULTS, REST_INPUT_ALIASES, REST_INPUT_NAMES, type Method } from './inputs.js';
import { buildUrl } from './url.js';
import { VERSION } from '../../util/version.js';
import { GRANT_TOKENS } from './grant-tokens.js';
import { applyAuth } from './auth.js';
import { readProxy, type ProxySetting } from './proxy.js';

/** Retry timing in milliseconds, every field present. */
export interface Backoff {
  initialMs: number;
  maximumMs: number;
  multiplier: number;
  deadlineMs: number;
}

/** The REST task's inputs after validation, with defaults merged: what every later stage reads. */
export interface RestRequest {
  method: Method;
  url: URL;
  headers: HeaderList;
  /** Lower-case names of the headers the `auth` input set (they never follow a redirect to another origin). */
  credentialHeaders: ReadonlySet<string>;
  body: EncodedBody | undefined;
  expected: ReadonlySet<number>;
  retryStatuses: ReadonlySet<number>;
  backoff: Backoff;
  /** Milliseconds, or `null` for none. */
  timeouts: { connect: number | null; read: number | null; total: number | null };
  redirects: { follow: boolean; max: number };
  tls: { verify: boolean; ca: string | undefined; cert: string | undefined; key: string | undefined };
  /** The OAuth 2.0 grant whose token each try sends. */
  grant: string | undefined;
  proxy: ProxySetting;
  response: ResponseMode;
  /** `debug`: log requests and responses as they happen. */
  debug: boolean;
  /** Lines for the task's log (deprecations, ignored inputs). */
  notes: string[];
  /** The `Idempotency-Key` sent (from `idempotency_key` or the header): such a POST may be sent again on resume. */
  idempotencyKey: string | undefined;
}

/** How the response body is handed over. */
export interface ResponseMode {
  type: 'auto' | 'json' | 'text' | 'binary' | 'file';
  /** The file name for downloads (`dst`); chosen from the response when absent. */
  dst: string | undefined;
  /** Bytes allowed in memory, or for a download when `maxExplicit`. */
  maxBytes: number;
  /** Whether the user set `max_content_length` (downloads are unbounded unless so). */
  maxExplicit: boolean;
  /** Whether a download may replace an existing file. */
  overwrite: boolean;
}

export const TASK = 'REST';
/** Sent unless the flow gives its own, so servers see who calls them (not node-fetch's default). */
export const USER_AGENT = `flow_api/${VERSION}`;
/** More redirects than this is a loop, whatever the input says (browsers stop at 20, curl at 50). */
const MAX_REDIRECTS = 100;
const RESPONSE_TYPES = ['auto', 'json', 'text', 'binary', 'file'] as const;

/** Validate the user's REST inputs once, at the `task()` call. */
export function normalizeRest(inputs: unknown, { redactor, files, secrets, resources, callKey }: NormalizeContext): RestRequest {
  // `{ secret: 'NAME' }` anywhere in the inputs becomes the secret (registered with the redactor).
  const input = new InputReader(TASK, secrets.resolve(inputs, `${TASK} input`), REST_INPUT_NAMES, REST_INPUT_ALIASES);
  const notes: string[] = [];
  const method = readMethod(input);
  const { url, credentials, notes: urlNotes } = buildUrl(input);
  notes.push(...urlNotes);
  const headers = readHeaders(input);
  // Credentials in headers are secrets for the whole run: masked in every message and log.
  for (const [name, value] of headers.entries()) {
    if (['authorization', 'proxy-authorization', 'cookie'].includes(name.toLowerCase())) redactor.addCredentialHeader(name, value);
  }
  const credentialHeaders = applyAuth(input, headers, url, redactor, notes);
  if (credentials) applyUrlCredentials(credentials, headers, redactor, notes);
  const body = encodeBody(input, method, notes, files);
  if (body) headers.setDefault('Content-Type', body.contentType);
  headers.setDefault('User-Agent', USER_AGENT);
  const grant = input.string('grant', { nonEmpty: true });
  if (grant !== undefined) {
    const tokens = resources.service(GRANT_TOKENS);
    if (!tokens)
      throw new InvalidInputError(
        'REST input "grant" needs OAuth 2.0 grants, and this run was given none (run it with flow_api\'s run() or `flow run`)',
        'grant',
      );
    tokens.check(grant); // an unknown or badly configured grant fails here, at the task() call
    if (headers.has('authorization')) notes.push(`grant "${grant}" not applied: the Authorization header was given explicitly`);
  }
  rejectUserToken(input);
  const idempotencyKey = readIdempotencyKey(input, callKey, headers, notes);
  return {
    method,
    url,
    headers,
    credentialHeaders,
    body,
    expected: input.statusList('expected_status_code', REST_DEFAULTS.expected_status_code),
    retryStatuses: input.statusList('retry_status_code', REST_DEFAULTS.retry_status_code, { allowEmpty: true }),
    backoff: readBackoff(input),
    timeouts: {
      connect: input.secondsOrNone('connect_timeout'),
      read: input.secondsOrNone('read_timeout'),
      total: input.secondsOrNone('total_timeout'),
    },
    redirects: {
      follow: input.boolean('allow_redirects', REST_DEFAULTS.allow_redirects),
      max: input.integer('max_redirects', REST_DEFAULTS.max_redirects, 0, MAX_REDIRECTS),
    },
    tls: { verify: input.boolean('verify_ssl', REST_DEFAULTS.verify_ssl), ca: readCaCert(input), ...readClientCert(input, redactor) },
    grant: grant !== undefined && !headers.has('authorization') ? grant : undefined,
    proxy: readProxy(input, redactor),
    response: readResponseMode(input, files),
    debug: input.boolean('debug', false),
    idempotencyKey,
    notes,
  };
}

/**
 * `idempotency_key`: a string, or `true` for one made from the run's id and the task's seq (the
 * same on resume), sent as `Idempotency-Key`. An explicit header of that name is the key.
 */
function readIdempotencyKey(input: InputReader, callKey: string, headers: HeaderList, notes: string[]): string | undefined {
  const given = input.raw.idempotency_key;
  const explicit = headers.get('idempotency-key');
  if (given === undefined || given === null || given === false) return explicit;
  let key: string;
  if (given === true) key = callKey;
  else if (typeof given === 'string' && given.trim() !== '' && given.length <= 255 && !/[\u0000-\u001f\u007f]/.test(given)) key = given;
  else return input.fail('idempotency_key', 'true or a string of 1 to 255 characters without control characters');
  if (explicit !== undefined) {
    notes.push('"idempotency_key" not applied: the Idempotency-Key header was given explicitly');
    return explicit;
  }
  headers.set('Idempotency-Key', key);
  return key;
}

/** `https://user:password@host/` (RFC 3986 §3.2.1) as basic auth, unless credentials were given another way. */
function applyUrlCredentials(credentials: { username: string; password: string }, headers: HeaderList, redactor: Redactor, notes: string[]): void {
  redactor.addUserPassword(credentials.username, credentials.password);
  if (headers.has('authorization')) {
    notes.push('the user and password in "url" were not sent: an Authorization header (or "auth") was given');
    return;
  }
  const value = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
  redactor.addCredentialHeader('Authorization', value);
  headers.set('Authorization', value);
}

function readResponseMode(input: InputReader, files: FilesFolder): ResponseMode {
  const given = input.raw.response_type;
  if (given !== undefined && given !== null && !(RESPONSE_TYPES as readonly unknown[]).includes(given)) {
    input.fail('response_type', `one of ${RESPONSE_TYPES.join(', ')}`);
  }
  const dst = input.string('dst', { nonEmpty: true });
  const overwrite = input.boolean('overwrite', REST_DEFAULTS.overwrite);
  if (dst !== undefined) {
    const path = files.resolve(dst, 'REST input "dst"');
    if (!overwrite && existsSync(path))
      input.fail('dst', `the name of a file that does not exist yet, or "overwrite": true to replace it; "${dst}" is already in the files folder`, dst);
    if (given !== undefined && given !== null && given !== 'file') {
      input.fail('response_type', `"file" or left out when "dst" is given (dst streams the body to a file)`);
    }
  }
  const type = dst !== undefined ? 'file' : ((given ?? REST_DEFAULTS.response_type) as ResponseMode['type']);
  const maxExplicit = input.has('max_content_length');
  return { type, dst, maxBytes: input.integer('max_content_length', REST_DEFAULTS.max_content_length, 1), maxExplicit, overwrite };
}

function readMethod(input: InputReader): Method {
  const raw = input.raw.method ?? REST_DEFAULTS.method;
  const method = typeof raw === 'string' ? raw.trim().toUpperCase() : undefined;
  if (!method || !(METHODS as readonly string[]).includes(method)) {
    input.fail('method', `one of ${METHODS.map((m) => m.toLowerCase()).join(', ')} (any case)`, raw);
  }
  return method as Method;
}

const BACKOFF_KEYS = ['initial', 'maximum', 'multiplier', 'deadline'] as const;

function readBackoff(input: InputReader): Backoff {
  const given = input.object('retry_backoff') ?? {};
  for (const key of Object.keys(given)) {
    if (!(BACKOFF_KEYS as readonly string[]).includes(key)) {
      input.fail('retry_backoff', `an object with the keys ${BACKOFF_KEYS.join(', ')} (unknown key "${key}")`, given);
    }
  }
  const merged = { ...REST_DEFAULTS.retry_backoff, ...given } as Record<string, unknown>;
  for (const key of BACKOFF_KEYS) {
    const value = merged[key];
    const min = key === 'multiplier' ? 1 : 0;
    const max = key === 'multiplier' ? 1000 : MAX_DURATION_SECONDS;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new InvalidInputError(
        `REST input "retry_backoff.${key}" must be a number from ${min} to ${max}${key === 'multiplier' ? '' : ' seconds (7 days)'}, got ${describeValue(value)}`,
        'retry_backoff',
      );
    }
  }
  const { initial, maximum, multiplier, deadline } = merged as Record<(typeof BACKOFF_KEYS)[number], number>;
  return { initialMs: initial * 1000, maximumMs: maximum * 1000, multiplier, deadlineMs: deadline * 1000 };
}

function readCaCert(input: InputReader): string | undefined {
  const pem = input.string('cacert');
  if (pem === undefined) return undefined;
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    input.fail('cacert', 'PEM text of one or more certificates ("-----BEGIN CERTIFICATE-----...")', new Described('text without a PEM certificate'));
  return pem;
}

/** Mutual TLS: both PEM texts or neither. The key is a secret for the whole run. */
function readClientCert(input: InputReader, redactor: Redactor): { cert: string | undefined; key: string | undefined } {
  const cert = input.string('client_cert', { nonEmpty: true });
  const key = input.string('client_key', { nonEmpty: true });
  if (key !== undefined) redactor.addSecret(key);
  if (cert !== undefined && !cert.includes('-----BEGIN CERTIFICATE-----'))
    input.fail(
      'client_cert',
      'PEM text of a certificate ("-----BEGIN CERTIFICATE-----...") or { secret: \'NAME\' }',
      new Described('text without a PEM certificate'),
    );
  if (key !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key))
    input.fail(
      'client_key',
      'PEM text of a private key ("-----BEGIN PRIVATE KEY-----...") or { secret: \'NAME\' }',
      new Described('text without a PEM private key'),
    );
  if ((cert === undefined) !== (key === undefined)) {
    input.missing(
      `"client_cert" and "client_key" go together for mutual TLS; only "${cert === undefined ? 'client_key' : 'client_cert'}" was given`,
      cert === undefined ? 'client_cert' : 'client_key',
    );
  }
  return { cert, key };
}

/** `pass_user_token` is part of Cloudomation's contract, but `flow run` has no logged-in user. */
function rejectUserToken(input: InputReader): void {
  const passUserToken = input.raw.pass_user_token;
  if (passUserToken !== undefined && passUserToken !== null && passUserToken !== false) {
    if (passUserToken !== true) input.fail('pass_user_token', 'true or false');
    throw new InvalidInputError(
      'REST input "pass_user_token" needs a user token, but none exists when flows run with `flow run`; configure an OAuth 2.0 grant and use "grant", or use "auth"',
      'pass_user_token',
    );
  }
}
