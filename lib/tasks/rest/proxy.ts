import type { Redactor } from '../../core/redact/redactor.js';
import type { InputReader } from '../input-reader.js';

import type { ProxySetting } from '../../http/proxy.js';

export type { ProxySetting } from '../../http/proxy.js';

const PROXY_PROTOCOLS = ['http:', 'https:', 'socks:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:'];

export function readProxy(input: InputReader, redactor: Redactor): ProxySetting {
  const value = input.raw.proxy;
  if (value === undefined || value === null) return { kind: 'env' };
  if (value === false || value === '') return { kind: 'none' };
  const expected = 'a proxy URL (http://, https:// or socks5://, optionally with user:password@), or false for a direct connection';
  if (typeof value !== 'string') return input.fail('proxy', expected);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Never echo the value: it may carry credentials.
    return input.fail('proxy', expected, redactor.maskUrl(value));
  }
  // The proxy agent sends these as `Proxy-Authorization: Basic base64(user:password)`.
  if (url.password) redactor.addUserPassword(safeDecode(url.username), safeDecode(url.password));
  if (!PROXY_PROTOCOLS.includes(url.protocol) || !url.hostname) input.fail('proxy', expected, redactor.maskUrl(value));
  return { kind: 'url', url: url.href };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
