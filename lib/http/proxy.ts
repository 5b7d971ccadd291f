import { getProxyForUrl } from 'proxy-from-env';

/** Where a request goes through: the environment's proxy, none, or a given URL. */
export type ProxySetting = { kind: 'env' } | { kind: 'none' } | { kind: 'url'; url: string };

/** The proxy for one request (redirects may change host, so this is asked per hop). */
export function proxyFor(setting: ProxySetting, target: URL, fromEnv: (target: URL) => string | undefined = envProxy): string | undefined {
  if (setting.kind === 'none') return undefined;
  if (setting.kind === 'url') return setting.url;
  return fromEnv(target);
}

/** `HTTP_PROXY` / `HTTPS_PROXY` / `ALL_PROXY` with `NO_PROXY` exceptions (either case), as curl reads them. */
export function envProxy(target: URL): string | undefined {
  return getProxyForUrl(target.href) || undefined;
}
