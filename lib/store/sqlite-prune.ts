import type Database from 'better-sqlite3';
import type { SideFiles } from './side-files.js';
import type { Statements } from './sqlite-statements.js';
import type { PruneQuery, PruneResult } from './store.js';

/** What pruning needs of the SQLite store. */
export interface PruneContext {
  db: Database.Database;
  stmt: Statements;
  side: SideFiles;
  /** Run `fn`, turning SQLite's errors into messages (the store's own wrapper). */
  write<T>(what: string, fn: () => T): T;
}

/**
 * Delete the runs that ended before `query.endedBefore` (keeping failed ones on request), oldest
 * first, then the side files no record names any more. A dry run counts instead.
 */
export function pruneRuns(ctx: PruneContext, query: PruneQuery): PruneResult {
  const result: PruneResult = { runs: 0, records: 0, files: 0, freedBytes: 0, freeBytes: 0 };
  const cutoff = query.endedBefore.toISOString();
  const keepFailed = query.keepFailed ? 1 : 0;
  for (;;) {
    // A dry run deletes nothing, so it reads every candidate at once; a real one a page at a time.
    const page = query.dryRun ? -1 : 100;
    const runs = ctx.write('read', () => ctx.stmt.prunable.all(cutoff, keepFailed, page) as { root_id: string }[]);
    for (const run of runs) {
      result.runs++;
      result.records += query.dryRun ? countTree(ctx, run.root_id) : deleteTree(ctx, run.root_id);
    }
    if (query.dryRun || runs.length < page) break;
  }
  if (!query.dryRun && result.runs > 0) {
    const named = new Set<string>();
    for (const { external } of ctx.write('read', () => ctx.stmt.externalNames.all() as { external: string }[])) {
      for (const name of Object.values(JSON.parse(external) as Record<string, string>)) named.add(name);
    }
    result.files = ctx.side.sweep((name) => named.has(name));
  }
  if (!query.dryRun && (result.runs > 0 || query.vacuum)) Object.assign(result, reclaim(ctx, query.vacuum ?? false));
  return result;
}

/** Pages given back per step of incremental vacuum: a writer in another process waits for one step at most. */
const VACUUM_STEP = 2000;

/**
 * Give the pages the deleted rows held back to the file system. A store made by this version
 * vacuums incrementally (`auto_vacuum = INCREMENTAL`, set as it was created), a step at a time;
 * an older one keeps its free pages for new records unless `full` rewrites it (`VACUUM`, which
 * also switches it to incremental vacuum). In WAL mode the file shrinks at a checkpoint: a passive
 * one is taken at once (it waits for nobody; a reader still holding old pages leaves it for later).
 */
function reclaim(ctx: PruneContext, full: boolean): Pick<PruneResult, 'freedBytes' | 'freeBytes'> {
  const number = (pragma: string) => ctx.db.pragma(pragma, { simple: true }) as number;
  const pageSize = number('page_size');
  const before = number('page_count');
  if (full) {
    ctx.write('vacuum', () => {
      ctx.db.pragma('auto_vacuum = INCREMENTAL');
      ctx.db.exec('VACUUM');
    });
  } else if (number('auto_vacuum') === INCREMENTAL) {
    // Until nothing is left, or a step frees nothing (another process frees pages as fast).
    for (let free = number('freelist_count'), last = Infinity; free > 0 && free < last; last = free, free = number('freelist_count')) {
      ctx.write('prune', () => ctx.db.pragma(`incremental_vacuum(${VACUUM_STEP})`));
    }
  }
  ctx.write('prune', () => ctx.db.pragma('wal_checkpoint(PASSIVE)'));
  return { freedBytes: Math.max(0, before - number('page_count')) * pageSize, freeBytes: number('freelist_count') * pageSize };
}

/** SQLite's `auto_vacuum` value for incremental vacuum. */
const INCREMENTAL = 2;

/** Records of a run: the root and every descendant. */
function countTree(ctx: PruneContext, rootId: string): number {
  let count = 1;
  const flows = [rootId];
  while (flows.length) {
    const flow = flows.pop()!;
    count += (ctx.stmt.countChildren.get(flow) as { n: number }).n;
    for (const { execution_id } of ctx.stmt.childFlows.all(flow) as { execution_id: string }[]) flows.push(execution_id);
  }
  return count;
}

/**
 * Delete a run, a few thousand records per transaction: another process writing to the store
 * (a running flow) waits for one batch at most, never for the whole run.
 */
function deleteTree(ctx: PruneContext, rootId: string): number {
  let deleted = 0;
  const flows = [rootId];
  const batch = ctx.db.transaction((rows: { row: number; execution_id: string }[]) => {
    const ids = JSON.stringify(rows.map((r) => r.execution_id));
    ctx.stmt.deleteLogsOf.run(ids);
    ctx.stmt.deleteMarksOf.run(ids);
    ctx.stmt.deleteRows.run(JSON.stringify(rows.map((r) => r.row)));
  });
  while (flows.length) {
    const flow = flows[flows.length - 1]!;
    const rows = ctx.write('prune', () => ctx.stmt.childBatch.all(flow, 2000) as { row: number; execution_id: string; kind: string }[]);
    if (rows.length === 0) {
      flows.pop();
      continue;
    }
    for (const row of rows) if (row.kind === 'flow') flows.push(row.execution_id);
    ctx.write('prune', () => batch.immediate(rows));
    deleted += rows.length;
  }
  ctx.write('prune', () =>
    ctx.db
      .transaction(() => {
        ctx.stmt.deleteLogs.run(rootId);
        ctx.stmt.deleteMarks.run(rootId);
        deleted += ctx.stmt.deleteRecord.run(rootId).changes;
        ctx.stmt.deleteRun.run(rootId);
      })
      .immediate(),
  );
  return deleted;
}
