import { applyRetention } from '../../store/retention.js';
import { AGE_FORMAT, parseAge } from '../../util/age.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage.js';
import { withStore } from '../with-store.js';

export interface PruneCommandOptions {
  olderThan?: string;
  keepFailed?: boolean;
  dryRun?: boolean;
  db?: string;
}

/** `flow prune --older-than 30d`: delete runs that ended before then, with all their records. */
export async function pruneCommand(options: PruneCommandOptions, out: Output): Promise<number> {
  const ms = options.olderThan === undefined ? undefined : parseAge(options.olderThan);
  if (options.olderThan !== undefined && ms === undefined) throw new UsageError(`--older-than must be ${AGE_FORMAT}, got ${JSON.stringify(options.olderThan)}`);
  return withStore(options.db, out, (store) => {
    if (ms === undefined) {
      // Without --older-than: what the store's retention setting says.
      const result = applyRetention(store);
      if (!result) throw new UsageError('give --older-than (as 30d), or set a retention: flow setting set retention \'{"older_than": "30d"}\'');
      out.out(
        `pruned ${plural(result.runs, 'run')} (${plural(result.records, 'record')}) as the retention setting says; removed ${plural(result.files, 'body file')}`,
      );
      return 0;
    }
    const endedBefore = new Date(Date.now() - ms);
    const result = store.prune({ endedBefore, keepFailed: options.keepFailed ?? false, dryRun: options.dryRun ?? false });
    const what = `${plural(result.runs, 'run')} (${plural(result.records, 'record')}) that ended before ${endedBefore.toISOString()}${options.keepFailed ? ', failed ones kept' : ''}`;
    out.out(options.dryRun ? `would prune ${what}` : `pruned ${what}; removed ${plural(result.files, 'body file')}`);
    return 0;
  });
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
