/**
 * `flow_api/extend`: what authors of task types, stores and tools need beyond what a handler
 * uses: the task registry and input reader, the redactor, the stores.
 *
 * @module extend
 */
export { TaskRegistry, type TaskDefinition, type TaskContext, type NormalizeContext, type TransferProgress } from './tasks/registry.js';
export { taskRegistry } from './tasks/default-registry.js';
export { InputReader, Described, MAX_DURATION_SECONDS } from './tasks/check.js';
export { formatTaskSpec, type FieldSpec, type TaskSpec } from './tasks/field-spec.js';
export { Redactor, MASK } from './redact/redactor.js';
export type { Store, ExecutionSummary, ListQuery, NewRecord, RecordPatch } from './store/store.js';
export { SerializedJson, loadTree } from './store/store.js';
export { MemoryStore } from './store/memory.js';
export { SqliteStore, type SqliteStoreOptions } from './store/sqlite.js';
export { openStore, DEFAULT_DB_PATH } from './store/open.js';
export { restTask } from './tasks/rest/index.js';
