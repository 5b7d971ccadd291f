import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Identifies the process that owns RUNNING records: host, pid and the process's start time
 * (Linux `/proc/<pid>/stat` field 22), so a recycled pid is not mistaken for the dead owner.
 */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

export function currentOwner(): string {
  return `${hostname()}:${process.pid}:${processStartTime(process.pid) ?? ''}`;
}

/** Whether the process an owner string names is still running. */
export function ownerAlive(owner: string): boolean {
  const [host, pidText, start] = owner.split(':');
  // Another machine's process cannot be checked from here; leave its records alone.
  if (host !== hostname()) return true;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !start || processStartTime(pid) === undefined || processStartTime(pid) === start;
}
