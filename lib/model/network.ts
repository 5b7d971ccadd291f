/**
 * Which networks a run may reach: the opt-in SSRF guard for users who run flows written by
 * others. Plain data here; the HTTP layer enforces it on every connection (see network-guard.ts).
 */
export interface NetworkPolicy {
  /** Refuse loopback, link-local, private and unique-local addresses, checked after DNS. */
  denyPrivate: boolean;
  /** Exceptions: CIDR ranges (`10.1.0.0/16`), single addresses, or host names (exact). */
  allow: readonly string[];
}

export const ENV_DENY = 'FLOW_DENY_PRIVATE_NETWORKS';
export const ENV_ALLOW = 'FLOW_ALLOW_NETWORKS';

/**
 * The run's policy: its options win, else `FLOW_DENY_PRIVATE_NETWORKS=1` and
 * `FLOW_ALLOW_NETWORKS=10.1.0.0/16,api.internal` from the environment.
 */
export function networkPolicy(
  options: { deny_private_networks?: boolean | undefined; allow_networks?: readonly string[] | undefined },
  env: NodeJS.ProcessEnv = process.env,
): NetworkPolicy {
  const flag = (env[ENV_DENY] ?? '').trim().toLowerCase();
  return {
    denyPrivate: options.deny_private_networks ?? (flag !== '' && flag !== '0' && flag !== 'false'),
    allow:
      options.allow_networks ??
      (env[ENV_ALLOW] ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
  };
}
