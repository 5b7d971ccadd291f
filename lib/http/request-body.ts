import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { isFlowFile, type FlowFile } from '../core/files/flow-file.js';

/** The part of the Blob interface a part needs: size, type, an optional name, and a stream of its bytes. */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
  readonly name?: string;
  stream(): unknown;
}

/**
 * A request body that can be sent more than once (a retry, a 307/308 redirect): `open()` gives a
 * fresh copy each time. Files are streamed from disk, never read into memory.
 */
export interface RequestBody {
  /** Total bytes, measured when called (files are stat'ed then). */
  length(): number;
  open(): Buffer | Readable;
  /** The bytes, when the body is held in memory (not a file or a streamed multipart). */
  inMemory(): Buffer | undefined;
}

export function bufferBody(content: Buffer): RequestBody {
  return { length: () => content.length, open: () => content, inMemory: () => content };
}

/** A piece of a body: bytes in memory, a file of the files folder, or a Blob (a FormData file). */
export type BodySegment = Buffer | FlowFile | BlobLike;

/** Buffers, files and Blobs, one after the other (a multipart body, a single file). */
export function segmentedBody(segments: BodySegment[]): RequestBody {
  return {
    length: () => segments.reduce((sum, s) => sum + (Buffer.isBuffer(s) ? s.length : isFlowFile(s) ? statSync(s.path).size : s.size), 0),
    inMemory: () => (segments.length === 1 && Buffer.isBuffer(segments[0]) ? segments[0] : undefined),
    open: () => {
      if (segments.length === 1 && Buffer.isBuffer(segments[0])) return segments[0];
      return Readable.from(
        (async function* () {
          for (const segment of segments) {
            if (Buffer.isBuffer(segment)) yield segment;
            else if (isFlowFile(segment)) yield* createReadStream(segment.path);
            // A Blob's stream is a web ReadableStream, async iterable in Node 20; a file-backed one reads as it goes.
            else for await (const chunk of segment.stream() as AsyncIterable<Uint8Array>) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          }
        })(),
        { objectMode: false },
      );
    },
  };
}
