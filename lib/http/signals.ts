/** How an exchange says what went wrong with a response body: the classifier turns these into messages. */

/** Raised when `read_timeout` fires; recognised by the attempt classifier. */
export class ReadTimeoutSignal extends Error {
  override name = 'ReadTimeoutSignal';
  constructor(
    readonly phase: 'headers' | 'body',
    readonly received: number,
  ) {
    super(`no data received while waiting for the response ${phase}`);
  }
}

/** Raised when a body exceeds the size limit. */
export class BodyTooLargeSignal extends Error {
  override name = 'BodyTooLargeSignal';
  constructor(
    readonly limit: number,
    readonly declared?: number,
  ) {
    super(`response body larger than ${limit} bytes`);
  }
}

/** Raised when the body ends early: before its `Content-Length`, or a chunked body cut off. */
export class TruncatedBodySignal extends Error {
  override name = 'TruncatedBodySignal';
  constructor(
    readonly received: number,
    readonly expected: number | undefined,
    readonly code?: string,
  ) {
    super(`the response body ended after ${received}${expected === undefined ? '' : ` of ${expected}`} bytes`);
  }
}

/** Errors the body stream raises when the peer closes it before the end. */
export const CUT_CODES = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'EPIPE', 'HPE_INVALID_CHUNK_SIZE', 'HPE_INVALID_EOF_STATE']);
