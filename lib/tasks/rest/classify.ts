import http from 'node:http';
import { errorMessage } from '../../util/describe.js';
import { isFlowApiError } from '../../model/errors.js';
import { NO_CONNECTION_CODES, RequestFailedError, RestError, RestTimeoutError, TLS_CODES, TlsError, describeCode, type AttemptFailure } from './errors.js';
import { BodyTooLargeSignal, ReadTimeoutSignal, TruncatedBodySignal } from '../../http/signals.js';

/** Raised when `total_timeout` fires. */
export class TotalTimeoutSignal extends Error {
  override name = 'TotalTimeoutSignal';
  constructor(readonly ms: number) {
    super(`total_timeout of ${ms / 1000} s fired`);
  }
}

/** Why a failed attempt failed, and whether anything may have reached the server. */
export function classify(
  error: unknown,
  target: URL,
  request: { timeouts: { read: number | null; connect: number | null }; response: { type: string } },
): AttemptFailure {
  const hostPort = `${target.hostname}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`;
  if (error instanceof ReadTimeoutSignal) {
    const seconds = (request.timeouts.read ?? 0) / 1000;
    const reason = `read_timeout of ${seconds} s fired: no data received for ${seconds} s while waiting for the response ${error.phase}${error.phase === 'body' ? ` (${error.received} bytes received)` : ''}`;
    return { kind: 'after_send', code: 'ERR_READ_TIMEOUT', reason, error: new RestTimeoutError(reason, 'read_timeout', seconds) };
  }
  if (error instanceof TotalTimeoutSignal) {
    const reason = `total_timeout of ${error.ms / 1000} s fired`;
    return { kind: 'fatal', code: 'ERR_TOTAL_TIMEOUT', reason, error: new RestTimeoutError(reason, 'total_timeout', error.ms / 1000) };
  }
  if (error instanceof BodyTooLargeSignal) {
    const declared = error.declared === undefined ? '' : ` (Content-Length: ${error.declared})`;
    const hint =
      request.response.type === 'file'
        ? 'raise "max_content_length" or leave it out'
        : 'raise "max_content_length", or set "response_type": "file" to stream the body to a file';
    const reason = `the response body is larger than max_content_length = ${error.limit} bytes${declared}; ${hint}`;
    return { kind: 'fatal', code: 'ERR_BODY_TOO_LARGE', reason, error: new RestError(reason) };
  }
  if (error instanceof TruncatedBodySignal) {
    const reason =
      error.expected === undefined
        ? `the connection closed after ${error.received} bytes of the response body, before its end${error.code ? ` (${error.code})` : ''}`
        : `the connection closed after ${error.received} of the ${error.expected} bytes its Content-Length announced`;
    return { kind: 'after_send', code: 'ERR_TRUNCATED_BODY', reason, error: new RequestFailedError(reason) };
  }
  // Our own errors (a REST error, a grant that could not get a token) explain themselves.
  if (isFlowApiError(error)) return { kind: 'fatal', code: error.code, reason: error.message, error };
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    const detail = errorMessage(error);
    if (code === 'ERR_CONNECT_TIMEOUT') {
      const seconds = (request.timeouts.connect ?? 0) / 1000;
      const reason = `connect_timeout of ${seconds} s fired before a connection to ${hostPort} was made`;
      return { kind: 'no_connection', code, reason, error: new RestTimeoutError(reason, 'connect_timeout', seconds) };
    }
    if (TLS_CODES.has(code) || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      const reason = `the TLS certificate of ${hostPort} was not accepted: ${tlsDetail(detail)} (${code}); ${tlsHint(code)}`;
      return { kind: 'fatal', code, reason, error: new TlsError(reason, { cause: error }) };
    }
    // TLS protocol failures do not heal by waiting: fail at the first try, with what to change.
    if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
      const plain = /wrong version number|packet length too long|http request/i.exec(detail)?.[0];
      const reason = plain
        ? `the server at ${hostPort} answered in plain HTTP, not TLS (${code}: ${plain}); the default scheme is https: set "scheme": "http", or use an http:// URL`
        : `the TLS handshake with ${hostPort} failed: ${tlsDetail(detail)} (${code}); the server may not speak TLS on this port, or only protocol versions or ciphers Node refuses`;
      return { kind: 'fatal', code, reason, error: new TlsError(reason, { cause: error }) };
    }
    if (code === 'ENOTFOUND') {
      const reason = `host not found: DNS has no address for ${target.hostname} (ENOTFOUND); check the host name`;
      return { kind: 'fatal', code, reason, error: new RequestFailedError(reason, { cause: error }) };
    }
    if (code.startsWith('HPE_')) {
      // Node's HTTP parser refused the response: the same request would get the same answer.
      const reason =
        code === 'HPE_HEADER_OVERFLOW'
          ? `the response headers are larger than Node's limit of ${maxHeaderKiB()} KiB (HPE_HEADER_OVERFLOW; node --max-http-header-size raises it)`
          : `the server sent a response that is not valid HTTP: ${tlsDetail(detail)} (${code})`;
      return { kind: 'fatal', code, reason, error: new RequestFailedError(reason, { cause: error }) };
    }
    if (code === 'ERR_NETWORK_DENIED') {
      const reason = `${tlsDetail(detail)}; the request was not sent`;
      return { kind: 'fatal', code, reason, error: new RequestFailedError(reason, { cause: error }) };
    }
    if (isLocal(code)) {
      // Raised here, before the request went out (an argument Node refused, a file that could
      // not be read): retrying cannot help, and nothing reached the server.
      const reason = `${tlsDetail(detail)} (${code}); the request was not sent`;
      return { kind: 'fatal', code, reason, error: new RequestFailedError(reason, { cause: error }) };
    }
    if (NO_CONNECTION_CODES.has(code)) {
      const reason = describeCode(code, hostPort);
      return { kind: 'no_connection', code, reason, error: new RequestFailedError(reason, { cause: error }) };
    }
    const known = describeCode(code, hostPort);
    const reason = known === code ? `${detail} (${code})` : known;
    return { kind: 'after_send', code, reason, error: new RequestFailedError(reason, { cause: error }) };
  }
  const reason = errorMessage(error);
  return { kind: 'fatal', code: 'ERR_UNKNOWN', reason, error: new RestError(reason, { cause: error }) };
}

/** Node's own errors about arguments and state (`ERR_INVALID_CHAR`, ...), and local file errors. */
const LOCAL_FILE_CODES = new Set(['ENAMETOOLONG', 'ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EROFS', 'ENOSPC', 'EEXIST', 'ELOOP']);
const NETWORK_ERR_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'ERR_CONNECT_TIMEOUT']);

function isLocal(code: string): boolean {
  return (
    LOCAL_FILE_CODES.has(code) || (code.startsWith('ERR_') && !NETWORK_ERR_CODES.has(code) && !code.startsWith('ERR_SSL_') && !code.startsWith('ERR_TLS_'))
  );
}

/** What the user can do about a refused certificate depends on what is wrong with it. */
function tlsHint(code: string): string {
  const insecure = 'set "verify_ssl": false to skip verification (insecure)';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the certificate is for other host names: use a host name it lists, or ${insecure}`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return `the certificate is outside its validity period: the server must renew it, or ${insecure}`;
  return `to trust it, pass its CA certificate as "cacert" (PEM text), or ${insecure}`;
}

function maxHeaderKiB(): number {
  return Math.round(http.maxHeaderSize / 1024);
}

/** node-fetch prefixes system errors with "request to URL failed, reason:"; keep only the reason. */
function tlsDetail(message: string): string {
  const index = message.indexOf('reason: ');
  return index >= 0 ? message.slice(index + 'reason: '.length) : message;
}
