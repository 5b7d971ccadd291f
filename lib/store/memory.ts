import type { ExecutionRecord, JsonObject, JsonValue } from '../model/record.js';
import { STATUS } from '../model/status.js';
import {
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

/**
 * A record as the memory store keeps it: like a SQLite row, its values serialized. A caller can
 * never change a stored record by editing what it passed or read, no deep copy is made on either
 * side (a record of any depth is safe), and the memory taken is the text's.
 */
interface Row extends ExecutionSummary {
  input_value: string;
  output_value: string;
  derived: Readonly<Record<string, string>> | undefined;
  /** Large values kept beside the outputs' text (the memory store keeps them as they are). */
  external: Readonly<Record<string, string>> | undefined;
  /** The log kept with the row (a JSON array), then lines appended one by one. */
  log: string | null;
  appended: string[] | undefined;
}

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
  #queued: (() => void)[] = [];
  #waiting: (() => void)[] = [];

  insert(record: NewRecord): void {
    const { input_value } = record;
    const row: Row = {
      execution_id: record.execution_id,
      parent_id: record.parent_id,
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
    this.#enqueue(() => {
      this.#rows.set(record.execution_id, row);
      if (record.parent_id !== null) {
        const siblings = this.#children.get(record.parent_id);
        if (siblings) siblings.push(record.execution_id);
        else this.#children.set(record.parent_id, [record.execution_id]);
      }
    });
  }

  update(executionId: string, patch: RecordPatch): void {
    const { output_value, log, ...rest } = patch;
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
    const cutoff = query.endedBefore.toISOString();
    const result: PruneResult = { runs: 0, records: 0, files: 0 };
    for (const row of [...this.#rows.values()]) {
      if (row.parent_id !== null || row.ended_at === null || row.ended_at >= cutoff) continue;
      if (query.keepFailed && row.status !== STATUS.ENDED_SUCCESS) continue;
      result.runs++;
      const ids = [row.execution_id];
      for (let i = 0; i < ids.length; i++) ids.push(...(this.#children.get(ids[i]!) ?? []));
      result.records += ids.length;
      if (query.dryRun) continue;
      for (const id of ids) {
        this.#rows.delete(id);
        this.#children.delete(id);
      }
    }
    return result;
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

function summary(row: Row): ExecutionSummary {
  const { input_value: _i, output_value: _o, derived: _d, external: _e, log: _l, appended: _a, ...fields } = row;
  return fields;
}

function record(row: Row): ExecutionRecord {
  const { derived, external, log, appended, ...fields } = row;
  const outputs = JSON.parse(row.output_value) as JsonObject;
  if (external) Object.assign(outputs, external);
  return {
    ...fields,
    input_value: JSON.parse(row.input_value) as JsonObject,
    output_value: withDerived(outputs, derived) as JsonObject,
    log: parseLog(log, appended ?? []),
  };
}
