/** GET a resource and print (log) its output. `npx flow run examples/get.ts` */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const task = await this.task('REST', { url: `${api}/jokes/random` });
    const { status_code, json } = task.get('output_value');
    this.log('status', status_code, 'joke:', json.value.joke);
    this.set_output('joke', json.value.joke);
  });
}
