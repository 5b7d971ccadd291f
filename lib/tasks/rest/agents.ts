import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { rootCertificates } from 'node:tls';
import type { RunResources } from '../../execution/resources.js';

/** What makes two requests able to share a connection pool. */
export interface AgentSettings {
  connectMs: number | null;
  verify: boolean;
  ca: string | undefined;
}

const POOL = Symbol('flow_api.rest.agents');

/**
 * Keep-alive agents shared by every REST task of a run (one per protocol, TLS settings and
 * connect timeout), so consecutive tasks reuse connections; destroyed when the run ends.
 */
export class AgentPool {
  readonly #agents = new Map<string, http.Agent>();

  for(url: URL, settings: AgentSettings): http.Agent {
    const secure = url.protocol === 'https:';
    const caKey = settings.ca ? createHash('sha256').update(settings.ca).digest('hex').slice(0, 16) : '';
    const key = `${secure ? 'https' : 'http'}|${settings.connectMs ?? 0}|${secure ? `${settings.verify}|${caKey}` : ''}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = createAgent(secure, settings);
      this.#agents.set(key, agent);
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}

export function agentPool(resources: RunResources): AgentPool {
  return resources.get(POOL, () => new AgentPool(), (pool) => pool.destroy());
}

function createAgent(secure: boolean, settings: AgentSettings): http.Agent {
  const options = { keepAlive: true, scheduling: 'lifo' as const };
  const agent = secure
    ? new https.Agent({
        ...options,
        rejectUnauthorized: settings.verify,
        // `cacert` adds to the system's trust store rather than replacing it.
        ...(settings.ca ? { ca: [...rootCertificates, settings.ca] } : {}),
      })
    : new http.Agent(options);
  if (settings.connectMs !== null) armConnectTimeout(agent, secure, settings.connectMs);
  return agent;
}

/**
 * node-fetch has no connect timeout: arm one on each new socket and clear it when TCP (and, for
 * https, TLS) is up. Reused keep-alive sockets are already connected and skip this.
 */
function armConnectTimeout(agent: http.Agent, secure: boolean, ms: number): void {
  type CreateConnection = (options: object, callback?: unknown) => Duplex;
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
