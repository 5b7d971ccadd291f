import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Status } from '../model/status.js';
import { StoreError } from '../model/errors.js';
import type { ExecutionRecord, JsonValue, LogEntry } from '../model/record.js';
import { currentOwner, ownerAlive } from './owner.js';
import { migrate } from './schema.js';
import { retryWhileBusy, storeError } from './sqlite-errors.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import { SideFiles } from './side-files.js';
import {
  ORPHAN_MESSAGE,
  parseLog,
  SerializedJson,
  withDerived,
  type ChildCounts,
  type ChildPage,
  type ExecutionSummary,
  type ListQuery,
  type NewRecord,
  type PruneQuery,
  type PruneResult,
  type RecordPatch,
  type Store,
} from './store.js';

type Row = Omit<ExecutionRecord, 'input_value' | 'output_value' | 'log'> & {
  input_value: string;
  output_value: string;
  derived: string | null;
  external: string | null;
  log: string | null;
};

/** Children are read this many at a time when iterated. */
const CHILD_BATCH = 500;

export interface SqliteStoreOptions {
  /** How long a write waits for another process's lock, in ms. Default 10 000. */
  busyTimeoutMs?: number;
}

/**
 * The embedded store (better-sqlite3, WAL mode). Each write is one statement or one
 * transaction, committed before it returns; readers in other processes never block writers.
 */
export class SqliteStore implements Store {
  readonly location: string;
  /** Things the user should hear about the file (an empty file set up as a new store). */
  readonly warnings: string[] = [];
  readonly #db: Database.Database;
  readonly #owner = currentOwner();
  readonly #stmt: Statements;
  readonly #updates = new Map<string, Database.Statement>();
  /** Top-level flows this store started and has not seen end: their end also ends their run. */
  readonly #openRoots = new Set<string>();
  /** Large output values, in files beside the database (see side-files.ts). */
  readonly #side: SideFiles;
  #queued: (() => unknown)[] = [];
  #waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  /** One transaction for a group of writes (better-sqlite3 wraps it in BEGIN/COMMIT, ROLLBACK on error). */
  readonly #commit: Database.Transaction<(writes: (() => unknown)[]) => void>;
  #flushing = false;
  #failure: StoreError | undefined;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.location = resolve(path);
    this.#side = new SideFiles(`${this.location}.bodies`);
    try {
      mkdirSync(dirname(this.location), { recursive: true });
    } catch (error) {
      throw new StoreError(`cannot create the folder for the execution store "${this.location}": ${(error as Error).message}`, { cause: error });
    }
    // SQLite takes an empty file for a new database without a word; an executions.db that
    // became empty (a failed copy, a full disk) would look like a store with no history.
    if (statSync(this.location, { throwIfNoEntry: false })?.size === 0) {
      this.warnings.push(`the store file ${this.location} was empty (0 bytes): it is set up as a new, empty store`);
    }
    try {
      this.#db = new Database(this.location, { timeout: options.busyTimeoutMs ?? 10_000 });
    } catch (error) {
      throw storeError(this.location, 'open', error);
    }
    try {
      const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
      // Two runners opening a new store at once race to switch it to WAL and create the tables;
      // SQLite answers the loser SQLITE_BUSY at once (its busy handler does not cover a journal
      // mode change), so the setup is retried until the busy timeout.
      retryWhileBusy(busyTimeoutMs, () => {
        this.#db.pragma('journal_mode = WAL');
        // NORMAL is durable against a process crash in WAL mode (only power loss can drop the
        // newest commits) and avoids an fsync per record.
        this.#db.pragma('synchronous = NORMAL');
        this.#db.pragma('foreign_keys = OFF');
        migrate(this.#db, this.location);
      });
      this.#stmt = prepareStatements(this.#db);
      this.#commit = this.#db.transaction((writes: (() => unknown)[]) => {
        for (const write of writes) write();
      });
      this.#recoverOrphans();
    } catch (error) {
      this.#db.close();
      throw storeError(this.location, 'open', error);
    }
  }

  /** Records left RUNNING by a run whose process no longer exists end as ENDED_ERROR. */
  #recoverOrphans(): void {
    const open = this.#stmt.openRuns.all() as { root_id: string; owner: string }[];
    const dead = open.filter((run) => run.owner !== this.#owner && !ownerAlive(run.owner));
    if (dead.length === 0) return;
    const now = new Date().toISOString();
    this.#db.transaction(() => {
      for (const run of dead) {
        this.#stmt.orphan.run(ORPHAN_MESSAGE, now, now, run.root_id);
        this.#stmt.endRun.run(now, run.root_id);
      }
    })();
  }

  #write<T>(what: string, fn: () => T): T {
    // Reads see every write made before them; settings and vault writes keep their order.
    if (this.#queued.length && !this.#flushing) this.flush();
    try {
      return fn();
    } catch (error) {
      throw storeError(this.location, what, error);
    }
  }

  insert(record: NewRecord): void {
    const { execution_id, parent_id, root_id, kind, type, name, input_value, created_at } = record;
    const input = input_value instanceof SerializedJson ? input_value.text : JSON.stringify(input_value);
    const insert = this.#stmt.insert;
    if (parent_id === null) {
      this.#openRoots.add(execution_id);
      this.#enqueue(() => {
        insert.run(execution_id, parent_id, root_id, kind, type, name, input, created_at);
        this.#stmt.insertRun.run(execution_id, this.#owner, created_at);
      });
    } else {
      this.#enqueue(() => insert.run(execution_id, parent_id, root_id, kind, type, name, input, created_at));
    }
  }

  update(executionId: string, patch: RecordPatch): void {
    const { name, output_value: output, message, log, status, ended_at, duration } = patch;
    if (name !== undefined && output instanceof SerializedJson && message !== undefined) {
      // The record writer's shape, as a task or flow runs and ends: one prepared statement.
      const files = output.external && Object.entries(output.external).map(([key, value]) => ({ key, value, name: SideFiles.nameOf(value) }));
      const values = [
        name,
        output.text,
        output.derived ? JSON.stringify(output.derived) : null,
        files ? JSON.stringify(Object.fromEntries(files.map((f) => [f.key, f.name]))) : null,
        message,
        log?.text ?? null,
        status ?? null,
        ended_at ?? null,
        duration ?? null,
      ];
      const endsRun = status !== undefined && status !== 'RUNNING' && this.#openRoots.delete(executionId);
      const write = this.#stmt.write;
      this.#enqueue(() => {
        if (files) for (const file of files) this.#side.write(file.name, file.value);
        write.run(...values, executionId);
        if (endsRun) this.#stmt.endRun.run(ended_at ?? new Date().toISOString(), executionId);
      });
      return;
    }
    const sets: string[] = [];
    const values: unknown[] = [];
    let files: { name: string; value: string }[] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      sets.push(`${key} = ?`);
      values.push(value instanceof SerializedJson ? value.text : key === 'output_value' ? JSON.stringify(value) : value);
      if (key === 'output_value') {
        const external = value instanceof SerializedJson && value.external ? Object.entries(value.external) : [];
        files = external.map(([, text]) => ({ name: SideFiles.nameOf(text), value: text }));
        sets.push('derived = ?', 'external = ?');
        values.push(
          value instanceof SerializedJson && value.derived ? JSON.stringify(value.derived) : null,
          external.length ? JSON.stringify(Object.fromEntries(external.map(([k], i) => [k, files[i]!.name]))) : null,
        );
      }
    }
    if (sets.length === 0) return;
    const endsRun = patch.status !== undefined && patch.status !== 'RUNNING' && this.#openRoots.delete(executionId);
    // Column names come from RecordPatch's fixed keys, never from user input. A handful of key
    // combinations occur, so each statement is prepared once (preparing costs as much as running).
    const sql = `UPDATE executions SET ${sets.join(', ')} WHERE execution_id = ?`;
    this.#enqueue(() => {
      for (const file of files) this.#side.write(file.name, file.value);
      let statement = this.#updates.get(sql);
      if (!statement) this.#updates.set(sql, (statement = this.#db.prepare(sql)));
      statement.run(...values, executionId);
      if (endsRun) this.#stmt.endRun.run(patch.ended_at ?? new Date().toISOString(), executionId);
    });
  }

  appendLog(executionId: string, entry: LogEntry): void {
    const text = JSON.stringify(entry);
    this.#enqueue(() => this.#stmt.appendLog.run(executionId, text));
  }

  /**
   * Group commit: record writes made in one turn of the event loop are committed together, at
   * the end of that turn or when `flush()` is called (an execution flushes before it reports its
   * end; every read flushes first). Sixty-four tasks ending at once cost one commit, not 64.
   */
  #enqueue(write: () => unknown): void {
    if (this.#failure) throw this.#failure;
    this.#queued.push(write);
    if (this.#queued.length > 1) return;
    setImmediate(() => {
      const waiting = this.#waiting.splice(0);
      try {
        this.flush();
        for (const { resolve } of waiting) resolve();
      } catch (error) {
        // Whoever waits hears of it; the next write or flush throws it too.
        this.#failure = error as StoreError;
        for (const { reject } of waiting) reject(error);
      }
    });
  }

  /**
   * Resolves once the queued writes are committed: at the end of this event-loop turn, together
   * with the writes of every other execution that ended in it.
   */
  committed(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#queued.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Commit the queued record writes now, in one transaction. */
  flush(): void {
    if (this.#failure) throw this.#failure;
    if (this.#queued.length === 0 || !this.#db.open) return;
    const writes = this.#queued.splice(0);
    this.#flushing = true;
    try {
      // BEGIN IMMEDIATE: take the write lock up front, where the busy timeout applies, never mid-transaction.
      this.#write('write to', () => this.#commit.immediate(writes));
    } finally {
      this.#flushing = false;
    }
  }

  get(executionId: string): ExecutionRecord | undefined {
    return this.#write('read', () => {
      const row = this.#stmt.get.get(executionId) as Row | undefined;
      return row && this.#record(row);
    });
  }

  /** A row as a record: JSON parsed, derived outputs rebuilt, the log's two parts joined. */
  #record(row: Row & { seq?: number }): ExecutionRecord {
    const { derived, external, log, seq: _seq, ...rest } = row;
    // Flows append their lines one by one; a task's are all in its row.
    const appended = row.kind === 'flow' ? (this.#stmt.appendedLog.all(row.execution_id) as { entry: string }[]).map((r) => r.entry) : [];
    const outputs = JSON.parse(row.output_value) as Record<string, unknown>;
    if (external !== null) for (const [key, name] of Object.entries(JSON.parse(external) as Record<string, string>)) outputs[key] = this.#side.read(name);
    return {
      ...rest,
      input_value: JSON.parse(row.input_value),
      output_value: withDerived(outputs, derived === null ? undefined : JSON.parse(derived)),
      log: parseLog(log, appended),
    } as ExecutionRecord;
  }

  resolveId(idOrPrefix: string): string | undefined {
    if (idOrPrefix === 'last') return this.list({ limit: 1 })[0]?.execution_id;
    if (idOrPrefix === '') return undefined;
    // A range scan on the primary key: ids >= prefix and < prefix with its last char bumped.
    const upper = idOrPrefix.slice(0, -1) + String.fromCharCode(idOrPrefix.charCodeAt(idOrPrefix.length - 1) + 1);
    const rows = this.#write('read', () => this.#stmt.prefix.all(idOrPrefix, upper) as { execution_id: string }[]);
    if (rows.some((r) => r.execution_id === idOrPrefix)) return idOrPrefix;
    return rows.length === 1 ? rows[0]!.execution_id : undefined;
  }

  children(executionId: string, page: ChildPage = {}): ExecutionRecord[] {
    if (page.offset === undefined && page.limit === undefined) return [...this.eachChild(executionId)];
    const rows = this.#write('read', () => this.#stmt.childrenPage.all(executionId, page.limit ?? -1, page.offset ?? 0) as Row[]);
    return rows.map((row) => this.#record(row));
  }

  *eachChild(executionId: string): IterableIterator<ExecutionRecord> {
    let after = 0;
    for (;;) {
      const rows = this.#write('read', () => this.#stmt.childrenAfter.all(executionId, after, CHILD_BATCH) as (Row & { seq: number })[]);
      for (const row of rows) yield this.#record(row);
      if (rows.length < CHILD_BATCH) return;
      after = rows.at(-1)!.seq;
    }
  }

  *eachChildSummary(executionId: string): IterableIterator<ExecutionSummary> {
    let after = 0;
    for (;;) {
      const rows = this.#write('read', () => this.#stmt.childSummariesAfter.all(executionId, after, CHILD_BATCH * 4) as (ExecutionSummary & { seq: number })[]);
      for (const { seq: _seq, ...summary } of rows) yield summary;
      if (rows.length < CHILD_BATCH * 4) return;
      after = rows.at(-1)!.seq;
    }
  }

  prune(query: PruneQuery): PruneResult {
    this.flush();
    const result: PruneResult = { runs: 0, records: 0, files: 0 };
    const cutoff = query.endedBefore.toISOString();
    const keepFailed = query.keepFailed ? 1 : 0;
    for (;;) {
      // A dry run deletes nothing, so it reads every candidate at once; a real one a page at a time.
      const page = query.dryRun ? -1 : 100;
      const runs = this.#write('read', () => this.#stmt.prunable.all(cutoff, keepFailed, page) as { root_id: string }[]);
      for (const run of runs) {
        result.runs++;
        result.records += query.dryRun ? this.#countTree(run.root_id) : this.#deleteTree(run.root_id);
      }
      if (query.dryRun || runs.length < page) break;
    }
    if (!query.dryRun && result.runs > 0) {
      const named = new Set<string>();
      for (const { external } of this.#write('read', () => this.#stmt.externalNames.all() as { external: string }[])) {
        for (const name of Object.values(JSON.parse(external) as Record<string, string>)) named.add(name);
      }
      result.files = this.#side.sweep((name) => named.has(name));
    }
    return result;
  }

  /** Records of a run: the root and every descendant. */
  #countTree(rootId: string): number {
    let count = 1;
    const flows = [rootId];
    while (flows.length) {
      const flow = flows.pop()!;
      count += (this.#stmt.countChildren.get(flow) as { n: number }).n;
      for (const { execution_id } of this.#stmt.childFlows.all(flow) as { execution_id: string }[]) flows.push(execution_id);
    }
    return count;
  }

  /**
   * Delete a run, a few thousand records per transaction: another process writing to the store
   * (a running flow) waits for one batch at most, never for the whole run.
   */
  #deleteTree(rootId: string): number {
    let deleted = 0;
    const flows = [rootId];
    const batch = this.#db.transaction((rows: { seq: number; execution_id: string }[]) => {
      this.#stmt.deleteLogsOf.run(JSON.stringify(rows.map((r) => r.execution_id)));
      this.#stmt.deleteRows.run(JSON.stringify(rows.map((r) => r.seq)));
    });
    while (flows.length) {
      const flow = flows[flows.length - 1]!;
      const rows = this.#write('prune', () => this.#stmt.childBatch.all(flow, 2000) as { seq: number; execution_id: string; kind: string }[]);
      if (rows.length === 0) {
        flows.pop();
        continue;
      }
      for (const row of rows) if (row.kind === 'flow') flows.push(row.execution_id);
      this.#write('prune', () => batch.immediate(rows));
      deleted += rows.length;
    }
    this.#write('prune', () =>
      this.#db
        .transaction(() => {
          this.#stmt.deleteLogs.run(rootId);
          deleted += this.#stmt.deleteRecord.run(rootId).changes;
          this.#stmt.deleteRun.run(rootId);
        })
        .immediate(),
    );
    return deleted;
  }

  childCounts(executionId: string): ChildCounts {
    const rows = this.#write('read', () => this.#stmt.childCounts.all(executionId) as { status: Status; n: number }[]);
    const byStatus: ChildCounts['byStatus'] = {};
    let total = 0;
    for (const { status, n } of rows) {
      byStatus[status] = n;
      total += n;
    }
    return { total, byStatus };
  }

  list(query: ListQuery = {}): ExecutionSummary[] {
    const { status, limit = 20, rootsOnly = true } = query;
    return this.#write('read', () => {
      const stmt = rootsOnly ? (status ? this.#stmt.listRootsByStatus : this.#stmt.listRoots) : status ? this.#stmt.listAllByStatus : this.#stmt.listAll;
      const args: (string | number)[] = status ? [status, limit] : [limit];
      return stmt.all(...args) as ExecutionSummary[];
    });
  }

  getSetting(name: string): JsonValue | undefined {
    const row = this.#write('read', () => this.#stmt.getSetting.get(name) as { value: string } | undefined);
    return row === undefined ? undefined : (JSON.parse(row.value) as JsonValue);
  }

  saveSetting(name: string, value: JsonValue): void {
    this.#write('write to', () => this.#stmt.saveSetting.run(name, JSON.stringify(value), new Date().toISOString()));
  }

  deleteSetting(name: string): boolean {
    return this.#write('write to', () => this.#stmt.deleteSetting.run(name).changes > 0);
  }

  listSettings(): string[] {
    return this.#write('read', () => (this.#stmt.listSettings.all() as { name: string }[]).map((r) => r.name));
  }

  getSealed(name: string): string | undefined {
    return this.#write('read', () => (this.#stmt.getSealed.get(name) as { sealed: string } | undefined)?.sealed);
  }

  saveSealed(name: string, sealed: string): void {
    this.#write('write to', () => this.#stmt.saveSealed.run(name, sealed, new Date().toISOString()));
  }

  deleteSealed(name: string): boolean {
    return this.#write('write to', () => this.#stmt.deleteSealed.run(name).changes > 0);
  }

  get closed(): boolean {
    return !this.#db.open;
  }

  close(): void {
    if (!this.#db.open) return;
    try {
      this.flush();
    } finally {
      this.#db.close();
    }
  }
}
