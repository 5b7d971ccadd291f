import type { ExecutionRecord, JsonValue } from '../model/record.js';
import { STATUS } from '../model/status.js';
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
import { pruneRows, record, summary, type Row } from './memory-rows.js';

/**
 * Records kept in this process only: the default for `run()` in tests and scripts. It behaves as
 * the SQLite store does: writes of one event-loop turn are applied together at the end of that
 * turn (or at `flush()`, which every read calls first), and `committed()` resolves then.
 */
export class MemoryStore implements Store {
  readonly location = ':memory:';
  /** A memory store stays readable after `close()`. */
  readonly closed = false;
  /** In insertion order, which is start order: listings read it backwards. */
  readonly #rows = new Map<string, Row>();
  readonly #children = new Map<string, string[]>();
  readonly #settings = new Map<string, string>();
  readonly #sealed = new Map<string, string>();
  readonly #marks = new Map<string, Mark>();
  readonly #runs = new Map<string, Omit<RunInfo, 'alive'>>();
  #queued: (() => void)[] = [];
  #waiting: (() => void)[] = [];

  insert(record: NewRecord): void {
    const { input_value } = record;
    if (record.parent_id !== null && (record.seq === undefined || record.seq === null)) {
      // A child written without a seq (not by a runner) is placed after its parent's last one.
      const siblings = this.#children.get(record.parent_id);
      record = { ...record, seq: (siblings?.length ? (this.#rows.get(siblings.at(-1)!)?.seq ?? siblings.length) : 0) + 1 };
    }
    const row: Row = {
      execution_id: record.execution_id,
      parent_id: record.parent_id,
      seq: record.seq ?? null,
      input_hash: record.input_hash ?? null,
      cause_id: null,
      root_id: record.root_id,
      kind: record.kind,
      type: record.type,
      name: record.name,
      created_at: record.created_at,
      input_value: input_value instanceof SerializedJson ? input_value.text : JSON.stringify(input_value),
      status: STATUS.RUNNING,
      output_value: '{}',
      derived: undefined,
      external: undefined,
      message: null,
      log: null,
      appended: undefined,
      ended_at: null,
      duration: null,
    };
    if (record.parent_id === null) {
      const run = {
        root_id: record.execution_id,
        owner: 'this process',
        started_at: record.created_at,
        ended_at: null,
        heartbeat_at: null,
        attempt: 1,
        history: [],
      };
      this.#runs.set(record.execution_id, { ...run, handler: record.handler?.path ?? null, handler_hash: record.handler?.hash ?? null });
    }
    this.#enqueue(() => {
      this.#rows.set(record.execution_id, row);
      if (record.parent_id !== null) {
        // Kept in seq order, as SQLite reads them (a child started later than made can land earlier).
        const siblings = this.#children.get(record.parent_id);
        if (!siblings) this.#children.set(record.parent_id, [record.execution_id]);
        else {
          let at = siblings.length;
          while (at > 0 && (this.#rows.get(siblings[at - 1]!)!.seq ?? 0) > (row.seq ?? 0)) at--;
          siblings.splice(at, 0, record.execution_id);
        }
      }
    });
  }

  update(executionId: string, patch: RecordPatch): void {
    const { output_value, log, ...rest } = patch;
    const run = this.#runs.get(executionId);
    if (run && patch.status !== undefined && patch.status !== STATUS.RUNNING) run.ended_at = patch.ended_at ?? new Date().toISOString();
    const output =
      output_value === undefined ? undefined : output_value instanceof SerializedJson ? output_value : new SerializedJson(JSON.stringify(output_value));
    this.#enqueue(() => {
      const row = this.#rows.get(executionId);
      if (!row) return;
      for (const [key, value] of Object.entries(rest)) if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
      if (output) {
        row.output_value = output.text;
        row.derived = output.derived;
        row.external = output.external;
      }
      if (log) row.log = log.text;
    });
  }

  appendLog(executionId: string, entry: JsonValue): void {
    const text = JSON.stringify(entry);
    this.#enqueue(() => {
      const row = this.#rows.get(executionId);
      if (row) (row.appended ??= []).push(text);
    });
  }

  #enqueue(write: () => void): void {
    this.#queued.push(write);
    if (this.#queued.length === 1) setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.#queued.length) for (const write of this.#queued.splice(0)) write();
    if (this.#waiting.length) for (const resolve of this.#waiting.splice(0)) resolve();
  }

  committed(): Promise<void> {
    if (this.#queued.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  get(executionId: string): ExecutionRecord | undefined {
    this.flush();
    const row = this.#rows.get(executionId);
    return row && record(row);
  }

  resolveId(idOrPrefix: string): string | undefined {
    this.flush();
    if (idOrPrefix === 'last') return this.list({ limit: 1 })[0]?.execution_id;
    if (this.#rows.has(idOrPrefix)) return idOrPrefix;
    const matches = [...this.#rows.keys()].filter((id) => id.startsWith(idOrPrefix));
    return matches.length === 1 ? matches[0] : undefined;
  }

  children(executionId: string, page: ChildPage = {}): ExecutionRecord[] {
    this.flush();
    const ids = this.#children.get(executionId) ?? [];
    const offset = page.offset ?? 0;
    return ids.slice(offset, page.limit === undefined ? undefined : offset + page.limit).map((id) => record(this.#rows.get(id)!));
  }

  *eachChild(executionId: string): IterableIterator<ExecutionRecord> {
    this.flush();
    const ids = this.#children.get(executionId) ?? [];
    for (let i = 0; i < ids.length; i++) yield record(this.#rows.get(ids[i]!)!);
  }

  *eachChildSummary(executionId: string): IterableIterator<ExecutionSummary> {
    this.flush();
    const ids = this.#children.get(executionId) ?? [];
    for (let i = 0; i < ids.length; i++) yield summary(this.#rows.get(ids[i]!)!);
  }

  prune(query: PruneQuery): PruneResult {
    this.flush();
    return pruneRows(this.#rows, this.#children, query);
  }

  journalEntry(parentId: string, seq: number): JournalEntry | undefined {
    return this.journal(parentId, seq - 1, 1).find((entry) => entry.seq === seq);
  }

  journal(parentId: string, afterSeq: number, limit: number): JournalEntry[] {
    this.flush();
    const entries: JournalEntry[] = [];
    for (const id of this.#children.get(parentId) ?? []) {
      const row = this.#rows.get(id)!;
      if (row.seq !== null && row.seq !== undefined && row.seq > afterSeq)
        entries.push({ ...record(row), seq: row.seq, input_hash: row.input_hash, cause_id: row.cause_id });
    }
    return entries.sort((a, b) => a.seq - b.seq).slice(0, limit);
  }

  mark(parentId: string, seq: number): Mark | undefined {
    this.flush();
    return this.#marks.get(`${parentId}/${seq}`);
  }

  saveMark(parentId: string, seq: number, mark: Mark): void {
    this.#enqueue(() => this.#marks.set(`${parentId}/${seq}`, { ...mark }));
  }

  run(rootId: string): RunInfo | undefined {
    const run = this.#runs.get(rootId);
    return run && { ...run, history: [...run.history], alive: run.ended_at === null };
  }

  beginAttempt(rootId: string, previous: RunAttempt, handlerHash: string | null): void {
    const run = this.#runs.get(rootId);
    if (!run) return;
    run.history = [...run.history, previous];
    run.attempt++;
    run.ended_at = null;
    run.handler_hash = handlerHash;
  }

  causeOf(executionId: string): string | null {
    this.flush();
    return this.#rows.get(executionId)?.cause_id ?? null;
  }

  resumable(limit: number): (ExecutionSummary & { attempt: number })[] {
    return this.list({ limit: Number.MAX_SAFE_INTEGER })
      .filter((r) => r.status === STATUS.ENDED_ERROR || r.status === STATUS.ENDED_CANCELLED)
      .slice(0, limit)
      .map((r) => ({ ...r, attempt: this.#runs.get(r.execution_id)?.attempt ?? 1 }));
  }

  childCounts(executionId: string): ChildCounts {
    this.flush();
    const byStatus: ChildCounts['byStatus'] = {};
    const ids = this.#children.get(executionId) ?? [];
    for (const id of ids) {
      const status = this.#rows.get(id)!.status;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
    return { total: ids.length, byStatus };
  }

  list(query: ListQuery = {}): ExecutionSummary[] {
    this.flush();
    const { status, limit = 20, rootsOnly = true } = query;
    const found: ExecutionSummary[] = [];
    const rows = [...this.#rows.values()];
    for (let i = rows.length - 1; i >= 0 && found.length < limit; i--) {
      const row = rows[i]!;
      if ((rootsOnly && row.parent_id !== null) || (status !== undefined && row.status !== status)) continue;
      found.push(summary(row));
    }
    return found;
  }

  getSetting(name: string): JsonValue | undefined {
    const raw = this.#settings.get(name);
    return raw === undefined ? undefined : (JSON.parse(raw) as JsonValue);
  }

  saveSetting(name: string, value: JsonValue): void {
    this.#settings.set(name, JSON.stringify(value));
  }

  deleteSetting(name: string): boolean {
    return this.#settings.delete(name);
  }

  listSettings(): string[] {
    return [...this.#settings.keys()].sort();
  }

  getSealed(name: string): string | undefined {
    return this.#sealed.get(name);
  }

  saveSealed(name: string, sealed: string): void {
    this.#sealed.set(name, sealed);
  }

  deleteSealed(name: string): boolean {
    return this.#sealed.delete(name);
  }

  close(): void {
    this.flush();
  }
}
