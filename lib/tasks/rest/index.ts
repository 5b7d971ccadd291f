import type { TaskDefinition } from '../../core/task-definition.js';
import type { RestInputs, RestOutputs } from './inputs.js';
import { normalizeRest, TASK, type RestRequest } from './normalize.js';
import { performRest } from './perform.js';
import { recordRestInputs, recordRestOutputs } from './record.js';
import { mergeConnection } from './connection.js';
import { REST_INPUTS, REST_OUTPUTS } from './spec/index.js';
import { showRestExchange } from './show-exchange.js';

/** The REST task: `this.task('REST', inputs)`. */
export const restTask: TaskDefinition<RestRequest, RestOutputs> = {
  type: TASK,
  normalize: normalizeRest,
  run: performRest,
  describe: (request) => `${request.method} ${request.url.href}`,
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
