/**
 * The REST task's inputs and outputs as data: names, TypeScript types, meanings and defaults.
 * One source for three readers: the generated types (`types.ts`, written by
 * `scripts/gen-rest-types.ts`, with each JSDoc and `@default` taken from here), the input
 * checks (the list of valid names and the "did you mean" aliases), and `flow describe REST`.
 */
import type { FieldSpec } from '../../core/task-definition.js';
import { REST_DEFAULTS } from './defaults.js';

export type { FieldSpec } from '../../core/task-definition.js';

/** A declaration of the generated types file: an interface of fields, or a type alias. */
export type TypeSpec =
  { kind: 'interface'; name: string; doc: string; fields: Record<string, FieldSpec> } | { kind: 'alias'; name: string; doc: string; type: string };

const D = REST_DEFAULTS;

export const REST_INPUTS = {
  url: {
    type: 'string',
    doc: 'The full URL (`http`/`https`). Wins over `scheme`/`hostname`/`port`/`base_path` when both are given; `path` is appended to it. A `user:password@` in it is sent as basic auth.',
  },
  scheme: { type: "'http' | 'https'", doc: '`http` or `https`, for a URL built from parts.', default: D.scheme },
  hostname: {
    type: 'string',
    doc: 'Host name or IP address (IPv6 with or without brackets) for a URL built from parts, optionally with `:port` (`api.example.com:8443`, `[::1]:8080`).',
  },
  port: {
    type: 'number | string',
    doc: 'Port, for a URL built from parts; it must agree with a port in `hostname`.',
    defaultText: '443 for https, 80 for http',
  },
  base_path: { type: 'string', doc: 'Path prefix placed before `path`; slashes between parts are joined exactly once.' },
  path: { type: 'string', doc: 'Path appended to `base_path` (or to the path of `url`); its `..` segments may not climb above it.' },
  params: {
    type: 'Record<string, ParamValue>',
    doc: 'Query parameters, URL-encoded and appended to any already in the URL; a list repeats the key, `null` leaves it out.',
  },
  method: { type: 'RestMethod', doc: 'The HTTP method, in any case: get, post, put, patch, delete, head, options.', default: D.method },
  headers: {
    type: 'Record<string, string | number | boolean | SecretRef>',
    doc: "Request headers; names are case-insensitive. `Content-Length`, `Transfer-Encoding` and hop-by-hop headers are the transport's.",
  },
  cookies: { type: 'Record<string, string | number>', doc: 'Cookies sent in one `Cookie` header, merged with one given in `headers`.' },
  json: { type: 'unknown', doc: 'A JSON body (sets `Content-Type: application/json` unless given). Only for post, put, patch and delete.' },
  data: { type: 'unknown', doc: 'A deprecated alias of `json`, kept so Cloudomation flows port unchanged.', deprecated: 'Use `json`.' },
  text: { type: 'string', doc: 'A text body (sets `Content-Type: text/plain; charset=utf-8` unless given).' },
  urlencoded: {
    type: 'Record<string, ParamValue> | string',
    doc: 'A form body, `application/x-www-form-urlencoded`: an object (a list repeats the key) or an encoded string.',
  },
  multipart: {
    type: 'MultipartBody | FormDataLike',
    doc: "A multipart body: Cloudomation's `{ parts, boundary?, content-type? }` (`multipart/mixed` by default, as Cloudomation sends it), or a `FormData` (sent as `multipart/form-data`). Files are streamed.",
  },
  file: { type: 'FileRef', doc: 'A file sent as the body, streamed, with `Content-Length` and a `Content-Type` from its name unless given.' },
  response_type: {
    type: "'auto' | 'json' | 'text' | 'binary' | 'file'",
    doc: 'How the response body is handed over. `auto`: `text` for textual types, and `json` too when it parses; `binary` (a Buffer) for others. `json`, `text`, `binary` force one; `file` streams it to a file in the files folder (output `file`), named by `dst`, else by `Content-Disposition`, else by the URL path.',
    default: D.response_type,
  },
  dst: { type: 'string', doc: "Name of the file in the files folder to stream the body to (Cloudomation's input); implies `response_type: 'file'`." },
  overwrite: {
    type: 'boolean',
    doc: 'Let a download replace a file of the same name in the files folder; otherwise an existing file is an error, never silently overwritten.',
    default: D.overwrite,
  },
  max_content_length: {
    type: 'number',
    doc: 'The largest body held in memory, in bytes, counted after gzip/deflate/br decoding. Not applied to downloads to a file unless given.',
    default: D.max_content_length,
  },
  expected_status_code: {
    type: 'number | number[]',
    doc: 'Statuses that end the task `ENDED_SUCCESS`; any other ends it `ENDED_ERROR`, with the outputs still recorded.',
    default: D.expected_status_code,
  },
  retry_status_code: {
    type: 'number | number[]',
    doc: 'Statuses that are retried, for every method (a status in `expected_status_code` never is).',
    default: D.retry_status_code,
  },
  retry_backoff: {
    type: 'RetryBackoff',
    doc: 'Retry timing, in seconds; a partial object is merged with the default. Never less than 1 s between tries; a `Retry-After` is honoured, and one that ends after the deadline ends the retries.',
    default: D.retry_backoff,
  },
  connect_timeout: {
    type: 'number | null',
    doc: 'Seconds allowed for the TCP (and TLS) connection; `0` or `null` for none. At most 7 days.',
    default: D.connect_timeout,
  },
  read_timeout: {
    type: 'number | null',
    doc: 'Seconds allowed without receiving a byte (headers or body); `0` or `null` for none. At most 7 days.',
    default: D.read_timeout,
  },
  total_timeout: {
    type: 'number | null',
    doc: 'Seconds allowed for the whole task, all tries and delays included; `0` or `null` for none. At most 7 days.',
    default: D.total_timeout,
  },
  allow_redirects: { type: 'boolean', doc: 'Follow redirects; with `false` the 3xx response is the final one.', default: D.allow_redirects },
  max_redirects: { type: 'number', doc: 'The most redirects followed before the task fails (at most 100).', default: D.max_redirects },
  verify_ssl: { type: 'boolean', doc: "Verify the server's TLS certificate.", default: D.verify_ssl },
  cacert: { type: 'string', doc: 'PEM text of extra CA certificates trusted for this task only.' },
  grant: {
    type: 'string',
    doc: 'Name of a configured OAuth 2.0 grant (`.flow/grants.json`) whose token is sent as `Authorization: Bearer`; a 401 renews the token once and repeats the request.',
  },
  pass_user_token: {
    type: 'boolean',
    doc: 'Cloudomation\'s "send the user\'s own token". `flow run` has no logged-in user, so `true` is an error that points to `grant`.',
    default: D.pass_user_token,
  },
  auth: {
    type: 'RestAuth',
    doc: 'Credentials: basic, bearer or an API key (in a header or the query), masked everywhere. An explicit `Authorization` header wins over it.',
  },
  proxy: {
    type: 'Secretable | false',
    doc: 'Proxy URL: `http://`, `https://` or `socks5://`, optionally with `user:password@`; `false` connects directly.',
    defaultText: 'HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, minus NO_PROXY',
  },
  client_cert: { type: 'Secretable', doc: 'Client certificate (PEM) for mutual TLS, or a secret reference. Needs `client_key`.' },
  client_key: { type: 'Secretable', doc: 'Private key (PEM) of `client_cert`, or a secret reference.' },
  debug: {
    type: 'boolean',
    doc: 'Log each request as it is sent and each response as it arrives (headers and the first 2 KiB of the bodies, secrets masked), as Prismatic\'s "Debug Request" does.',
    default: D.debug,
  },
  init: {
    type: 'ProtectOptions',
    doc: "Cloudomation's `init`: `{ protect_inputs: [...], protect_outputs: [...] }` names inputs and outputs stored as `***` in the record. Taken out by `task()` before the inputs are checked (also accepted as `task()`'s option `init`).",
  },
} satisfies Record<string, FieldSpec>;

export const REST_OUTPUTS = {
  status_code: { type: 'number', doc: "The final response's status code.", required: true },
  headers: {
    type: 'Record<string, string | string[]>',
    doc: 'Response headers with lower-case names; repeated headers joined with ", ", `set-cookie` as a list.',
    required: true,
  },
  cookies: {
    type: 'Record<string, string>',
    doc: 'Cookies set by the response (`Set-Cookie`), and by every response of a redirect chain before it, name → value.',
    required: true,
  },
  encoding: { type: 'string', doc: "The charset of the response's `Content-Type`, else `utf-8`.", required: true },
  text: {
    type: 'string',
    doc: 'The body as text, always (also when it parses as JSON), decoded with its charset; absent for binary bodies and downloads. The TaskREST page: "The text output will contain the response body".',
  },
  json: {
    type: 'any',
    doc: "The body parsed as JSON, when it parses. Typed `any` on purpose: its shape is the server's, so `task.get('output_value').json.items[0].id` reads as in Cloudomation's Python; give it a type where you use it if you want one.",
  },
  binary: { type: 'Buffer', doc: "The body as bytes, for non-text content types (or `response_type: 'binary'`). Stored in the record as its size only." },
  file: { type: 'FlowFile', doc: "The downloaded file, with `response_type: 'file'` or `dst`: name, path, size, sha256, content type." },
  length: { type: 'number', doc: 'Bytes of the (decoded) body.', required: true },
  url: { type: 'string', doc: 'The final URL, after redirects.', required: true },
  attempts: { type: 'RestAttempt[]', doc: 'One entry per try (the first 10 and the last 90 of a retry storm).', required: true },
  request: {
    type: 'RestSentRequest',
    doc: 'What the final try sent: method, URL, headers exactly as on the wire, and the body (up to 64 KiB), secrets masked.',
    required: true,
  },
} satisfies Record<string, FieldSpec>;

/** Names a porter reaches for that are not REST inputs, and the one meant (`base_url` is on the TaskREST page itself). */
export const REST_INPUT_ALIASES: Readonly<Record<string, string>> = {
  base_url: 'base_path',
  baseurl: 'base_path',
  timeout: 'total_timeout',
  query: 'params',
  querystring: 'params',
  query_params: 'params',
  body: 'json',
  form: 'urlencoded',
  data_urlencoded: 'urlencoded',
  files: 'multipart',
  verify: 'verify_ssl',
  ssl_verify: 'verify_ssl',
  proxies: 'proxy',
  cert: 'client_cert',
  key: 'client_key',
  ca: 'cacert',
  allow_redirect: 'allow_redirects',
  follow_redirects: 'allow_redirects',
  redirects: 'max_redirects',
  retries: 'retry_backoff',
  max_retries: 'retry_backoff',
  status_code: 'expected_status_code',
  expected_status: 'expected_status_code',
  response_format: 'response_type',
};

/** Every declaration of the generated `types.ts`, in order. */
export const REST_TYPES: TypeSpec[] = [
  {
    kind: 'alias',
    name: 'RestMethod',
    doc: 'An HTTP method, lower case, upper case or capitalised.',
    type: "'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options' | 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'Get' | 'Post' | 'Put' | 'Patch' | 'Delete' | 'Head' | 'Options'",
  },
  {
    kind: 'alias',
    name: 'ParamValue',
    doc: 'A query parameter value: a list repeats the key, `null`/`undefined` leave it out.',
    type: 'string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>',
  },
  { kind: 'alias', name: 'FileRef', doc: 'A file a task reads: a name in the files folder, or a `FlowFile` from `system.file()`.', type: 'string | FlowFile' },
  {
    kind: 'interface',
    name: 'SecretRef',
    doc: "`{ secret: 'NAME' }`: replaced by the secret NAME (see `system.secret()`) when the task runs; the record keeps the reference.",
    fields: { secret: { type: 'string', doc: "The secret's name.", required: true } },
  },
  { kind: 'alias', name: 'Secretable', doc: 'A string, or a reference to a secret holding it.', type: 'string | SecretRef' },
  {
    kind: 'interface',
    name: 'RetryBackoff',
    doc: 'Retry timing, in seconds. A partial object is merged with the default.',
    fields: {
      initial: { type: 'number', doc: 'Delay before the second try, in seconds.', default: D.retry_backoff.initial },
      maximum: { type: 'number', doc: 'Longest delay between tries, in seconds.', default: D.retry_backoff.maximum },
      multiplier: { type: 'number', doc: 'Each delay is the previous one times this.', default: D.retry_backoff.multiplier },
      deadline: { type: 'number', doc: 'No try starts later than this many seconds after the first (at most 7 days).', default: D.retry_backoff.deadline },
    },
  },
  {
    kind: 'interface',
    name: 'MultipartPart',
    doc: "A part of a `multipart` body: `value` (text) or `file`. Its headers go in Cloudomation's order, `Content-Type`, `Content-Disposition`, `Content-Length`; each can be replaced, or left out with `false`.",
    fields: {
      name: { type: 'string', doc: 'The form field name.', required: true },
      value: { type: 'string', doc: "The part's content, as text." },
      file: { type: 'FileRef', doc: "A file sent as the part's content, streamed from disk. Its name is the default `filename`." },
      filename: { type: 'string', doc: 'The file name sent in `Content-Disposition`.', defaultText: "the file's base name; none for a value" },
      'content-type': {
        type: 'string | false',
        doc: "The part's `Content-Type`; `false` leaves it out.",
        defaultText:
          "`text/plain; charset=utf-8` for a value and for a file whose type (from its name) is text or unknown, else that type; with `multipart/form-data`, none for a value and the file's type for a file",
      },
      'content-disposition': {
        type: 'string | false',
        doc: 'Replaces the generated `Content-Disposition`; `false` leaves it out.',
        defaultText: '`form-data; name="…"[; filename="…"]`',
      },
      'content-length': {
        type: 'boolean | number',
        doc: "The part's `Content-Length`: a number sends that, `false` leaves it out.",
        defaultText: "the content's size in bytes; none with `multipart/form-data` unless `true`",
      },
    },
  },
  {
    kind: 'interface',
    name: 'MultipartBody',
    doc: "A `multipart` body in Cloudomation's shape.",
    fields: {
      parts: { type: 'MultipartPart[]', doc: 'The parts, in order.', required: true },
      boundary: { type: 'string', doc: 'The boundary between parts (1 to 70 characters, RFC 2046).', defaultText: '32 random hex digits' },
      'content-type': {
        type: 'string',
        doc: "The body's media type; `; boundary=…` is appended. `multipart/form-data` gives browser-style parts (RFC 7578).",
        default: 'multipart/mixed',
      },
    },
  },
  {
    kind: 'interface',
    name: 'BasicAuth',
    doc: 'HTTP basic authentication (RFC 7617): `Authorization: Basic base64(username:password)`.',
    fields: {
      type: { type: "'basic'", doc: 'The kind of credentials.', required: true },
      username: { type: 'Secretable', doc: 'The user name (without ":").', required: true },
      password: { type: 'Secretable', doc: 'The password.', required: true },
    },
  },
  {
    kind: 'interface',
    name: 'BearerAuth',
    doc: 'A bearer token (RFC 6750): `Authorization: Bearer <token>`.',
    fields: {
      type: { type: "'bearer'", doc: 'The kind of credentials.', required: true },
      token: { type: 'Secretable', doc: 'The token.', required: true },
    },
  },
  {
    kind: 'interface',
    name: 'ApiKeyAuth',
    doc: 'An API key sent in a header or a query parameter.',
    fields: {
      type: { type: "'api_key'", doc: 'The kind of credentials.', required: true },
      name: { type: 'string', doc: 'The header or query parameter name, such as `X-API-Key` or `api_key`.', required: true },
      value: { type: 'Secretable', doc: 'The key.', required: true },
      in: { type: "'header' | 'query'", doc: 'Where the key goes.', default: 'header' },
      scheme: { type: 'string', doc: 'A prefix before the key in the header (Prismatic\'s "authentication scheme"), such as `Token` or `Bearer`.' },
    },
  },
  {
    kind: 'alias',
    name: 'RestAuth',
    doc: 'The `auth` input: credentials the task turns into a header or a query parameter, masked everywhere.',
    type: 'BasicAuth | BearerAuth | ApiKeyAuth',
  },
  {
    kind: 'interface',
    name: 'RestInputs',
    doc: "Inputs of `this.task('REST', inputs)` (Cloudomation's TaskREST, and more). Either `url` or `hostname` is required.",
    fields: REST_INPUTS,
  },
  {
    kind: 'interface',
    name: 'RestAttempt',
    doc: 'One try of a REST task, as recorded in the `attempts` output.',
    fields: {
      attempt: { type: 'number', doc: '1 for the first try.', required: true },
      started_at: { type: 'string', doc: 'ISO 8601 time the try started.', required: true },
      duration: { type: 'number', doc: 'Seconds the try took (redirects included).', required: true },
      status_code: { type: 'number', doc: 'The final status of the try, when a response came.' },
      error: { type: 'string', doc: 'What went wrong, when no response came.' },
      code: { type: 'string', doc: "The error's code (`ECONNREFUSED`, `ERR_READ_TIMEOUT`, ...)." },
      retry_in: { type: 'number', doc: 'The seconds waited before the next try, if there was one.' },
    },
  },
  {
    kind: 'interface',
    name: 'RestSentRequest',
    doc: 'The request as the final try sent it (the `request` output), secrets masked in the record.',
    fields: {
      method: { type: 'string', doc: 'The method.', required: true },
      url: { type: 'string', doc: 'The URL.', required: true },
      headers: {
        type: 'Record<string, string>',
        doc: "Headers exactly as written on the wire, names spelled as sent (Node's `Host`, `Connection` and `Content-Length` included).",
        required: true,
      },
      body: { type: 'string', doc: 'The body as text (up to 64 KiB), or a description of a streamed body. Absent without a body.' },
    },
  },
  { kind: 'interface', name: 'RestOutputs', doc: "Outputs of a REST task (`task.get('output_value')`).", fields: REST_OUTPUTS },
];

/** Every input name, for validation and "did you mean" hints. */
export const REST_INPUT_NAMES = Object.keys(REST_INPUTS).filter((name) => name !== 'init');
