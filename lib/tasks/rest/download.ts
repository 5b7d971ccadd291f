import type * as MimeTypes from 'mime-types';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { link, rename, rm } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import contentDisposition from 'content-disposition';
import { FlowFile } from '../../core/files/flow-file.js';
import type { FilesFolder } from '../../core/files/folder.js';
import { RestError } from './errors.js';
import { BODY_BUFFER_BYTES, type OpenResponse } from '../../http/exchange.js';
import { lazyModule } from '../../util/lazy.js';

const mimeTypes = lazyModule<typeof MimeTypes>('mime-types');

/**
 * Stream a response body into the files folder without holding it in memory. It is written to a
 * temporary name and renamed only when complete, so a download that fails midway (reset,
 * truncated, timed out) leaves no file behind.
 */
export async function downloadToFile(response: OpenResponse, files: FilesFolder, name: string, limit: number, overwrite: boolean): Promise<FlowFile> {
  const path = files.resolve(name, 'download file name');
  files.ensureFor(path);
  const partial = `${path}.part-${randomBytes(4).toString('hex')}`;
  const out = createWriteStream(partial, { highWaterMark: BODY_BUFFER_BYTES });
  // Hashed as the bytes pass (about 0.6 s of CPU per GiB); a worker thread was tried and cost
  // more memory than the 30 MiB budget for the throughput it gained (see bench/download.ts).
  const hash = createHash('sha256');
  try {
    const { bytes } = await response.pipeTo(out, { limit, observe: (chunk) => hash.update(chunk) });
    const sha256 = hash.digest('hex');
    if (overwrite) {
      await rename(partial, path);
    } else {
      // link() fails if the name exists, where rename() would replace it: no file is overwritten
      // unless the input says so, even one that appeared while the body arrived.
      try {
        await link(partial, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        throw new RestError(
          `the download would replace "${name}", which is already in the files folder; set "overwrite": true to replace it, or choose another name with "dst"`,
        );
      }
      await rm(partial, { force: true });
    }
    return new FlowFile({ name, path, size: bytes, sha256, content_type: mediaType(response) ?? undefined });
  } catch (error) {
    // The file is opened asynchronously: a body refused before the open completes would have it
    // created after the rm. Wait for the stream to close (open, then closed), then remove it.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()).destroy());
    await rm(partial, { force: true });
    throw error;
  }
}

function mediaType(response: OpenResponse): string | undefined {
  return response.headers['content-type']?.[0]?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/**
 * A file name for a download without `dst`: the response's `Content-Disposition` filename
 * (RFC 6266, `filename*` preferred), else the last segment of the URL path, sanitised to a plain
 * base name; an extension for the content type is added when the name has none.
 */
export function downloadName(response: OpenResponse): string {
  let name: string | undefined;
  const disposition = response.headers['content-disposition']?.[0];
  if (disposition) {
    try {
      name = contentDisposition.parse(disposition).parameters.filename;
    } catch {
      // malformed header: fall back to the URL
    }
  }
  if (!name) {
    const segment = response.url.pathname.split('/').filter(Boolean).pop();
    if (segment) {
      try {
        name = decodeURIComponent(segment);
      } catch {
        name = segment;
      }
    }
  }
  let safe = sanitize(name ?? '') || 'download';
  const type = mediaType(response);
  if (!extname(safe) && type) {
    const extension = mimeTypes().extension(type);
    if (extension && extension !== 'bin') safe = `${safe}.${extension}`;
  }
  return safe;
}

/** A base name safe on every common file system: no path, no control or reserved characters, no leading dots. */
function sanitize(name: string): string {
  return basename(name.replaceAll('\\', '/'))
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 200);
}

/**
 * On resume: a recorded download is handed back only if its file is still where it was saved,
 * with the SHA-256 recorded; otherwise the task runs again. Outputs without a file: true.
 */
export function downloadStillThere(outputs: Record<string, unknown>): boolean {
  const file = outputs.file as { path?: unknown; sha256?: unknown } | undefined;
  if (!file || typeof file.path !== 'string' || typeof file.sha256 !== 'string') return true;
  try {
    return createHash('sha256').update(readFileSync(file.path)).digest('hex') === file.sha256;
  } catch {
    return false;
  }
}
