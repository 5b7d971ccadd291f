import type { InputReader } from '../input-reader.js';
import type { ParamValue } from './inputs.js';
import { REST_DEFAULTS } from './inputs.js';

/** The request URL and what building it found. */
export interface BuiltUrl {
  url: URL;
  /** `user:password@` taken out of `url` (node-fetch refuses URLs with credentials): sent as basic auth. */
  credentials: { username: string; password: string } | undefined;
  notes: string[];
}

/**
 * Builds the request URL from `url` or from `scheme`/`hostname`/`port`/`base_path`/`path`, and
 * appends `params`. Pure: no I/O, table-tested in `test/unit/rest-url.test.ts`.
 */
export function buildUrl(input: InputReader): BuiltUrl {
  const notes: string[] = [];
  const rawUrl = input.string('url', { nonEmpty: true });
  const basePath = input.string('base_path');
  const path = input.string('path');
  for (const [name, value] of [
    ['url', rawUrl],
    ['base_path', basePath],
    ['path', path],
  ] as const)
    rejectControls(input, name, value);
  let url: URL;
  let base: string;
  if (rawUrl !== undefined) {
    url = parseAbsoluteUrl(input, rawUrl);
    const ignored = ['scheme', 'hostname', 'port', 'base_path'].filter((name) => input.has(name));
    if (ignored.length) notes.push(`"url" is given, so ${ignored.map((n) => `"${n}"`).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} ignored`);
    base = url.pathname;
    if (path !== undefined) url.pathname = joinPath(url.pathname, path);
  } else {
    const hostname = input.string('hostname', { nonEmpty: true });
    if (hostname === undefined) {
      input.missing('either "url" or "hostname" is required (for example url: "https://api.example.com/v1/items")', 'url');
    }
    rejectControls(input, 'hostname', hostname);
    const scheme = (input.string('scheme') ?? REST_DEFAULTS.scheme).toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') input.fail('scheme', '"http" or "https"');
    const { host, port: portInHost } = splitHost(input, hostname);
    const port = readPort(input);
    if (portInHost !== undefined && port !== undefined && portInHost !== port) {
      input.fail('port', `the same port as "hostname" carries, or left out: "hostname" says ${portInHost}`, port);
    }
    const chosen = port ?? portInHost;
    try {
      url = new URL(`${scheme}://${host}${chosen === undefined ? '' : `:${chosen}`}/`);
    } catch {
      input.fail('hostname', 'a host name or an IP address');
    }
    base = joinPath(basePath ?? '');
    url.pathname = joinPath(basePath ?? '', path ?? '');
  }
  if (path !== undefined) checkStaysUnder(input, base, url.pathname, path);
  let credentials: BuiltUrl['credentials'];
  if (url.username || url.password) {
    credentials = { username: decode(url.username), password: decode(url.password) };
    url.username = '';
    url.password = '';
  }
  appendParams(input, url);
  return { url, credentials, notes };
}

/** The URL parser silently drops tabs and line breaks: a value that holds one is refused instead. */
function rejectControls(input: InputReader, name: string, value: string | undefined): void {
  if (value === undefined) return;
  const index = value.search(/[\u0000-\u001f\u007f]/);
  if (index >= 0) {
    const code = value.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0');
    input.fail(name, `text without control characters or line breaks (U+${code} at position ${index + 1})`);
  }
}

/**
 * `path` is joined under the base path (`base_path`, or the path of `url`); dot segments that
 * climb above it (`../../admin`, also percent-encoded) would reach another part of the server.
 */
function checkStaysUnder(input: InputReader, base: string, result: string, path: string): void {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  if (result === base || result.startsWith(prefix) || `${result}/` === prefix) return;
  input.fail(
    'path',
    `a path that stays under ${JSON.stringify(base)} ("." and ".." segments may not climb above it; put the full path in "url" or "base_path" instead)`,
    path,
  );
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
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

/**
 * `hostname` as it goes in a URL: IPv6 addresses get brackets; `host:port` and `[v6]:port` are
 * split (TaskREST has no port input, so ported flows put it here); schemes and paths are refused.
 */
function splitHost(input: InputReader, hostname: string): { host: string; port: number | undefined } {
  const host = hostname.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    input.fail('hostname', 'a host name without a scheme (put the scheme in "scheme", or the whole URL in "url")');
  }
  const bracketed = /^(\[[^\]]+\])(?::(.*))?$/.exec(host);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] === undefined ? undefined : portIn(input, bracketed[2]) };
  const colons = host.split(':').length - 1;
  if (colons > 1) return { host: `[${host}]`, port: undefined }; // a bare IPv6 address
  if (/[\s/?#@\\]/.test(host)) input.fail('hostname', 'a host name or an IP address (no path, query or spaces; use "base_path" and "path")');
  if (colons === 1) {
    const [name, port] = host.split(':') as [string, string];
    return { host: name, port: portIn(input, port) };
  }
  return { host, port: undefined };
}

function portIn(input: InputReader, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) input.fail('hostname', 'a host name with an optional :port from 1 to 65535');
  return port;
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
      if (!['string', 'number', 'boolean'].includes(typeof item) || (typeof item === 'number' && !Number.isFinite(item))) {
        input.fail('params', `an object of strings, finite numbers, booleans or lists of them (parameter "${key}")`, value);
      }
      url.searchParams.append(key, String(item));
    }
  }
}

function paramValues(value: ParamValue): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value.filter((v) => v !== null && v !== undefined) : [value];
}
