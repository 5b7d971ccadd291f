/**
 * The REST task's public inputs and outputs, with Cloudomation's names and defaults.
 * Everything downstream works on the normalised form (`normalize.ts`), never on these.
 */
import type { FlowFile } from '../../files/flow-file.js';
import type { ProtectOptions } from '../../execution/protect.js';

/** An HTTP method, in any case. */
export type RestMethod =
  | 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options'
  | 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS'
  | (string & {});

/** A query parameter value: arrays repeat the key, `null`/`undefined` leave it out. */
export type ParamValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** Retry timing, in seconds. A partial object is merged with {@link REST_DEFAULTS}`.retry_backoff`. */
export interface RetryBackoff {
  /** Delay before the second try, in seconds. Default `1`. */
  initial?: number;
  /** Longest delay between tries, in seconds. Default `60`. */
  maximum?: number;
  /** Each delay is the previous one times this. Default `2`. */
  multiplier?: number;
  /** No try starts later than this many seconds after the first. Default `600`. */
  deadline?: number;
}

/** A file a task reads: a name in the run's files folder, or a `FlowFile`. */
export type FileRef = string | FlowFile;

/**
 * A part of a `multipart` body: `value` (text) or `file`. Its headers are sent in Cloudomation's
 * order, `Content-Type`, `Content-Disposition`, `Content-Length`; each can be replaced, or left out
 * with `false`.
 */
export interface MultipartPart {
  /** The form field name. */
  name: string;
  /** The part's content, as text. */
  value?: string;
  /** A file sent as the part's content, streamed from disk. Its name is the default `filename`. */
  file?: FileRef;
  /** The file name sent in `Content-Disposition`. Default: the file's base name (none for a value). */
  filename?: string;
  /**
   * The part's `Content-Type`; `false` leaves it out. Default: `text/plain; charset=utf-8` for a
   * value and for a file whose type (from its name) is text or unknown, else that type; with
   * `multipart/form-data`, none for a value and the file's type for a file.
   */
  'content-type'?: string | false;
  /** Replaces the generated `Content-Disposition: form-data; name="…"[; filename="…"]`; `false` leaves it out. */
  'content-disposition'?: string | false;
  /**
   * The part's `Content-Length`: a number sends that, `false` leaves it out. Default: the
   * content's size in bytes (none with `multipart/form-data`, unless `true`).
   */
  'content-length'?: boolean | number;
}

/** A `multipart` body in Cloudomation's shape. */
export interface MultipartBody {
  parts: MultipartPart[];
  /** The boundary between parts (1–70 characters, RFC 2046). Default: 32 random hex digits. */
  boundary?: string;
  /**
   * The body's media type; `; boundary=…` is appended. Default `multipart/mixed` (Cloudomation's
   * documented request). `multipart/form-data` gives browser-style form parts (RFC 7578).
   */
  'content-type'?: string;
}

/** `{ secret: 'NAME' }`: replaced by the secret NAME (see `system.secret()`) when the task runs; the record keeps the reference. */
export interface SecretRef {
  secret: string;
}

/** A string, or a reference to a secret holding it. */
export type Secretable = string | SecretRef;

/** HTTP basic authentication (RFC 7617): `Authorization: Basic base64(username:password)`. */
export interface BasicAuth {
  type: 'basic';
  username: Secretable;
  password: Secretable;
}

/** A bearer token (RFC 6750): `Authorization: Bearer <token>`. */
export interface BearerAuth {
  type: 'bearer';
  token: Secretable;
}

/** An API key sent in a header or a query parameter. */
export interface ApiKeyAuth {
  type: 'api_key';
  /** The header or query parameter name, such as `X-API-Key` or `api_key`. */
  name: string;
  value: Secretable;
  /** Where the key goes. Default `'header'`. */
  in?: 'header' | 'query';
  /** A prefix before the key in the header (Prismatic's "authentication scheme"), such as `Token` or `Bearer`. */
  scheme?: string;
}

/** The `auth` input: credentials the task turns into headers or query parameters, masked everywhere. */
export type RestAuth = BasicAuth | BearerAuth | ApiKeyAuth;

/** Inputs of `this.task('REST', inputs)`. Either `url` or `hostname` is required. */
export interface RestInputs {
  /** The full URL (`http`/`https`). Wins over `scheme`/`hostname`/`port`/`base_path` when both are given; `path` is appended to it. */
  url?: string;
  /** `http` or `https`, for a URL built from parts. Default `https`. */
  scheme?: 'http' | 'https' | (string & {});
  /** Host name or IP address (IPv6 with or without brackets), for a URL built from parts. */
  hostname?: string;
  /** Port, for a URL built from parts. Default `443` for https, `80` for http. */
  port?: number | string;
  /** Path prefix placed before `path`; slashes between parts are joined exactly once. */
  base_path?: string;
  /** Path appended to `base_path` (or to `url`). */
  path?: string;
  /** Query parameters, URL-encoded and appended to any already in the URL. */
  params?: Record<string, ParamValue>;
  /** The HTTP method, any case: get, post, put, patch, delete, head, options. Default `get`. */
  method?: RestMethod;
  /** Request headers; names are case-insensitive. */
  headers?: Record<string, string | number | boolean | SecretRef>;
  /** Cookies sent in one `Cookie` header, merged with one given in `headers`. */
  cookies?: Record<string, string | number>;
  /** A JSON body (sets `Content-Type: application/json` unless given). Only for post, put, patch, delete. */
  json?: unknown;
  /** @deprecated Use `json`. A deprecated alias of `json`, kept so Cloudomation flows port unchanged. */
  data?: unknown;
  /** A text body (sets `Content-Type: text/plain; charset=utf-8` unless given). */
  text?: string;
  /** A form body, `application/x-www-form-urlencoded`: an object (arrays repeat the key) or an encoded string. */
  urlencoded?: Record<string, ParamValue> | string;
  /** A multipart body (`multipart/mixed` by default, as Cloudomation sends it); file parts are streamed. */
  multipart?: MultipartBody;
  /** A file sent as the body, streamed, with `Content-Length` and a `Content-Type` from its extension unless given. */
  file?: FileRef;
  /**
   * How the response body is handed over. `auto` (default): `json` when it parses as JSON, `text`
   * for textual types, `binary` (a Buffer) for others; `json`, `text`, `binary` force one;
   * `file` streams it to a file in the files folder (output `file`), named by `dst`, else by
   * `Content-Disposition`, else by the URL path.
   */
  response_type?: 'auto' | 'json' | 'text' | 'binary' | 'file';
  /** Name of the file in the files folder to stream the body to (Cloudomation's input); implies `response_type: 'file'`. */
  dst?: string;
  /** Let a download replace a file of the same name in the files folder. Default `false`: an existing file is an error, never silently overwritten. */
  overwrite?: boolean;
  /**
   * The largest body held in memory, in bytes (decoded, after gzip/deflate/br). Default
   * 10 MiB (10485760). Not applied to file downloads unless given.
   */
  max_content_length?: number;
  /** Statuses that end the task `ENDED_SUCCESS`; any other ends it `ENDED_ERROR`. Default `[200, 201, 202, 204]`. */
  expected_status_code?: number | number[];
  /** Statuses that are retried, for every method. Default `[502, 503, 504]`. */
  retry_status_code?: number | number[];
  /** Retry timing in seconds. Default `{ initial: 1, maximum: 60, multiplier: 2, deadline: 600 }`. */
  retry_backoff?: RetryBackoff;
  /** Seconds allowed for the TCP (and TLS) connection. `0`/`null`: none (default). */
  connect_timeout?: number | null;
  /** Seconds allowed without receiving a byte (headers or body). `0`/`null`: none (default). */
  read_timeout?: number | null;
  /** Seconds allowed for the whole task, all tries and delays included. `0`/`null`: none (default). */
  total_timeout?: number | null;
  /** Follow redirects. Default `true`; with `false` the 3xx response is the final one. */
  allow_redirects?: boolean;
  /** The most redirects followed before the task fails. Default `10`. */
  max_redirects?: number;
  /** Verify the server's TLS certificate. Default `true`. */
  verify_ssl?: boolean;
  /** PEM text of extra CA certificates trusted for this task only. */
  cacert?: string;
  /** Name of a configured OAuth 2.0 grant (`.flow/grants.json`) whose token is sent as `Authorization: Bearer`; a 401 renews the token once and retries. */
  grant?: string;
  /** Credentials: basic, bearer or an API key (header or query). An explicit `Authorization` header wins over it. */
  auth?: RestAuth;
  /**
   * Proxy URL: `http://`, `https://` or `socks5://`, optionally `user:password@`. Default: the
   * `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` variables, minus `NO_PROXY`; `false` connects directly.
   */
  proxy?: Secretable | false;
  /**
   * Cloudomation's `init`: `{ protect_inputs: [...], protect_outputs: [...] }` names inputs and
   * outputs stored as `***` in the record. Taken out by `task()` before the inputs are checked
   * (it may also be given as `task()`'s option `init`).
   */
  init?: ProtectOptions;
  /**
   * Log each request as it is sent and each response as it arrives (headers and the first 2 KiB
   * of the bodies, secrets masked), as Prismatic's "Debug Request" does. Default `false`.
   */
  debug?: boolean;
  /** Client certificate (PEM) for mutual TLS, or a secret reference. Needs `client_key`. */
  client_cert?: Secretable;
  /** Private key (PEM) of `client_cert`, or a secret reference. */
  client_key?: Secretable;
  /** Send the user's own token (Cloudomation). */
  pass_user_token?: boolean;
}

/** One try of a REST task, as recorded in the `attempts` output. */
export interface RestAttempt {
  /** 1 for the first try. */
  attempt: number;
  /** ISO 8601 time the try started. */
  started_at: string;
  /** Seconds the try took (redirects included). */
  duration: number;
  /** The final status of the try, when a response came. */
  status_code?: number;
  /** What went wrong, when no response came. */
  error?: string;
  /** The error's code (`ECONNREFUSED`, `ERR_READ_TIMEOUT`, ...). */
  code?: string;
  /** The seconds waited before the next try, if there was one. */
  retry_in?: number;
}

/** The request as sent on the final try (the `request` output), secrets masked in the record. */
export interface RestSentRequest {
  method: string;
  url: string;
  /** Headers as sent, with their spelling. */
  headers: Record<string, string>;
  /** The body as text (up to 64 KiB), or a description of a streamed body. Absent without a body. */
  body?: string;
}

/** Outputs of a REST task (`task.get('output_value')`). */
export interface RestOutputs {
  /** The final response's status code. */
  status_code: number;
  /** Response headers with lower-case names; repeated headers joined with ", ", `set-cookie` as a list. */
  headers: Record<string, string | string[]>;
  /** Cookies set by the response (`Set-Cookie`), and by every response of a redirect chain before it, name → value. */
  cookies: Record<string, string>;
  /** The charset of the response's `Content-Type`, else `utf-8`. */
  encoding: string;
  /**
   * The body parsed as JSON, when it parses. Typed `any` on purpose: its shape is the server's,
   * so `task.get('output_value').json.items[0].id` reads as in Cloudomation's Python; give it a
   * type where you use it if you want one.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON from the server
  json?: any;
  /** The body as text, always (also when it parses as JSON), decoded with its charset; absent for binary bodies and downloads. */
  text?: string;
  /** The body as bytes, for non-text content types (or `response_type: 'binary'`). Stored in the record as its size only. */
  binary?: Buffer;
  /** The downloaded file, with `response_type: 'file'` or `dst`. */
  file?: FlowFile;
  /** Bytes of the (decoded) body. */
  length: number;
  /** The final URL, after redirects. */
  url: string;
  /** One entry per try. */
  attempts: RestAttempt[];
  /** What was sent on the final try: method, URL, headers, body (for `flow show --verbose` and `flow export-test`). */
  request: RestSentRequest;
}

/** The REST task's defaults: one constant used by the code and the docs. */
export const REST_DEFAULTS = {
  scheme: 'https',
  method: 'get',
  expected_status_code: [200, 201, 202, 204],
  retry_status_code: [502, 503, 504],
  retry_backoff: { initial: 1, maximum: 60, multiplier: 2, deadline: 600 },
  connect_timeout: null,
  read_timeout: null,
  total_timeout: null,
  allow_redirects: true,
  max_redirects: 10,
  verify_ssl: true,
  response_type: 'auto',
  overwrite: false,
  max_content_length: 10 * 1024 * 1024,
} as const;

/** Every input name, for validation and "did you mean" hints. */
export const REST_INPUT_NAMES = [
  'url', 'scheme', 'hostname', 'port', 'base_path', 'path', 'params', 'method', 'headers', 'cookies',
  'json', 'data', 'text', 'urlencoded', 'multipart', 'file', 'response_type', 'dst', 'overwrite', 'max_content_length',
  'expected_status_code', 'retry_status_code',
  'retry_backoff', 'connect_timeout', 'read_timeout', 'total_timeout', 'allow_redirects', 'max_redirects',
  'verify_ssl', 'cacert', 'grant', 'pass_user_token', 'auth', 'proxy', 'client_cert', 'client_key', 'debug',
] as const satisfies readonly (keyof RestInputs)[];

/** Methods and whether they may carry a body (as in Cloudomation). */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];
export const BODY_METHODS: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** RFC 9110 §9.2.2: repeating these has the same effect as sending once, so a reset may be retried. */
export const IDEMPOTENT_METHODS: ReadonlySet<Method> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
