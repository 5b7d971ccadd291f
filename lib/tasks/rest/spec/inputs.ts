/**
 * The REST task's inputs as data: names, TypeScript types, meanings and defaults, the names a
 * porter reaches for instead ("did you mean"), and the list the input check accepts.
 */
import type { FieldSpec } from '../../../core/task-definition.js';
import { REST_DEFAULTS } from '../defaults.js';

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
  idempotency_key: {
    type: 'string | true',
    doc: "Sends an `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header), so a server can tell a repeated request from a new one: a string as it is, or `true` for a key made from the run's id and the task's seq, the same when the run is resumed. A POST or PATCH that was in flight when its run stopped is sent again on `flow resume` only if it carries a key (else `AmbiguousOutcomeError`).",
  },
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

/** Every input name, for validation and "did you mean" hints. */
export const REST_INPUT_NAMES = Object.keys(REST_INPUTS).filter((name) => name !== 'init');
