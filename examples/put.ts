/** PUT a whole resource (create or replace item 42). `npx flow run examples/put.ts` */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string; id?: number }) {
  await withApi(inputs, async (api) => {
    const id = inputs.id ?? 42;
    const put = await this.task('REST', { url: `${api}/items/${id}`, method: 'put', json: { name: 'desk', price: 99 } });
    this.set_output('item', put.get('output_value').json);
  });
}
