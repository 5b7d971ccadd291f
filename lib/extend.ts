/**
 * `flow_api/extend`: what authors of task types, stores and tools need beyond what a handler
 * uses: the task registry and input reader, the redactor, the stores.
 *
 * @module extend
 */
export { TaskRegistry } from './tasks/registry.js';
export type { TaskDefinition, TaskContext, NormalizeContext, TransferProgress, TaskTypes, FieldSpec, TaskSpec } from './core/task-definition.js';
export { VirtualClock, realClock, type Clock } from './core/clock.js';
export { RunResources } from './core/resources.js';
export { taskRegistry } from './tasks/default-registry.js';
export { InputReader, Described, MAX_DURATION_SECONDS } from './tasks/input-reader.js';
export { formatTaskSpec } from './tasks/describe.js';
export { Redactor, MASK } from './core/redact/redactor.js';
export type { Store, ExecutionSummary, ListQuery, NewRecord, RecordPatch } from './store/store.js';
export { SerializedJson, loadTree } from './store/store.js';
export { MemoryStore } from './store/memory.js';
export { SqliteStore, type SqliteStoreOptions } from './store/sqlite.js';
export { openStore, DEFAULT_DB_PATH } from './store/open.js';
export { restTask } from './tasks/rest/index.js';
export { authorizeGrant, type AuthorizeGrantOptions, type AuthorizedGrant } from './auth/authorize-grant.js';
