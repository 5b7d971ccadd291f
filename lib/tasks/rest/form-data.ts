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

/** The part of the Blob interface a part needs: size, type, an optional name, and a stream of its bytes. */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
  readonly name?: string;
  stream(): unknown;
}

/** Whether a value is a FormData (by its tag and `entries`, across libraries). */
export function isFormData(value: unknown): value is FormDataLike {
  return (
    typeof value === 'object' && value !== null && typeof (value as FormDataLike).entries === 'function' &&
    (value as FormDataLike)[Symbol.toStringTag] === 'FormData'
  );
}
