import type { ExecutionRecord, JsonObject, JsonValue, LogEntry } from '../model/record.js';
import { STATUS } from '../model/status.js';
import { SerializedJson, withDerived, type ExecutionSummary, type ListQuery, type NewRecord, type RecordPatch, type Store } from './store.js';
import { toSummary } from './summary.js';

/** Records kept in this process only: the default for `run()` in tests. */
export class MemoryStore implements Store {
  readonly location = ':memory:';
  readonly #records = new Map<string, ExecutionRecord>();
  readonly #children = new Map<string, string[]>();
  readonly #settings = new Map<string, string>();
  readonly #sealed = new Map<string, string>();

  insert(record: NewRecord): void {
    this.#records.set(record.execution_id, {
      ...structuredClone(record),
      status: STATUS.RUNNING,
      output_value: {},
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
    const record = this.#records.get(executionId);
    if (!record) return;
    const { output_value, ...rest } = patch;
    Object.assign(record, structuredClone(rest));
    if (output_value !== undefined) {
      record.output_value = (output_value instanceof SerializedJson ? withDerived(JSON.parse(output_value.text), output_value.derived) : structuredClone(output_value)) as JsonObject;
    }
  }

  appendLog(executionId: string, entry: LogEntry): void {
    this.#records.get(executionId)?.log.push(structuredClone(entry));
  }

  get(executionId: string): ExecutionRecord | undefined {
    const record = this.#records.get(executionId);
    // Copies, so a caller cannot change the stored record by editing what it read.
    return record && structuredClone(record);
  }

  resolveId(idOrPrefix: string): string | undefined {
    if (idOrPrefix === 'last') return this.list({ limit: 1 })[0]?.execution_id;
    if (this.#records.has(idOrPrefix)) return idOrPrefix;
    const matches = [...this.#records.keys()].filter((id) => id.startsWith(idOrPrefix));
    return matches.length === 1 ? matches[0] : undefined;
  }

  children(executionId: string): ExecutionRecord[] {
    return (this.#children.get(executionId) ?? []).map((id) => this.get(id)!);
  }

  list(query: ListQuery = {}): ExecutionSummary[] {
    const { status, limit = 20, rootsOnly = true } = query;
    const all = [...this.#records.values()]
      .filter((r) => (!rootsOnly || r.parent_id === null) && (status === undefined || r.status === status))
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
    return all.slice(0, limit).map(toSummary);
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
