import { TaskError, type FlowApiError, type FlowApiErrorOptions } from '../../model/errors.js';

/** A REST task's request failed or its response was not accepted. */
export class RestError extends TaskError {
  override name = 'RestError';
  override readonly code: string = 'ERR_REST';
}

/** The final response's status is not in `expected_status_code`. */
export class UnexpectedStatusError extends RestError {
  override name = 'UnexpectedStatusError';
  override readonly code = 'ERR_UNEXPECTED_STATUS';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** `connect_timeout`, `read_timeout` or `total_timeout` fired. */
export class RestTimeoutError extends RestError {
  override name = 'RestTimeoutError';
  override readonly code = 'ERR_TIMEOUT';
  constructor(
    message: string,
    /** Which input fired. */
    readonly timeout: 'connect_timeout' | 'read_timeout' | 'total_timeout',
    /** Its value in seconds. */
    readonly seconds: number,
    options?: FlowApiErrorOptions,
  ) {
    super(message, options);
  }
}

/** More redirects than `max_redirects`. */
export class TooManyRedirectsError extends RestError {
  override name = 'TooManyRedirectsError';
  override readonly code = 'ERR_TOO_MANY_REDIRECTS';
}

/** The server's TLS certificate was not accepted. */
export class TlsError extends RestError {
  override name = 'TlsError';
  override readonly code = 'ERR_TLS';
}

/** The request could not be completed: refused, reset, DNS failure, body cut short. */
export class RequestFailedError extends RestError {
  override name = 'RequestFailedError';
  override readonly code = 'ERR_REQUEST_FAILED';
}

/** Where an attempt failed, which decides whether it may be retried. */
export type FailureKind =
  /** No connection was made: safe to retry any method. */
  | 'no_connection'
  /** The request may have reached the server: retry only idempotent methods. */
  | 'after_send'
  /** Retrying cannot help (TLS, too many redirects, a body we cannot replay). */
  | 'fatal';

/** The failure of one attempt, already explained. */
export interface AttemptFailure {
  kind: FailureKind;
  /** e.g. `ECONNREFUSED`, `ERR_READ_TIMEOUT`. */
  code: string;
  /** Human explanation, without the method and URL (the task adds them). */
  reason: string;
  /** What the task fails with: a `RestError`, or another of ours that explains itself (a `GrantError`). */
  error: FlowApiError;
}

/** Error codes meaning the TCP connection never came up (nothing was sent). */
export const NO_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ERR_CONNECT_TIMEOUT',
]);

/** OpenSSL verification codes (and Node's host-name check): the certificate was refused. */
export const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
]);

const CODE_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing is listening at',
  ENOTFOUND: 'host not found (DNS lookup failed) for',
  EAI_AGAIN: 'DNS lookup failed temporarily for',
  EHOSTUNREACH: 'host unreachable:',
  ENETUNREACH: 'network unreachable for',
  ECONNRESET: 'the connection was reset by the server',
  EPIPE: 'the connection was closed by the server while the request was being sent',
  ERR_STREAM_PREMATURE_CLOSE: 'the connection closed before the whole response arrived',
};

export function describeCode(code: string, hostPort: string): string {
  const reason = CODE_REASONS[code];
  if (!reason) return code;
  return reason.endsWith(':') || reason.endsWith('at') || reason.endsWith('for') ? `${reason} ${hostPort} (${code})` : `${reason} (${code})`;
}
