import type { FilesFolder } from '../../core/files/folder.js';
import { fileInput } from '../file-input.js';
import { InvalidInputError } from '../../model/errors.js';
import { isPlainObject } from '../../util/describe.js';
import type { InputReader } from '../input-reader.js';
import { BODY_METHODS, type Method, type ParamValue } from './inputs.js';
import { encodeMultipart } from './multipart.js';
import { bufferBody, segmentedBody, type RequestBody } from '../../http/request-body.js';

/** A request body, ready to send (again, for a retry or a 307/308 redirect). */
export interface EncodedBody {
  body: RequestBody;
  /** The `Content-Type` this body needs, used unless the user set one. */
  contentType: string;
  /** Which input it came from, for messages. */
  input: BodyInput;
}

const BODY_INPUTS = ['json', 'data', 'text', 'urlencoded', 'multipart', 'file'] as const;
type BodyInput = (typeof BODY_INPUTS)[number];

/** Pick and encode the one body input, enforcing Cloudomation's rules. */
export function encodeBody(input: InputReader, method: Method, deprecations: string[], files: FilesFolder): EncodedBody | undefined {
  // `null` means "no body", as Python's None does for requests' json=None.
  const given = BODY_INPUTS.filter((name) => input.raw[name] !== undefined && input.raw[name] !== null);
  if (given.length === 0) return undefined;
  if (given.length > 1) {
    throw new InvalidInputError(
      `${input.task} inputs ${given.map((g) => `"${g}"`).join(' and ')} cannot be used together: a request has one body; use only one of json, text, urlencoded, multipart, file`,
      given[1],
    );
  }
  const name = given[0]!;
  if (!BODY_METHODS.has(method)) {
    throw new InvalidInputError(`${input.task} input "${name}" needs method post, put, patch or delete; a ${method} request has no body`, name);
  }
  switch (name) {
    case 'data':
      deprecations.push(`${input.task} input "data" is deprecated: use "json", which means the same`);
      return json(input.raw.data, 'data');
    case 'json':
      return json(input.raw.json, 'json');
    case 'text': {
      const text = input.string('text')!;
      return { body: bufferBody(Buffer.from(text, 'utf8')), contentType: 'text/plain; charset=utf-8', input: 'text' };
    }
    case 'urlencoded':
      return { body: bufferBody(Buffer.from(urlencode(input), 'utf8')), contentType: 'application/x-www-form-urlencoded', input: 'urlencoded' };
    case 'multipart':
      return { ...encodeMultipart(input, files), input: 'multipart' };
    case 'file': {
      const file = fileInput(input, 'file', input.raw.file, files);
      return { body: segmentedBody([file]), contentType: file.content_type, input: 'file' };
    }
  }

  function json(value: unknown, from: BodyInput): EncodedBody {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      input.fail(from, `a value JSON can encode (${(error as Error).message})`, '(not serialisable)');
    }
    if (text === undefined) input.fail(from, 'a value JSON can encode');
    return { body: bufferBody(Buffer.from(text, 'utf8')), contentType: 'application/json', input: from };
  }
}

function urlencode(input: InputReader): string {
  const value = input.raw.urlencoded;
  if (typeof value === 'string') return value;
  if (!isPlainObject(value)) return input.fail('urlencoded', 'an object of fields or an encoded string');
  const form = new URLSearchParams();
  for (const [key, field] of Object.entries(value as Record<string, ParamValue>)) {
    const items = field === null || field === undefined ? [] : Array.isArray(field) ? field : [field];
    for (const item of items) {
      if (!['string', 'number', 'boolean'].includes(typeof item)) {
        input.fail('urlencoded', `an object of strings, numbers, booleans or lists of them (field "${key}")`, field);
      }
      form.append(key, String(item));
    }
  }
  return form.toString();
}
