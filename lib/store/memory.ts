import type { ExecutionRecord, JsonObject, JsonValue, LogEntry } from '../model/record.js';
import { STATUS } from '../model/status.js';
import { SerializedJson, withDerived, type ExecutionSummary, type ListQuery, type NewRecord, type RecordPatch, type Store } from './store.js';

/**
 * A record as the memory store keeps it: like a SQLite row, its values serialized. A caller can
 * never change a stored record by editing what it passed or read, no deep copy is made on either
 * side (a record of any depth is safe), and the memory taken is the text's.
 */
interface Row extends ExecutionSummary {
  input_value: string;
  output_value: string;
  derived: Readonly<Record<string, string>> | undefined;
  log: string[];
}

/** Records kept in this process only: the default for `run()` in tests. */
export class MemoryStore implements Store {
  readonly location = ':memory:';
  readonly #rows = new Map<string, Row>();
  readonly #children = new Map<string, string[]>();
  readonly #settings = new Map<string, string>();
  readonly #sealed = new Map<string, string>();

  insert(record: NewRecord): void {
    const { input_value, ...rest } = record;
    this.#rows.set(record.execution_id, {
      ...rest,
      input_value: JSON.stringify(input_value),
      status: STATUS.RUNNING,
      output_value: '{}',
      derived: undefined,
      message: null,
      log: [],
      ended_at: null,
      duration: null,
    });
    if (record.parent_id !== null) {
      const siblings = this.#children.get(record.parent_id) ?? [];
      siblings.push(record.execution_id);
      this.#children.set(record.parent_id, siblings);
    }
  }

  update(executionId: string, patch: RecordPatch): void {
    const row = this.#rows.get(executionId);
    if (!row) return;
    const { output_value, ...rest } = patch;
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
    if (output_value !== undefined) {
      row.output_value = output_value instanceof SerializedJson ? output_value.text : JSON.stringify(output_value);
      row.derived = output_value instanceof SerializedJson ? output_value.derived : undefined;
    }
  }

  appendLog(executionId: string, entry: LogEntry): void {
    this.#rows.get(executionId)?.log.push(JSON.stringify(entry));
  }

  get(executionId: string): ExecutionRecord | undefined {
    const row = this.#rows.get(executionId);
    if (!row) return undefined;
    const { derived, ...fields } = row;
    return {
      ...fields,
      input_value: JSON.parse(row.input_value) as JsonObject,
      output_value: withDerived(JSON.parse(row.output_value) as JsonObject, derived) as JsonObject,
      log: row.log.map((entry) => JSON.parse(entry) as LogEntry),
    };
  }

  resolveId(idOrPrefix: string): string | undefined {
    if (idOrPrefix === 'last') return this.list({ limit: 1 })[0]?.execution_id;
    if (this.#rows.has(idOrPrefix)) return idOrPrefix;
    const matches = [...this.#rows.keys()].filter((id) => id.startsWith(idOrPrefix));
    return matches.length === 1 ? matches[0] : undefined;
  }

  children(executionId: string): ExecutionRecord[] {
    return (this.#children.get(executionId) ?? []).map((id) => this.get(id)!);
  }

  list(query: ListQuery = {}): ExecutionSummary[] {
    const { status, limit = 20, rootsOnly = true } = query;
    const all = [...this.#rows.values()]
      .filter((r) => (!rootsOnly || r.parent_id === null) && (status === undefined || r.status === status))
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
    return all.slice(0, limit).map(({ input_value: _i, output_value: _o, derived: _d, log: _l, ...summary }) => summary);
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

  flush(): void {}

  committed(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}
}
