import type { InputReader } from '../check.js';
import type { ParamValue } from './inputs.js';
import { REST_DEFAULTS } from './inputs.js';

/**
 * Builds the request URL from `url` or from `scheme`/`hostname`/`port`/`base_path`/`path`, and
 * appends `params`. Pure: no I/O, table-tested in `test/unit/rest-url.test.ts`.
 */
export function buildUrl(input: InputReader): { url: URL; notes: string[] } {
  const notes: string[] = [];
  const rawUrl = input.string('url', { nonEmpty: true });
  const basePath = input.string('base_path');
  const path = input.string('path');
  let url: URL;
  if (rawUrl !== undefined) {
    url = parseAbsoluteUrl(input, rawUrl);
    const ignored = ['scheme', 'hostname', 'port', 'base_path'].filter((name) => input.has(name));
    if (ignored.length) notes.push(`"url" is given, so ${ignored.map((n) => `"${n}"`).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} ignored`);
    if (path !== undefined) url.pathname = joinPath(url.pathname, path);
  } else {
    const hostname = input.string('hostname', { nonEmpty: true });
    if (hostname === undefined) {
      input.missing('either "url" or "hostname" is required (for example url: "https://api.example.com/v1/items")', 'url');
    }
    const scheme = (input.string('scheme') ?? REST_DEFAULTS.scheme).toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') input.fail('scheme', '"http" or "https"');
    const host = hostForUrl(input, hostname);
    const port = readPort(input);
    try {
      url = new URL(`${scheme}://${host}${port === undefined ? '' : `:${port}`}/`);
    } catch {
      input.fail('hostname', 'a host name or an IP address');
    }
    url.pathname = joinPath(basePath ?? '', path ?? '');
  }
  appendParams(input, url);
  return { url, notes };
}

function parseAbsoluteUrl(input: InputReader, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return input.fail('url', 'an absolute http or https URL such as "https://api.example.com/items"');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') input.fail('url', 'an http or https URL');
  return url;
}

/** Hostname as it goes in a URL: IPv6 addresses get brackets; schemes and paths are refused. */
function hostForUrl(input: InputReader, hostname: string): string {
  const host = hostname.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    input.fail('hostname', 'a host name without a scheme (put the scheme in "scheme", or the whole URL in "url")');
  }
  if (host.startsWith('[') && host.endsWith(']')) return host;
  if (host.includes(':')) return `[${host}]`; // a bare IPv6 address
  if (/[\s/?#@]/.test(host)) input.fail('hostname', 'a host name or an IP address (no path, query or spaces; use "base_path" and "path")');
  return host;
}

function readPort(input: InputReader): number | undefined {
  const value = input.raw.port;
  if (value === undefined || value === null) return undefined;
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) input.fail('port', 'an integer from 1 to 65535');
  return port;
}

/** Join path segments with exactly one slash between them; keeps a trailing slash of the last segment. */
export function joinPath(...segments: string[]): string {
  const parts = segments.filter((s) => s !== '');
  if (parts.length === 0) return '/';
  const trailing = parts[parts.length - 1]!.endsWith('/');
  const inner = parts.map((s) => s.replace(/^\/+|\/+$/g, '')).filter((s) => s !== '');
  const joined = `/${inner.join('/')}`;
  return trailing && joined !== '/' ? `${joined}/` : joined;
}

function appendParams(input: InputReader, url: URL): void {
  const params = input.object('params');
  if (!params) return;
  for (const [key, value] of Object.entries(params)) {
    for (const item of paramValues(value as ParamValue)) {
      if (!['string', 'number', 'boolean'].includes(typeof item)) {
        input.fail('params', `an object of strings, numbers, booleans or lists of them (parameter "${key}")`, value);
      }
      url.searchParams.append(key, String(item));
    }
  }
}

function paramValues(value: ParamValue): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value.filter((v) => v !== null && v !== undefined) : [value];
}
