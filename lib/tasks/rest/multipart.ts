import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { FilesFolder } from '../../files/folder.js';
import { fileInput } from '../../files/input.js';
import type { FlowFile } from '../../files/flow-file.js';
import { isPlainObject } from '../../util/describe.js';
import type { InputReader } from '../check.js';
import { segmentedBody, type RequestBody } from './request-body.js';

const PART_KEYS = ['name', 'value', 'file', 'filename', 'content-type', 'content-disposition', 'content-length'] as const;

/**
 * Encodes Cloudomation's `multipart` input. Written here rather than through FormData because
 * Cloudomation's part options (custom boundary, part headers replaced or omitted with `false`,
 * per-part Content-Length) need control of every byte, which FormData encoders (formdata-node,
 * form-data-encoder) do not give (see ../shared/STACK.md §5). File parts are streamed.
 */
export function encodeMultipart(input: InputReader, files: FilesFolder): { body: RequestBody; contentType: string } {
  const spec = input.object('multipart')!;
  for (const key of Object.keys(spec)) {
    if (!['parts', 'boundary', 'content-type'].includes(key)) {
      input.fail('multipart', `an object with "parts" and optional "boundary" and "content-type" (unknown key "${key}")`, spec);
    }
  }
  const parts = spec.parts;
  if (!Array.isArray(parts)) input.fail('multipart', 'an object whose "parts" is a list', spec);
  const boundary = spec.boundary ?? `----flowapi${randomBytes(12).toString('hex')}`;
  // RFC 2046 §5.1.1: 1–70 characters from a restricted set, not ending in a space.
  if (typeof boundary !== 'string' || !/^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary)) {
    input.fail('multipart', 'an object whose "boundary" has 1-70 letters, digits or \'()+_,-./:=? and does not end in a space', spec.boundary);
  }
  const mediaType = spec['content-type'] ?? 'multipart/form-data';
  if (typeof mediaType !== 'string' || !/^multipart\/[\w.+-]+$/i.test(mediaType.trim())) {
    input.fail('multipart', 'an object whose "content-type" is a multipart media type such as "multipart/mixed"', mediaType);
  }
  const segments: (Buffer | FlowFile)[] = [];
  parts.forEach((part: unknown, index: number) => segments.push(...encodePart(input, files, part, index, boundary)));
  segments.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: segmentedBody(segments), contentType: `${mediaType.trim()}; boundary=${boundary}` };
}

function encodePart(input: InputReader, files: FilesFolder, part: unknown, index: number, boundary: string): (Buffer | FlowFile)[] {
  const where = ` (multipart part ${index + 1})`;
  if (!isPlainObject(part)) return input.fail('multipart', `a list of parts, each an object${where}`, part);
  for (const key of Object.keys(part)) {
    if (!(PART_KEYS as readonly string[]).includes(key)) input.fail('multipart', `parts with the keys ${PART_KEYS.join(', ')}${where}; unknown key "${key}"`, part);
  }
  const { name, value, filename } = part;
  if (typeof name !== 'string' || name === '') input.fail('multipart', `parts with a non-empty string "name"${where}`, part);
  if ((value === undefined) === (part.file === undefined)) input.fail('multipart', `parts with either "value" (text) or "file"${where}`, part);
  if (value !== undefined && typeof value !== 'string') input.fail('multipart', `parts whose "value" is a string${where}`, value);
  if (filename !== undefined && typeof filename !== 'string') input.fail('multipart', `parts whose "filename" is a string${where}`, filename);
  const file = part.file === undefined ? undefined : fileInput(input, 'multipart', part.file, files, where);
  const content = file ?? Buffer.from(value as string, 'utf8');
  const headers: string[] = [];
  const disposition = part['content-disposition'];
  if (disposition === undefined || disposition === true) {
    const sentName = filename ?? (file ? basename(file.name) : undefined);
    headers.push(`Content-Disposition: form-data; name="${escapeQuoted(name)}"${sentName === undefined ? '' : `; filename="${escapeQuoted(sentName)}"`}`);
  } else if (disposition !== false) {
    headers.push(`Content-Disposition: ${headerValue(input, disposition, where)}`);
  }
  // A file part gets the type its extension suggests unless told otherwise; a text part gets none.
  const type = part['content-type'] ?? file?.content_type;
  if (type !== undefined && type !== false) headers.push(`Content-Type: ${headerValue(input, type, where)}`);
  const length = part['content-length'];
  if (length === true) headers.push(`Content-Length: ${file ? statSync(file.path).size : (content as Buffer).length}`);
  else if (typeof length === 'number' && Number.isInteger(length) && length >= 0) headers.push(`Content-Length: ${length}`);
  else if (length !== undefined && length !== false) input.fail('multipart', `parts whose "content-length" is true, false or a whole number${where}`, length);
  if (Buffer.isBuffer(content) && content.includes(`--${boundary}`)) input.fail('multipart', `part contents that do not contain the boundary${where}`, boundary);
  return [Buffer.from(`--${boundary}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`), content, Buffer.from('\r\n')];
}

/** WHATWG form-data encoding of names: `"` and line breaks are percent-encoded. */
function escapeQuoted(text: string): string {
  return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function headerValue(input: InputReader, value: unknown, where: string): string {
  if (typeof value !== 'string' || /[\r\n]/.test(value)) input.fail('multipart', `part headers that are single-line strings${where}`, value);
  return value;
}
