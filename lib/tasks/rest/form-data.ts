import type { BlobLike } from '../../http/request-body.js';
import type { EncodedPart } from './parts.js';

export type { BlobLike } from '../../http/request-body.js';

/**
 * What the `multipart` input accepts as a FormData: any spec-compliant one (Node's global
 * `FormData`, formdata-node's, undici's), recognised by shape, since each library has its own class.
 */
export interface FormDataLike {
  entries(): IterableIterator<[string, FormDataEntryValueLike]>;
  readonly [Symbol.toStringTag]: string;
}

/** A FormData entry: a string, or a Blob/File (from `fs.openAsBlob`, formdata-node's `fileFromPath`, ...). */
export type FormDataEntryValueLike = string | BlobLike;

/** Whether a value is a FormData (by its tag and `entries`, across libraries). */
export function isFormData(value: unknown): value is FormDataLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FormDataLike).entries === 'function' &&
    (value as FormDataLike)[Symbol.toStringTag] === 'FormData'
  );
}

/** Whether a FormData entry's value is a Blob or File (by shape: each library has its own class). */
function isBlobLike(value: unknown): value is BlobLike {
  return typeof value === 'object' && value !== null && typeof (value as BlobLike).stream === 'function' && typeof (value as BlobLike).size === 'number';
}

/**
 * A FormData as a `multipart/form-data` body (RFC 7578, as browsers send it): each field's
 * `Content-Disposition`, and a `Content-Type` for files (their type, else
 * `application/octet-stream`). Files are streamed from their Blob, never read into memory.
 */
export function formDataParts(form: FormDataLike, fail: (message: string, value: unknown) => never): EncodedPart[] {
  const parts: EncodedPart[] = [];
  let index = 0;
  for (const [name, value] of form.entries()) {
    index++;
    if (typeof value === 'string') {
      parts.push({ headers: [`Content-Disposition: form-data; name="${escapeQuoted(name)}"`], content: Buffer.from(value, 'utf8') });
    } else if (isBlobLike(value)) {
      const filename = typeof value.name === 'string' && value.name !== '' ? value.name : 'blob';
      parts.push({
        headers: [
          `Content-Disposition: form-data; name="${escapeQuoted(name)}"; filename="${escapeQuoted(filename)}"`,
          `Content-Type: ${value.type || 'application/octet-stream'}`,
        ],
        content: value,
      });
    } else {
      fail(`a FormData whose entries are strings or Blobs/Files (entry ${index}, "${name}", is neither)`, value);
    }
  }
  return parts;
}

/** What the record keeps of a FormData body: each part's name and text, or its file's name, type and size; never a file's bytes. */
export function describeFormData(form: FormDataLike): { form_data: Record<string, unknown>[] } {
  return {
    form_data: [...form.entries()].map(([name, value]) =>
      typeof value === 'string' ? { name, value } : { name, filename: value.name ?? 'blob', type: value.type || 'application/octet-stream', size: value.size },
    ),
  };
}

/** WHATWG form-data encoding of names: `"` and line breaks are percent-encoded. */
export function escapeQuoted(text: string): string {
  return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
