import type { TaskDefinition } from '../../core/task-definition.js';
import type { RestInputs, RestOutputs } from './inputs.js';
import { IDEMPOTENT_METHODS, type Method } from './defaults.js';
import { normalizeRest, TASK, type RestRequest } from './normalize.js';
import { performRest } from './perform.js';
import { recordRestInputs, recordRestOutputs } from './record.js';
import { mergeConnection } from './connection.js';
import { REST_INPUTS, REST_OUTPUTS } from './spec/index.js';
import { showRestExchange } from './show-exchange.js';
import { downloadStillThere } from './download.js';

/** The REST task: `this.task('REST', inputs)`. */
export const restTask: TaskDefinition<RestRequest, RestOutputs> = {
  type: TASK,
  normalize: normalizeRest,
  run: performRest,
  describe: (request) => `${request.method} ${request.url.href}`,
  // RFC 9110 §9.2.2: a request that is not idempotent is recorded before it leaves, so a crash
  // never leaves doubt whether it was sent without a record saying it may have been.
  writeAhead: (request) => !IDEMPOTENT_METHODS.has(request.method as Method),
  // With an Idempotency-Key the server recognises the repeat: safe to send again after a crash.
  resendable: (request) => request.idempotencyKey !== undefined,
  reusable: downloadStillThere,
  recordOutputs: recordRestOutputs,
  recordInputs: recordRestInputs,
  mergeConnection,
  showExchange: showRestExchange,
  spec: { inputs: REST_INPUTS, outputs: REST_OUTPUTS },
  // The body is in text and in json: protecting either protects both.
  protectTogether: [['json', 'text']],
};

declare module '../../core/task-definition.js' {
  interface TaskTypeMap {
    /** An HTTP request, as Cloudomation's REST task. */
    REST: { inputs: RestInputs; outputs: RestOutputs };
  }
}

export * from './inputs.js';
export * from './errors.js';
