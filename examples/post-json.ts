/** POST a JSON body taken from an input. `npx flow run examples/post-json.ts --input name=lamp --input price=12.5` */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string; name?: string; price?: number }) {
  await withApi(inputs, async (api) => {
    const created = await this.task('REST', {
      url: `${api}/items`,
      method: 'post',
      json: { name: inputs.name ?? 'lamp', price: inputs.price ?? 12.5 },
      expected_status_code: [201],
    });
    this.set_output('item', created.get('output_value').json);
  });
}
