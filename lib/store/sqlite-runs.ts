import type Database from 'better-sqlite3';
import { HEARTBEAT_MS, runAlive } from './runs.js';
import type { Statements } from './sqlite-statements.js';
import { ORPHAN_MESSAGE, type RunAttempt, type RunInfo } from './store.js';

/** What the runs bookkeeping needs of the SQLite store. */
export interface RunsContext {
  db: Database.Database;
  stmt: Statements;
  /** This process, as runs name their owner. */
  owner: string;
  enqueue(write: () => unknown): void;
  /** Run `fn`, turning SQLite's errors into messages (the store's wrapper). */
  write<T>(what: string, fn: () => T): T;
}

/**
 * The SQLite store's runs: one row per top-level flow, owned by the process running it, with its
 * heartbeat, handler and attempts. A run's end ends its row; a run whose owner died is ended, its
 * records `ENDED_ERROR` "process exited unexpectedly", by the next process that opens the store.
 */
export class SqliteRuns {
  /** Top-level flows this store started and has not seen end. */
  readonly open = new Set<string>();
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(readonly ctx: RunsContext) {}

  /** A top-level flow starts here: its run is owned by this process (and says so with heartbeats). */
  started(rootId: string, createdAt: string, handler: { path: string; hash: string } | undefined): void {
    this.open.add(rootId);
    this.#startHeartbeat();
    this.ctx.enqueue(() => this.ctx.stmt.insertRun.run(rootId, this.ctx.owner, createdAt, createdAt, handler?.path ?? null, handler?.hash ?? null));
  }

  /** Whether a status written for `executionId` ends one of this store's open runs (its row ended with the write). */
  ends(executionId: string, status: string | undefined): boolean {
    return status !== undefined && status !== 'RUNNING' && this.open.delete(executionId);
  }

  /**
   * Records left RUNNING by a run whose process no longer exists end as ENDED_ERROR. A run of
   * this machine is dead when its process is; one of another machine when its heartbeat stopped.
   */
  recoverOrphans(): void {
    const { db, stmt, owner } = this.ctx;
    const open = stmt.openRuns.all() as { root_id: string; owner: string; heartbeat_at: string | null }[];
    const dead = open.filter((run) => run.owner !== owner && !runAlive(run.owner, run.heartbeat_at));
    if (dead.length === 0) return;
    const now = new Date().toISOString();
    db.transaction(() => {
      for (const run of dead) {
        stmt.orphan.run(run.root_id, ORPHAN_MESSAGE, now, now);
        stmt.endRun.run(now, run.root_id);
      }
    })();
  }

  /**
   * While this process runs top-level flows, their runs say so every {@link HEARTBEAT_MS}: a
   * process on another machine (whose pid cannot be checked from here) is taken for dead only
   * when its heartbeat has stopped.
   */
  #startHeartbeat(): void {
    if (this.#heartbeat) return;
    this.#heartbeat = setInterval(() => {
      if (this.open.size === 0 || !this.ctx.db.open) return;
      const now = new Date().toISOString();
      const roots = [...this.open];
      try {
        this.ctx.enqueue(() => {
          for (const root of roots) this.ctx.stmt.heartbeat.run(now, root);
        });
      } catch {
        /* a store that failed says so to its next writer */
      }
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  get(rootId: string): RunInfo | undefined {
    const row = this.ctx.write('read', () => this.ctx.stmt.getRun.get(rootId) as (Omit<RunInfo, 'history' | 'alive'> & { history: string | null }) | undefined);
    if (!row) return undefined;
    const alive = row.ended_at === null && (row.owner === this.ctx.owner || runAlive(row.owner, row.heartbeat_at));
    return { ...row, history: row.history ? (JSON.parse(row.history) as RunAttempt[]) : [], alive };
  }

  beginAttempt(rootId: string, previous: RunAttempt, handlerHash: string | null): void {
    const history = JSON.stringify([...(this.get(rootId)?.history ?? []), previous]);
    this.open.add(rootId);
    this.#startHeartbeat();
    this.ctx.write('write to', () => this.ctx.stmt.beginAttempt.run(this.ctx.owner, new Date().toISOString(), history, handlerHash, rootId));
  }

  stop(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
  }
}
