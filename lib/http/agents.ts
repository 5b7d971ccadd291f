import type * as HttpProxyAgentModule from 'http-proxy-agent';
import type * as HttpsProxyAgentModule from 'https-proxy-agent';
import type * as SocksProxyAgentModule from 'socks-proxy-agent';
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { rootCertificates } from 'node:tls';
import type { RunResources } from '../core/resources.js';
import { envProxy } from './proxy.js';
import type { NetworkPolicy } from '../model/network.js';
import { NetworkGuard } from './network-guard.js';
import { captureRequests } from './wire.js';
import { lazyModule } from '../util/lazy.js';

const httpProxyAgent = lazyModule<typeof HttpProxyAgentModule>('http-proxy-agent');
const httpsProxyAgent = lazyModule<typeof HttpsProxyAgentModule>('https-proxy-agent');
const socksProxyAgent = lazyModule<typeof SocksProxyAgentModule>('socks-proxy-agent');

/** What makes two requests able to share a connection pool. */
export interface AgentSettings {
  connectMs: number | null;
  verify: boolean;
  ca: string | undefined;
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string | undefined;
  key?: string | undefined;
  /** Proxy URL, when the request goes through one. */
  proxy?: string | undefined;
}

const POOL = Symbol('flow_api.rest.agents');

/**
 * Keep-alive agents shared by every REST task of a run (one per protocol, TLS settings and
 * connect timeout), so consecutive tasks reuse connections; destroyed when the run ends.
 */
export class AgentPool {
  readonly #agents = new Map<string, http.Agent>();
  readonly guard: NetworkGuard;

  constructor(policy: NetworkPolicy = { denyPrivate: false, allow: [] }) {
    this.guard = new NetworkGuard(policy);
  }

  for(url: URL, settings: AgentSettings): http.Agent {
    const secure = url.protocol === 'https:';
    // Short hashes stand for the PEM texts and the proxy URL in the key.
    const digest = (value: string | undefined) => this.#digest(value);
    const tls = secure ? `${settings.verify}|${digest(settings.ca)}|${digest(settings.cert)}|${digest(settings.key)}` : '';
    const key = `${secure ? 'https' : 'http'}|${settings.connectMs ?? 0}|${tls}|${digest(settings.proxy)}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = createAgent(secure, settings, this.guard);
      captureRequests(agent);
      this.#agents.set(key, agent);
    }
    return agent;
  }

  readonly #envProxies = new Map<string, string | undefined>();
  readonly #digests = new Map<string, string>();

  /** A short hash of a PEM text or proxy URL, computed once per run, not once per request. */
  #digest(value: string | undefined): string {
    if (!value) return '';
    let hash = this.#digests.get(value);
    if (hash === undefined) this.#digests.set(value, (hash = createHash('sha256').update(value).digest('hex').slice(0, 16)));
    return hash;
  }

  /** The environment's proxy for an origin, read once per run (process.env reads are slow). */
  envProxy(url: URL): string | undefined {
    if (!this.#envProxies.has(url.origin)) this.#envProxies.set(url.origin, envProxy(url));
    return this.#envProxies.get(url.origin);
  }

  destroy(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}

/** The run's pool; `policy` is read when the pool is made (the first request of the run). */
export function agentPool(resources: RunResources, policy?: NetworkPolicy): AgentPool {
  return resources.get(
    POOL,
    () => new AgentPool(policy),
    (pool) => pool.destroy(),
  );
}

function createAgent(secure: boolean, settings: AgentSettings, guard: NetworkGuard): http.Agent {
  const options = { keepAlive: true, scheduling: 'lifo' as const, ...(guard.active ? { lookup: guard.lookup } : {}) };
  const tls = secure
    ? {
        rejectUnauthorized: settings.verify,
        // `cacert` adds to the system's trust store rather than replacing it.
        ...(settings.ca ? { ca: [...rootCertificates, settings.ca] } : {}),
        ...(settings.cert ? { cert: settings.cert } : {}),
        ...(settings.key ? { key: settings.key } : {}),
      }
    : {};
  if (settings.proxy) {
    const agent = createProxyAgent(settings.proxy, secure, { ...options, ...tls });
    if (settings.connectMs !== null) armProxyConnectTimeout(agent, settings.connectMs);
    if (guard.active) guardProxy(agent, new URL(settings.proxy).hostname, guard);
    return agent;
  }
  const agent = secure ? new https.Agent({ ...options, ...tls }) : new http.Agent(options);
  if (settings.connectMs !== null) armConnectTimeout(agent, secure, settings.connectMs);
  if (guard.active) guardLiterals(agent, guard);
  return agent;
}

type CreateConnection = (options: { host?: string }, callback?: unknown) => Duplex;

/** Sockets to a literal address skip `lookup`: check those here (a refused one fails like a failed connect). */
function guardLiterals(agent: http.Agent, guard: NetworkGuard): void {
  const holder = agent as unknown as { createConnection: CreateConnection };
  const base = holder.createConnection.bind(agent);
  holder.createConnection = (options, callback) => {
    const host = (options.host ?? '').replace(/^\[|\]$/g, '');
    if (net.isIP(host)) {
      try {
        guard.check(host, host);
      } catch (denied) {
        const socket = new net.Socket();
        process.nextTick(() => socket.destroy(denied as Error));
        return socket;
      }
    }
    return base(options, callback);
  };
}

/** Through a proxy, the proxy and the target are checked before the proxy is asked to connect. */
function guardProxy(agent: http.Agent, proxyHost: string, guard: NetworkGuard): void {
  type Connect = (req: http.ClientRequest, options: { host?: string }) => Promise<Duplex>;
  const proxyAgent = agent as unknown as { connect: Connect };
  const base = proxyAgent.connect.bind(agent);
  proxyAgent.connect = async (req, options) => {
    await guard.checkHost(proxyHost);
    await guard.checkHost(options.host ?? '');
    return base(req, options);
  };
}

/**
 * Proxy agents from the proxy-agent family (TooTallNate): CONNECT tunnels for https targets,
 * absolute-form requests for http targets through an http(s) proxy, SOCKS for socks URLs. The
 * TLS options apply to the target, end to end through the tunnel.
 */
function createProxyAgent(proxy: string, secure: boolean, options: https.AgentOptions): http.Agent {
  const agent = proxy.startsWith('socks')
    ? new (socksProxyAgent().SocksProxyAgent)(proxy, options)
    : secure
      ? new (httpsProxyAgent().HttpsProxyAgent)(proxy, options)
      : new (httpProxyAgent().HttpProxyAgent)(proxy, options);
  // The proxy agents keep these for the connection to the proxy and reset `options`, which
  // http.Agent merges into each request's options: put them back so the target's TLS
  // (trusted CAs, verification, client certificate) is what they say.
  if (secure) Object.assign(agent.options, { rejectUnauthorized: options.rejectUnauthorized, ca: options.ca, cert: options.cert, key: options.key });
  return agent;
}

/**
 * node-fetch has no connect timeout: arm one on each new socket and clear it when TCP (and, for
 * https, TLS) is up. Reused keep-alive sockets are already connected and skip this.
 */
function armConnectTimeout(agent: http.Agent, secure: boolean, ms: number): void {
  const base = (agent as unknown as { createConnection: CreateConnection }).createConnection.bind(agent);
  (agent as unknown as { createConnection: CreateConnection }).createConnection = (options, callback) => {
    const socket = base(options, callback);
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`connect_timeout of ${ms / 1000} s fired`), { code: 'ERR_CONNECT_TIMEOUT' });
      socket.destroy(error);
    }, ms);
    const clear = () => clearTimeout(timer);
    socket.once(secure ? 'secureConnect' : 'connect', clear);
    socket.once('close', clear);
    return socket;
  };
}

/**
 * The proxy agents open their sockets in `connect()` (to the proxy, then the tunnel and TLS):
 * bound it by `connect_timeout`, so a proxy that never answers fails like a host that never does.
 */
function armProxyConnectTimeout(agent: http.Agent, ms: number): void {
  type Connect = (req: http.ClientRequest, options: object) => Promise<Duplex>;
  const proxyAgent = agent as unknown as { connect: Connect };
  const base = proxyAgent.connect.bind(agent);
  proxyAgent.connect = (req, options) =>
    new Promise<Duplex>((resolve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        reject(Object.assign(new Error(`connect_timeout of ${ms / 1000} s fired`), { code: 'ERR_CONNECT_TIMEOUT' }));
      }, ms);
      base(req, options).then(
        (socket) => {
          clearTimeout(timer);
          if (late) socket.destroy();
          else resolve(socket);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
}
