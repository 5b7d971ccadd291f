import type * as MimeTypes from 'mime-types';
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { lazyModule } from '../../util/lazy.js';

const mimeTypes = lazyModule<typeof MimeTypes>('mime-types');

const FLOW_FILE = Symbol.for('flow_api.FlowFile');

/** What a record stores for a file. */
export interface FlowFileInfo {
  name: string;
  path: string;
  /** Bytes, when known. */
  size?: number;
  /** Hex SHA-256 of the content, when known. */
  sha256?: string;
  content_type?: string;
}

/**
 * A file in a flow's files folder (Cloudomation's file records): returned by `system.file(name)`
 * and by a REST download (`output_value.file`), and accepted wherever a task takes a file.
 */
export class FlowFile {
  readonly [FLOW_FILE] = true;
  /** The name inside the files folder (may contain sub-folders). */
  readonly name: string;
  /** Absolute path on disk. */
  readonly path: string;
  /** Size in bytes, when known (set after a download or `stat()`). */
  size: number | undefined;
  /** Hex SHA-256, when known (set after a download). */
  sha256: string | undefined;
  /** Media type: from the download's `Content-Type`, else guessed from the extension. */
  content_type: string;

  /** @internal Use `system.file(name)`. */
  constructor(info: FlowFileInfo) {
    this.name = info.name;
    this.path = info.path;
    this.size = info.size;
    this.sha256 = info.sha256;
    this.content_type = info.content_type ?? guessContentType(info.name);
  }

  async exists(): Promise<boolean> {
    return stat(this.path).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** The content as text (UTF-8 unless told otherwise). */
  async get_text_content(encoding: BufferEncoding = 'utf8'): Promise<string> {
    return readFile(this.path, encoding);
  }

  /** The content as bytes. */
  async get_bytes_content(): Promise<Buffer> {
    return readFile(this.path);
  }

  /** A stream of the content, for large files. */
  create_read_stream(): ReadStream {
    return createReadStream(this.path);
  }

  /** Replace the content with text (UTF-8 unless told otherwise). */
  async save_text_content(text: string, encoding: BufferEncoding = 'utf8'): Promise<this> {
    return this.save_bytes_content(Buffer.from(String(text), encoding));
  }

  /** Replace the content with bytes. */
  async save_bytes_content(bytes: Uint8Array): Promise<this> {
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(this.path, bytes);
    this.size = bytes.byteLength;
    this.sha256 = createHash('sha256').update(bytes).digest('hex');
    return this;
  }

  /** Remove the file; returns whether it existed. */
  async delete(): Promise<boolean> {
    const existed = await this.exists();
    await rm(this.path, { force: true });
    return existed;
  }

  /** Refresh `size` from disk. */
  async stat(): Promise<this> {
    this.size = (await stat(this.path)).size;
    return this;
  }

  toJSON(): FlowFileInfo {
    return {
      name: this.name,
      path: this.path,
      ...(this.size === undefined ? {} : { size: this.size }),
      ...(this.sha256 === undefined ? {} : { sha256: this.sha256 }),
      content_type: this.content_type,
    };
  }

  toString(): string {
    return this.name;
  }
}

/** Brand check, safe across copies of the library. */
export function isFlowFile(value: unknown): value is FlowFile {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FLOW_FILE] === true;
}

/** A media type from a file name's extension; `application/octet-stream` when unknown. */
function guessContentType(name: string): string {
  return mimeTypes().lookup(basename(name)) || 'application/octet-stream';
}
