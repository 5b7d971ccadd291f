import { segmentedBody, type BodySegment, type RequestBody } from '../../http/request-body.js';

/** One part of a multipart body, ready to encode: its headers in the order they are sent, and its content. */
export interface EncodedPart {
  headers: string[];
  content: BodySegment;
}

/** The body: `--boundary CRLF headers CRLF CRLF content CRLF` per part, then `--boundary-- CRLF`. */
export function assemble(parts: EncodedPart[], boundary: string, onBoundaryInContent?: (part: number) => never): RequestBody {
  const segments: BodySegment[] = [];
  parts.forEach(({ headers, content }, index) => {
    if (Buffer.isBuffer(content) && content.includes(`--${boundary}`)) onBoundaryInContent?.(index + 1);
    segments.push(Buffer.from(`--${boundary}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`), content, Buffer.from('\r\n'));
  });
  segments.push(Buffer.from(`--${boundary}--\r\n`));
  return segmentedBody(segments);
}
