/**
 * The declarations of the generated types (`lib/tasks/rest/types/*.ts`, written by `npm run gen`),
 * file by file and in order: the values inputs take, the inputs, the outputs.
 */
import type { FieldSpec } from '../../../core/task-definition.js';
import { REST_DEFAULTS as D } from '../defaults.js';
import { REST_INPUTS } from './inputs.js';
import { REST_OUTPUTS } from './outputs.js';

/** A declaration of a generated types file: an interface of fields, or a type alias. */
export type TypeSpec =
  { kind: 'interface'; name: string; doc: string; fields: Record<string, FieldSpec> } | { kind: 'alias'; name: string; doc: string; type: string };

/** The values inputs take: methods, files, secrets, backoff, multipart parts, auth. */
const VALUES: TypeSpec[] = [
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
];

const INPUTS: TypeSpec[] = [
  {
    kind: 'interface',
    name: 'RestInputs',
    doc: "Inputs of `this.task('REST', inputs)` (Cloudomation's TaskREST, and more). Either `url` or `hostname` is required.",
    fields: REST_INPUTS,
  },
];

const OUTPUTS: TypeSpec[] = [
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

/** Every generated file (under lib/tasks/rest/types/) and its declarations, in order. */
export const REST_TYPE_FILES: Readonly<Record<'values' | 'inputs' | 'outputs', TypeSpec[]>> = { values: VALUES, inputs: INPUTS, outputs: OUTPUTS };
