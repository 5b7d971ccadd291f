/**
 * flow_api: automations as TypeScript handlers, with Cloudomation's `flow_api` names, and an
 * execution record for every flow and task.
 *
 * @packageDocumentation
 */
export { run, type RunOptions } from './execution/run.js';
export { Execution, type AnyObject } from './execution/execution.js';
export { System, Setting, ExecutionRef } from './execution/system.js';
export type { Handler } from './execution/handler.js';
export type { ChildOptions, WaitForOptions } from './execution/options.js';
export { NOT_STARTED, type ExecutionFields, type ExecutionStatus, type FieldName } from './execution/fields.js';
export type { RunEvents } from './execution/events.js';
export { STATUS, RETURN_WHEN, type Status, type EndStatus, type ReturnWhen } from './model/status.js';
export type { ExecutionRecord, ExecutionTree, ExecutionKind, LogEntry, JsonValue, JsonObject } from './model/record.js';
export {
  FlowApiError, InvalidInputError, MissingInputError, ExtraInputError, UnknownTaskTypeError,
  DependencyFailedError, HandlerLoadError, StoreError, TaskError, isFlowApiError,
} from './model/errors.js';
export { isEndSignal, type EndSignal } from './model/signal.js';
export { TaskRegistry, type TaskTypeMap, type TaskDefinition, type TaskContext } from './tasks/registry.js';
export { taskRegistry } from './tasks/default-registry.js';
export { InputReader, Described } from './tasks/check.js';
export {
  REST_DEFAULTS, RestError, UnexpectedStatusError, RestTimeoutError, TooManyRedirectsError, TlsError, RequestFailedError,
  type RestInputs, type RestOutputs, type RestAttempt, type RetryBackoff, type MultipartBody, type MultipartPart,
  type RestAuth, type BasicAuth, type BearerAuth, type ApiKeyAuth, type SecretRef, type Secretable,
} from './tasks/rest/index.js';
export { SecretNotFoundError } from './config/secrets.js';
export { ConfigError } from './config/files.js';
export { GrantError } from './auth/tokens.js';
export type { ProtectOptions } from './execution/protect.js';
export type { Store, ExecutionSummary, ListQuery } from './store/store.js';
export { MemoryStore } from './store/memory.js';
export { SqliteStore } from './store/sqlite.js';
export { openStore, DEFAULT_DB_PATH } from './store/open.js';
export { Redactor, MASK } from './redact/redactor.js';
