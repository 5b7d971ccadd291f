/** An API key in a header (`X-API-Key`), from the secret DEMO_API_KEY. */
import type { Execution, System } from 'flow_api';
import { DEMO_API_KEY } from './demo-api.js';
import { secretOr, withApi } from './lib/api.js';

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const task = await this.task('REST', {
      url: `${api}/auth/key`,
      auth: { type: 'api_key', name: 'X-API-Key', value: secretOr(system, 'DEMO_API_KEY', DEMO_API_KEY) },
    });
    this.set_output('result', task.get('output_value').json);
  });
}
