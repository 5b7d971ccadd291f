import { ALL_STATUSES, type Status } from '../../model/status.js';
import { formatList } from '../format.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage.js';
import { withStore } from '../with-store.js';

export interface ListCommandOptions {
  status?: string;
  limit: string;
  json?: boolean;
  all?: boolean;
  resumable?: boolean;
  db?: string;
}

/** `flow list`: recent flows, newest first. */
export async function listCommand(options: ListCommandOptions, out: Output): Promise<number> {
  const status = options.status?.toUpperCase();
  if (status !== undefined && !(ALL_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status must be one of ${ALL_STATUSES.join(', ')}, got ${JSON.stringify(options.status)}`);
  }
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number >= 1, got ${JSON.stringify(options.limit)}`);
  return withStore(options.db, out, (store) => {
    const rows = options.resumable
      ? store.resumable(limit).filter((row) => !store.run(row.execution_id)?.alive)
      : store.list({ ...(status ? { status: status as Status } : {}), limit, rootsOnly: !options.all });
    out.out(options.json ? JSON.stringify(rows, null, 2) : formatList(rows, options.resumable ? 'no run to resume' : undefined));
    return 0;
  });
}
