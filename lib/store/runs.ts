import { hostname } from 'node:os';
import { ownerAlive } from './owner.js';

/** How often a running run says it is alive, and how long a silent one of another machine is taken for alive. */
export const HEARTBEAT_MS = 10_000;
export const HEARTBEAT_GRACE_MS = 6 * HEARTBEAT_MS;

/** Whether a run's owner lives: its process, on this machine; its heartbeat, on another. */
export function runAlive(owner: string, heartbeatAt: string | null): boolean {
  if (owner.split(':')[0] === hostname()) return ownerAlive(owner);
  return heartbeatAt !== null && Date.now() - Date.parse(heartbeatAt) < HEARTBEAT_GRACE_MS;
}
