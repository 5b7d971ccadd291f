import type * as MimeTypes from 'mime-types';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { FilesFolder } from '../../core/files/folder.js';
import { fileInput } from '../file-input.js';
import { isPlainObject } from '../../util/describe.js';
import type { InputReader } from '../input-reader.js';
import type { RequestBody } from '../../http/request-body.js';
import { assemble, type EncodedPart } from './parts.js';
import { escapeQuoted, formDataParts, isFormData } from './form-data.js';
import { lazyModule } from '../../util/lazy.js';

const mimeTypes = lazyModule<typeof MimeTypes>('mime-types');

const PART_KEYS = ['name', 'value', 'file', 'filename', 'content-type', 'content-disposition', 'content-length'] as const;

/** The body's default media type: the one Cloudomation's TaskREST documents (its requests are `multipart/mixed`). */
const DEFAULT_MULTIPART_TYPE = 'multipart/mixed';
/** The part type of values and of files whose type is text or unknown, as the TaskREST page shows it. */
const TEXT_PART = 'text/plain; charset=utf-8';
/** A media type: type "/" subtype, RFC 9110 §8.3.1 tokens. */
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Encodes Cloudomation's `multipart` input, byte for byte as the TaskREST page documents it:
 * `Content-Type: multipart/mixed; boundary=…` by default (any media type may replace it), and in
 * every part, in this order, `Content-Type` (`text/plain; charset=utf-8` for values and for
 * files of text or unknown type, else the file's type), `Content-Disposition: form-data;
 * name="…"[; filename="…"]` and `Content-Length`. Each part header can be replaced, or left
 * out with `false`. With `multipart/form-data` the parts are browser style instead (RFC 7578:
 * disposition first, a type for files only, no part length), for servers that expect form uploads.
 * Written here rather than through a FormData encoder, which cannot produce these headers or a
 * chosen boundary (../shared/STACK.md §5). File parts are streamed from disk.
 */
export function encodeMultipart(input: InputReader, files: FilesFolder): { body: RequestBody; contentType: string } {
  const given = input.raw.multipart;
  if (isFormData(given)) {
    // A FormData (Node's, formdata-node's, ...): sent as browsers send it.
    const boundary = randomBytes(16).toString('hex');
    const parts = formDataParts(given, (expected, value) => input.fail('multipart', expected, value));
    return { body: assemble(parts, boundary), contentType: `multipart/form-data; boundary=${boundary}` };
  }
  const spec = input.object('multipart')!;
  for (const key of Object.keys(spec)) {
    if (!['parts', 'boundary', 'content-type'].includes(key)) {
      input.fail('multipart', `an object with "parts" and optional "boundary" and "content-type" (unknown key "${key}")`, spec);
    }
  }
  const parts = spec.parts;
  if (!Array.isArray(parts)) input.fail('multipart', 'an object whose "parts" is a list', spec);
  const boundary = spec.boundary ?? randomBytes(16).toString('hex');
  // RFC 2046 §5.1.1: 1–70 characters from a restricted set, not ending in a space.
  if (typeof boundary !== 'string' || !/^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary)) {
    input.fail('multipart', 'an object whose "boundary" has 1-70 letters, digits or \'()+_,-./:=? and does not end in a space', spec.boundary);
  }
  const mediaType = spec['content-type'] ?? DEFAULT_MULTIPART_TYPE;
  if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType.trim())) {
    input.fail(
      'multipart',
      'an object whose "content-type" is a media type such as "multipart/mixed" or "multipart/form-data" (the boundary is appended)',
      mediaType,
    );
  }
  const formStyle = mediaType.trim().toLowerCase() === 'multipart/form-data';
  const encoded = parts.map((part: unknown, index: number) => readPart(input, files, part, index, formStyle));
  return {
    body: assemble(encoded, boundary, (content) => input.fail('multipart', 'part contents that do not contain the boundary', content)),
    contentType: `${mediaType.trim()}; boundary=${boundary}`,
  };
}

function readPart(input: InputReader, files: FilesFolder, part: unknown, index: number, formStyle: boolean): EncodedPart {
  const where = ` (multipart part ${index + 1})`;
  if (!isPlainObject(part)) return input.fail('multipart', `a list of parts, each an object${where}`, part);
  for (const key of Object.keys(part)) {
    if (!(PART_KEYS as readonly string[]).includes(key))
      input.fail('multipart', `parts with the keys ${PART_KEYS.join(', ')}${where}; unknown key "${key}"`, part);
  }
  const { name, value, filename } = part;
  if (typeof name !== 'string' || name === '') input.fail('multipart', `parts with a non-empty string "name"${where}`, part);
  if ((value === undefined) === (part.file === undefined)) input.fail('multipart', `parts with either "value" (text) or "file"${where}`, part);
  if (value !== undefined && typeof value !== 'string') input.fail('multipart', `parts whose "value" is a string${where}`, value);
  if (filename !== undefined && typeof filename !== 'string') input.fail('multipart', `parts whose "filename" is a string${where}`, filename);
  const file = part.file === undefined ? undefined : fileInput(input, 'multipart', part.file, files, where);
  const content = file ?? Buffer.from(value as string, 'utf8');
  const sentName = (filename as string | undefined) ?? (file ? basename(file.name) : undefined);
  const header = (key: 'content-type' | 'content-disposition' | 'content-length', fallback: string | undefined): string | undefined => {
    const given = part[key];
    if (given === false) return undefined;
    if (given === undefined || given === true) return fallback;
    if (key === 'content-length') {
      if (typeof given !== 'number' || !Number.isSafeInteger(given) || given < 0)
        input.fail('multipart', `parts whose "content-length" is true, false or a whole number${where}`, given);
      return String(given);
    }
    if (typeof given !== 'string' || /[\r\n]/.test(given)) input.fail('multipart', `part headers that are single-line strings${where}`, given);
    return given;
  };
  const disposition = header(
    'content-disposition',
    `form-data; name="${escapeQuoted(name as string)}"${sentName === undefined ? '' : `; filename="${escapeQuoted(sentName)}"`}`,
  );
  const length = () => String(file ? statSync(file.path).size : (content as Buffer).length);
  const headers = formStyle
    ? [
        ['Content-Disposition', disposition],
        ['Content-Type', header('content-type', file ? mimeTypes().lookup(sentName ?? file.name) || 'application/octet-stream' : undefined)],
        ['Content-Length', part['content-length'] === undefined || part['content-length'] === false ? undefined : header('content-length', length())],
      ]
    : [
        ['Content-Type', header('content-type', file ? partType(sentName ?? file.name) : TEXT_PART)],
        ['Content-Disposition', disposition],
        ['Content-Length', header('content-length', length())],
      ];
  return { headers: headers.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`), content };
}

/** A file part's type from its name: text (and unknown) types as `text/plain; charset=utf-8`-style text, others as they are. */
function partType(name: string): string {
  const type = mimeTypes().lookup(name);
  if (!type) return TEXT_PART;
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type;
}
