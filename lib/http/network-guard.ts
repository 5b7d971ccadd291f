import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import net from 'node:net';
import { ENV_ALLOW, ENV_DENY, type NetworkPolicy } from '../model/network.js';

/** Ranges refused by the guard, with a word on each for the message. */
const PRIVATE_RANGES: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', '"this network" 0.0.0.0/8, which reaches the local machine'],
  ['127.0.0.0', 8, 'ipv4', 'loopback 127.0.0.0/8'],
  ['10.0.0.0', 8, 'ipv4', 'private 10.0.0.0/8'],
  ['172.16.0.0', 12, 'ipv4', 'private 172.16.0.0/12'],
  ['192.168.0.0', 16, 'ipv4', 'private 192.168.0.0/16'],
  ['169.254.0.0', 16, 'ipv4', 'link-local 169.254.0.0/16 (cloud metadata)'],
  ['100.64.0.0', 10, 'ipv4', 'shared address space 100.64.0.0/10'],
  ['::', 128, 'ipv6', 'the unspecified address ::'],
  ['::1', 128, 'ipv6', 'loopback ::1'],
  ['fc00::', 7, 'ipv6', 'unique-local fc00::/7'],
  ['fe80::', 10, 'ipv6', 'link-local fe80::/10'],
];

/** The error a refused connection fails with; classified as fatal (waiting cannot change it). */
class NetworkDeniedError extends Error {
  override name = 'NetworkDeniedError';
  readonly code = 'ERR_NETWORK_DENIED';
}

/**
 * The opt-in SSRF guard (`FLOW_DENY_PRIVATE_NETWORKS=1`, or `run({ deny_private_networks: true })`):
 * requests and redirects to loopback, link-local (169.254.169.254, the cloud metadata address,
 * included), private and unique-local addresses are refused. The check runs on the address a
 * connection is really made to, after DNS, so a name that resolves (or re-resolves: DNS
 * rebinding) to a private address is caught, and so is any spelling of one (`2130706433`,
 * `0177.0.0.1`, `[::ffff:127.0.0.1]`). One guard per agent pool.
 */
export class NetworkGuard {
  readonly #allowRanges = new net.BlockList();
  readonly #allowHosts = new Set<string>();

  constructor(readonly policy: NetworkPolicy) {
    for (const entry of policy.allow) {
      const [address, bits] = entry.split('/');
      const family = net.isIP(address ?? '');
      if (family === 0) this.#allowHosts.add(entry.toLowerCase());
      else if (bits === undefined) this.#allowRanges.addAddress(address!, family === 4 ? 'ipv4' : 'ipv6');
      else this.#allowRanges.addSubnet(address!, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  get active(): boolean {
    return this.policy.denyPrivate;
  }

  /** Throws `NetworkDeniedError` when `address` (an IP) may not be reached for `host`. */
  check(host: string, address: string): void {
    if (!this.active || this.#allowHosts.has(host.toLowerCase())) return;
    const family = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.#allowRanges.check(address, family)) return;
    const range = PRIVATE.find(([list]) => list.check(address, family));
    if (range) {
      const named = host === address ? address : `${host} (${address})`;
      throw new NetworkDeniedError(
        `${named} is in ${range[1]}, and requests to private networks are refused (${ENV_DENY} is set); allow it with ${ENV_ALLOW}=${host === address ? address : host} if it is meant to be reached`,
      );
    }
  }

  /** A `lookup` for sockets: resolves as `dns.lookup` does, then checks every address it returns. */
  lookup = (hostname: string, options: LookupOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, options.all ? [] : '');
      try {
        for (const { address } of addresses) this.check(hostname, address);
      } catch (denied) {
        return callback(denied as Error, options.all ? [] : '');
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  /** Check a host that may be a literal address (sockets skip `lookup` for those), or resolve a name and check it. */
  async checkHost(host: string): Promise<void> {
    if (!this.active) return;
    const bare = host.replace(/^\[|\]$/g, '');
    if (net.isIP(bare)) return this.check(bare, bare);
    const addresses = await dns.promises.lookup(bare, { all: true });
    for (const { address } of addresses) this.check(bare, address);
  }
}

const PRIVATE: [net.BlockList, string][] = PRIVATE_RANGES.map(([address, bits, family, words]) => {
  const list = new net.BlockList();
  list.addSubnet(address, bits, family);
  return [list, words];
});
