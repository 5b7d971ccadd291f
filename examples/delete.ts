/** DELETE the resource whose id is an input. `npx flow run examples/delete.ts --input id=1` */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string; id?: number }) {
  await withApi(inputs, async (api) => {
    // Make sure there is something to delete when the example runs on its own.
    const id = inputs.id ?? (await this.task('REST', { url: `${api}/items`, method: 'post', json: { name: 'to delete' } })).get('output_value').json.id;
    const deleted = await this.task('REST', { url: `${api}/items/${id}`, method: 'delete' });
    this.set_output('status_code', deleted.get('output_value').status_code); // 204 No Content
  });
}
