/** The REST task's outputs as data: names, TypeScript types and meanings. */
import type { FieldSpec } from '../../../core/task-definition.js';

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
