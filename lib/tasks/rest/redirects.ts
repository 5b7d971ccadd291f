import type * as ToughCookie from 'tough-cookie';
import type { CookieJar } from 'tough-cookie';
import setCookie from 'set-cookie-parser';
import { TooManyRedirectsError, RestError } from './errors.js';
import type { HeaderList } from './headers.js';
import type { Method } from './inputs.js';
import type { RestRequest } from './normalize.js';
import type { AgentPool } from '../../http/agents.js';
import { openExchange, type OpenResponse } from '../../http/exchange.js';
import { proxyFor } from '../../http/proxy.js';
import type { TransferProgress } from '../../core/task-definition.js';
import { lazyModule } from '../../util/lazy.js';

const toughCookie = lazyModule<typeof ToughCookie>('tough-cookie');

/** Headers that carry credentials: dropped when a redirect leaves the origin (RFC 9110 §15.4, Fetch §4.4). */
const CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'cookie', 'proxy-authorization'];
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface SendContext {
  pool: AgentPool;
  signal: AbortSignal;
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  log(line: string): void;
  maskUrl(url: string): string;
  /** Whether a header value holds a registered secret (it then does not follow a redirect to another origin). */
  holdsSecret(value: string): boolean;
}

/** The URL of the hop a request failed at, when that was after a redirect: messages name that host. */
export const failedHop = new WeakMap<object, URL>();

/**
 * Send the request, following redirects by hand rather than through node-fetch, so that the
 * method rewrite, the credential drop and the hop limit follow the rules we document.
 */
export async function sendFollowingRedirects(request: RestRequest, ctx: SendContext): Promise<OpenResponse> {
  let method: Method = request.method;
  let url = request.url;
  let headers: HeaderList = request.headers;
  let body = request.body?.body;
  /** Cookies set by the responses of this chain (made at the first redirect: most requests have none). */
  let jar: CookieJar | undefined;
  const setAlong: Record<string, string> = {};
  /** The flow's own Cookie header, until a redirect to another origin drops it. */
  let ownCookie = request.headers.get('cookie');
  for (let hops = 0; ; hops++) {
    let response: OpenResponse;
    try {
      response = await openExchange(
        { method, url, headers: headers.entries(), body },
        {
          agent: ctx.pool.for(url, {
            connectMs: request.timeouts.connect,
            ...request.tls,
            proxy: proxyFor(request.proxy, url, (target) => ctx.pool.envProxy(target)),
          }),
          readTimeoutMs: request.timeouts.read,
          signal: ctx.signal,
          onProgress: ctx.onProgress,
        },
      );
    } catch (error) {
      if (hops > 0 && typeof error === 'object' && error !== null) failedHop.set(error, url);
      throw error;
    }
    const location = response.headers.location?.[0];
    if (!request.redirects.follow || !REDIRECT_STATUSES.has(response.status) || location === undefined) {
      if (hops > 0) response.cookiesBefore = setAlong;
      return response;
    }
    await response.discard();
    // RFC 6265: a cookie a response of the chain sets goes with the following requests of the
    // chain that it matches (domain, path, secure, expiry), as browsers, curl -L -b and requests
    // do; tough-cookie decides which match, IP-address hosts included.
    const setCookies = response.headers['set-cookie'] ?? [];
    for (const cookie of setCookies) {
      jar ??= new (toughCookie().CookieJar)();
      jar.setCookieSync(cookie, url.href, { ignoreError: true });
    }
    for (const cookie of setCookie.parse(setCookies, { decodeValues: false })) setAlong[cookie.name] = cookie.value;
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new RestError(`${method} ${ctx.maskUrl(url.href)} redirected to an invalid Location ${JSON.stringify(location)}`);
    }
    // Credentials in a Location are not ours to send (and node-fetch refuses such URLs).
    next.username = '';
    next.password = '';
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new RestError(`${method} ${ctx.maskUrl(url.href)} redirected to ${ctx.maskUrl(next.href)}, which is not an http or https URL`);
    }
    if (hops >= request.redirects.max) {
      throw new TooManyRedirectsError(
        `${request.method} ${ctx.maskUrl(request.url.href)}: too many redirects (more than max_redirects = ${request.redirects.max}; the last one pointed to ${ctx.maskUrl(next.href)}); raise "max_redirects", or set "allow_redirects": false to receive the 3xx response`,
      );
    }
    // 303 always, and 301/302 after POST, become GET without a body (what browsers and requests do);
    // 307 and 308 repeat the request as it was.
    if ((response.status === 303 && method !== 'HEAD') || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = headers.clone();
      for (const name of ['content-type', 'content-length', 'content-encoding']) headers.delete(name);
    }
    // Another origin, https to http included: credentials stay behind, as curl and browsers do.
    // Which headers carry them: the credential headers, the ones the auth input set (an API
    // key's header), and any whose value holds a secret.
    if (next.origin !== url.origin) {
      const dropped = headers
        .entries()
        .map(([name, value]) => [name.toLowerCase(), value] as const)
        .filter(([name, value]) => CREDENTIAL_HEADERS.includes(name) || request.credentialHeaders.has(name) || ctx.holdsSecret(value))
        .map(([name]) => name);
      if (dropped.length) {
        headers = headers.clone();
        for (const name of dropped) headers.delete(name);
        if (dropped.includes('cookie')) ownCookie = undefined;
        ctx.log(`redirect leaves ${url.origin}: not sending ${dropped.join(', ')} to ${next.origin}`);
      }
    }
    ctx.log(`${response.status} redirect to ${ctx.maskUrl(next.href)}${method !== request.method ? ` (now ${method})` : ''}`);
    url = next;
    if (jar) {
      const cookie = [ownCookie, jar.getCookieStringSync(url.href)].filter(Boolean).join('; ');
      headers = headers.clone();
      if (cookie) headers.set('Cookie', cookie);
      else headers.delete('cookie');
    }
  }
}
