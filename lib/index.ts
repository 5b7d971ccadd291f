/**
 * flow_api: automations as TypeScript handlers, with Cloudomation's `flow_api` names, and an
 * execution record for every flow and task. This entry point holds what a handler author uses;
 * `flow_api/testing` runs flows in tests, and `flow_api/extend` serves authors of task types and
 * tools (registry, input reader, redactor, stores).
 *
 * @packageDocumentation
 */
export { run, type RunOptions } from './compose/run.js';
export { resume, rerun, type ResumeOptions } from './compose/resume.js';
export { Execution, DependencyFailedError, untyped, type AnyObject, type UntypedTask, type Handler } from './core/execution.js';
export { System, Setting, ExecutionRef } from './core/system.js';
export type { ChildOptions, WaitForOptions } from './core/options.js';
export { NOT_STARTED, type ExecutionFields, type ExecutionStatus, type FieldName } from './core/fields.js';
export type { RunEvents } from './core/events.js';
export type { ProtectOptions } from './core/protect.js';
export { STATUS, RETURN_WHEN, type Status, type EndStatus, type ReturnWhen } from './model/status.js';
export type { ExecutionRecord, ExecutionTree, ExecutionKind, LogEntry, JsonValue, JsonObject } from './model/record.js';
export {
  FlowApiError,
  InvalidInputError,
  MissingInputError,
  ExtraInputError,
  UnknownTaskTypeError,
  HandlerLoadError,
  StoreError,
  TaskError,
  AmbiguousOutcomeError,
  NonDeterminismError,
  ResumeError,
  isFlowApiError,
} from './model/errors.js';
export { isEndSignal, type EndSignal } from './model/signal.js';
export type { TaskTypeMap } from './core/task-definition.js';
export type { FlowFile, FlowFileInfo } from './core/files/flow-file.js';
export {
  REST_DEFAULTS,
  RestError,
  UnexpectedStatusError,
  RestTimeoutError,
  TooManyRedirectsError,
  TlsError,
  RequestFailedError,
  type RestInputs,
  type RestOutputs,
  type RestAttempt,
  type RestSentRequest,
  type RestMethod,
  type RetryBackoff,
  type MultipartBody,
  type MultipartPart,
  type RestAuth,
  type BasicAuth,
  type BearerAuth,
  type ApiKeyAuth,
  type Secretable,
  type ParamValue,
  type FileRef,
  type FormDataLike,
} from './tasks/rest/index.js';
export { SecretNotFoundError } from './core/config/secrets.js';
export { isSecretRef, type SecretRef } from './model/secret-ref.js';
export { ConfigError } from './core/config/files.js';
export { GrantError } from './auth/tokens.js';
