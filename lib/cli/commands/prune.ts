import { applyRetention } from '../../store/retention.js';
import type { PruneResult } from '../../store/store.js';
import { AGE_FORMAT, parseAge } from '../../util/age.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage.js';
import { withStore } from '../with-store.js';

export interface PruneCommandOptions {
  olderThan?: string;
  keepFailed?: boolean;
  dryRun?: boolean;
  vacuum?: boolean;
  db?: string;
}

/** `flow prune --older-than 30d`: delete runs that ended before then, with all their records. */
export async function pruneCommand(options: PruneCommandOptions, out: Output): Promise<number> {
  const ms = options.olderThan === undefined ? undefined : parseAge(options.olderThan);
  if (options.olderThan !== undefined && ms === undefined) throw new UsageError(`--older-than must be ${AGE_FORMAT}, got ${JSON.stringify(options.olderThan)}`);
  if (options.vacuum && options.dryRun) throw new UsageError('--vacuum rewrites the file and --dry-run changes nothing: give one of them');
  return withStore(options.db, out, (store) => {
    if (ms === undefined) {
      // Without --older-than: what the store's retention setting says.
      const result = applyRetention(store, Date.now(), options.vacuum ?? false);
      if (!result) throw new UsageError('give --older-than (as 30d), or set a retention: flow setting set retention \'{"older_than": "30d"}\'');
      out.out(
        `pruned ${plural(result.runs, 'run')} (${plural(result.records, 'record')}) as the retention setting says; removed ${plural(result.files, 'body file')}${space(result)}`,
      );
      return 0;
    }
    const endedBefore = new Date(Date.now() - ms);
    const result = store.prune({ endedBefore, keepFailed: options.keepFailed ?? false, dryRun: options.dryRun ?? false, vacuum: options.vacuum ?? false });
    const what = `${plural(result.runs, 'run')} (${plural(result.records, 'record')}) that ended before ${endedBefore.toISOString()}${options.keepFailed ? ', failed ones kept' : ''}`;
    out.out(options.dryRun ? `would prune ${what}` : `pruned ${what}; removed ${plural(result.files, 'body file')}${space(result)}`);
    return 0;
  });
}

/** What became of the space: given back to the file system, or kept free inside an older store's file. */
function space(result: PruneResult): string {
  const given = result.freedBytes > 0 ? `; the store's file gave ${bytes(result.freedBytes)} back to the file system` : '';
  const kept = result.freeBytes > 0 ? `; ${bytes(result.freeBytes)} stays free inside the file for new records (flow prune --vacuum gives it back)` : '';
  return given + kept;
}

function bytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
