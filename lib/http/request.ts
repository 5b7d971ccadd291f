import type http from 'node:http';
import { openExchange } from './exchange.js';
import { bufferBody } from './request-body.js';

/** A response read whole, as text. */
export interface TextResponse {
  status: number;
  statusText: string;
  /** Header values by lower-case name. */
  headers: Record<string, string[]>;
  text: string;
}

/**
 * One request whose answer is read whole as text, through the same exchange as the REST task
 * (its agents, proxies, SSRF guard and timeouts): what the OAuth token requests use. Redirects
 * are not followed (a token endpoint that redirects is misconfigured).
 */
export async function requestText(options: {
  url: URL;
  method: string;
  headers: [string, string][];
  body?: Buffer;
  agent: http.Agent;
  signal: AbortSignal;
  /** The most bytes read; more is an error. Default 1 MiB. */
  maxBytes?: number;
}): Promise<TextResponse> {
  const open = await openExchange(
    { method: options.method, url: options.url, headers: options.headers, body: options.body ? bufferBody(options.body) : undefined },
    { agent: options.agent, readTimeoutMs: null, signal: options.signal },
  );
  const { body } = await open.buffer(options.maxBytes ?? 1024 * 1024);
  return { status: open.status, statusText: open.statusText, headers: open.headers, text: body.toString('utf8') };
}
