/** A flaky endpoint: 503 twice, then 200. The task retries with backoff and records every try. */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string; key?: string }) {
  await withApi(inputs, async (api) => {
    const task = await this.task('REST', { url: `${api}/flaky/${inputs.key ?? 'retries-example'}`, params: { failures: 2 } }, { name: 'flaky endpoint' });
    this.set_output('tries', task.get('output_value').attempts.length);
  });
}
