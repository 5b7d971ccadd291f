import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { STATUS, type Status } from '../model/status.js';
import type { ExecutionRecord, JsonValue, LogEntry } from '../model/record.js';
import { currentOwner } from './owner.js';
import { storeError } from './sqlite-errors.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import { SideFiles } from './side-files.js';
import { GroupCommit } from './group-commit.js';
import { openDatabase } from './sqlite-open.js';
import { patchWrite } from './sqlite-patch.js';
import { pruneRuns } from './sqlite-prune.js';
import { SqliteRuns } from './sqlite-runs.js';
import { recordOf, type Row } from './sqlite-rows.js';
import {
  SerializedJson,
  type ChildCounts,
  type JournalEntry,
  type Mark,
  type RunAttempt,
  type RunInfo,
  type ChildPage,
  type ExecutionSummary,
  type ListQuery,
  type NewRecord,
  type PruneQuery,
  type PruneResult,
  type RecordPatch,
  type Store,
} from './store.js';

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
  /** Runs: who owns each, heartbeats, attempts (see sqlite-runs.ts). */
  readonly #runs: SqliteRuns;
  /** Large output values, in files beside the database (see side-files.ts). */
  readonly #side: SideFiles;
  readonly #group: GroupCommit;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.location = resolve(path);
    this.#side = new SideFiles(`${this.location}.bodies`);
    const { db, warnings } = openDatabase(this.location, options.busyTimeoutMs ?? 10_000);
    this.#db = db;
    this.warnings.push(...warnings);
    try {
      this.#stmt = prepareStatements(db);
      this.#group = new GroupCommit(db, (fn) => this.#write('write to', fn));
      this.#runs = new SqliteRuns({ db, stmt: this.#stmt, owner: this.#owner, enqueue: (w) => this.#enqueue(w), write: (what, fn) => this.#write(what, fn) });
      this.#runs.recoverOrphans();
    } catch (error) {
      db.close();
      throw storeError(this.location, 'open', error);
    }
  }

  #write<T>(what: string, fn: () => T): T {
    // Reads see every write made before them; settings and vault writes keep their order.
    if (this.#group?.pending && !this.#group.flushing) this.flush();
    try {
      return fn();
    } catch (error) {
      throw storeError(this.location, what, error);
    }
  }

  insert(record: NewRecord): void {
    const { execution_id, parent_id, root_id, kind, type, name, input_value, created_at } = record;
    const input = input_value instanceof SerializedJson ? input_value.text : JSON.stringify(input_value);
    const seq = record.seq ?? null;
    const hash = record.input_hash ?? null;
    const insert = this.#stmt.insert;
    this.#enqueue(() => insert.run(execution_id, parent_id, parent_id, seq, parent_id, root_id, kind, type, name, input, hash, created_at));
    if (parent_id === null) this.#runs.started(execution_id, created_at, record.handler);
  }

  run(rootId: string): RunInfo | undefined {
    return this.#runs.get(rootId);
  }

  beginAttempt(rootId: string, previous: RunAttempt, handlerHash: string | null): void {
    this.#runs.beginAttempt(rootId, previous, handlerHash);
  }

  causeOf(executionId: string): string | null {
    return this.#write('read', () => (this.#stmt.causeOf.get(executionId) as { cause_id: string | null } | undefined)?.cause_id ?? null);
  }

  resumable(limit: number): (ExecutionSummary & { attempt: number })[] {
    return this.#write('read', () => this.#stmt.resumable.all(limit) as (ExecutionSummary & { attempt: number })[]);
  }

  journalEntry(parentId: string, seq: number): JournalEntry | undefined {
    const row = this.#write(
      'read',
      () => this.#stmt.journalEntry.get(parentId, seq) as (Row & { input_hash: string | null; cause_id: string | null }) | undefined,
    );
    return row && this.#entry(row);
  }

  journal(parentId: string, afterSeq: number, limit: number): JournalEntry[] {
    const rows = this.#write(
      'read',
      () => this.#stmt.journal.all(parentId, afterSeq, limit) as (Row & { input_hash: string | null; cause_id: string | null })[],
    );
    return rows.map((row) => this.#entry(row));
  }

  #entry(row: Row & { input_hash: string | null; cause_id: string | null }): JournalEntry {
    const { input_hash, cause_id, ...rest } = row;
    return { ...this.#record(rest), seq: row.seq!, input_hash, cause_id };
  }

  mark(parentId: string, seq: number): Mark | undefined {
    return this.#write('read', () => this.#stmt.markAt.get(parentId, seq) as Mark | undefined);
  }

  saveMark(parentId: string, seq: number, mark: Mark): void {
    this.#enqueue(() => this.#stmt.saveMark.run(parentId, seq, mark.kind, mark.value));
  }

  update(executionId: string, patch: RecordPatch): void {
    const endsRun = this.#runs.ends(executionId, patch.status);
    const write = patchWrite(executionId, patch, { stmt: this.#stmt, side: this.#side, prepare: (sql) => this.#prepared(sql) });
    if (!write) return;
    this.#enqueue(() => {
      write();
      if (endsRun) this.#stmt.endRun.run(patch.ended_at ?? new Date().toISOString(), executionId);
    });
  }

  /** A statement for one of the few shapes of update, prepared once (preparing costs as much as running). */
  #prepared(sql: string): Database.Statement {
    let statement = this.#updates.get(sql);
    if (!statement) this.#updates.set(sql, (statement = this.#db.prepare(sql)));
    return statement;
  }

  appendLog(executionId: string, entry: LogEntry): void {
    const text = JSON.stringify(entry);
    this.#enqueue(() => this.#stmt.appendLog.run(executionId, text));
  }

  #enqueue(write: () => unknown): void {
    this.#group.enqueue(write);
  }

  committed(): Promise<void> {
    return this.#group.committed();
  }

  /** Commit the queued record writes now, in one transaction. */
  flush(): void {
    this.#group.flush();
  }

  get(executionId: string): ExecutionRecord | undefined {
    return this.#write('read', () => {
      const row = this.#stmt.get.get(executionId) as Row | undefined;
      return row && this.#record(row);
    });
  }

  #record(row: Row): ExecutionRecord {
    // Flows append their lines one by one; a task's are all in its row.
    const appended = row.kind === 'flow' ? (this.#stmt.appendedLog.all(row.execution_id) as { entry: string }[]).map((r) => r.entry) : [];
    return recordOf(row, appended, this.#side);
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
      const rows = this.#write('read', () => this.#stmt.childrenAfter.all(executionId, after, CHILD_BATCH) as Row[]);
      for (const row of rows) yield this.#record(row);
      if (rows.length < CHILD_BATCH) return;
      after = rows.at(-1)!.seq!;
    }
  }

  *eachChildSummary(executionId: string): IterableIterator<ExecutionSummary> {
    let after = 0;
    for (;;) {
      const rows = this.#write('read', () => this.#stmt.childSummariesAfter.all(executionId, after, CHILD_BATCH * 4) as ExecutionSummary[]);
      yield* rows;
      if (rows.length < CHILD_BATCH * 4) return;
      after = rows.at(-1)!.seq!;
    }
  }

  prune(query: PruneQuery): PruneResult {
    this.flush();
    return pruneRuns({ db: this.#db, stmt: this.#stmt, side: this.#side, write: (what, fn) => this.#write(what, fn) }, query);
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
      const failed = status === STATUS.ENDED_ERROR || status === STATUS.ENDED_CANCELLED;
      const byStatus = failed ? this.#stmt.listAllFailedByStatus : this.#stmt.listAllByStatus;
      const stmt = rootsOnly ? (status ? this.#stmt.listRootsByStatus : this.#stmt.listRoots) : status ? byStatus : this.#stmt.listAll;
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
    this.#runs.stop();
    if (!this.#db.open) return;
    try {
      this.flush();
    } finally {
      this.#db.close();
    }
  }
}
