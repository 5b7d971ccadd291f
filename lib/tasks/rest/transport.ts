import fetch from 'node-fetch';
import type http from 'node:http';
import type { Method } from './inputs.js';

/** One HTTP request as sent on the wire (after URL, headers and body were worked out). */
export interface WireRequest {
  method: Method;
  url: URL;
  headers: [string, string][];
  body: Buffer | undefined;
}

/** A response with its whole body. */
export interface WireResponse {
  status: number;
  statusText: string;
  /** Header values by lower-case name, repeated headers as separate entries. */
  headers: Record<string, string[]>;
  body: Buffer;
  url: URL;
}

export interface ExchangeOptions {
  agent: http.Agent;
  /** Abort when no byte arrives for this long (headers or body); `null` for never. */
  readTimeoutMs: number | null;
  /** Cancellation and the total timeout. */
  signal: AbortSignal;
  /** Bodies larger than this are refused (kept in memory). */
  maxBodyBytes: number;
}

/** Raised when `read_timeout` fires; recognised by the attempt classifier. */
export class ReadTimeoutSignal extends Error {
  override name = 'ReadTimeoutSignal';
  constructor(readonly phase: 'headers' | 'body', readonly received: number) {
    super(`no data received while waiting for the response ${phase}`);
  }
}

/** Raised when the body exceeds the size limit. */
export class BodyTooLargeSignal extends Error {
  override name = 'BodyTooLargeSignal';
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
  }
}

/**
 * One request and its response (no redirects followed: the caller decides). The read timer is
 * restarted by every chunk, so a slow but steady download is not cut off.
 */
export async function exchange(request: WireRequest, options: ExchangeOptions): Promise<WireResponse> {
  const idle = new AbortController();
  let phase: 'headers' | 'body' = 'headers';
  let received = 0;
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    if (options.readTimeoutMs === null) return;
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(new ReadTimeoutSignal(phase, received)), options.readTimeoutMs);
  };
  const signal = options.readTimeoutMs === null ? options.signal : AbortSignal.any([options.signal, idle.signal]);
  touch();
  try {
    const response = await fetch(request.url.href, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      agent: options.agent,
      redirect: 'manual',
      signal,
    });
    phase = 'body';
    touch();
    const chunks: Buffer[] = [];
    if (response.body) {
      for await (const chunk of response.body) {
        const buffer = chunk as Buffer;
        received += buffer.length;
        if (received > options.maxBodyBytes) {
          idle.abort(new BodyTooLargeSignal(options.maxBodyBytes));
          throw new BodyTooLargeSignal(options.maxBodyBytes);
        }
        chunks.push(buffer);
        touch();
      }
    }
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers.raw(),
      body: Buffer.concat(chunks),
      url: request.url,
    };
  } catch (error) {
    // Report why we aborted, not node-fetch's generic AbortError.
    if (idle.signal.aborted) throw idle.signal.reason;
    if (options.signal.aborted) throw options.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
