/** A multi-line JSON body built from the flow's inputs. `npx flow run examples/json-from-inputs.ts --input customer=ACME --input 'lines=[{"sku":"A1","qty":2}]'` */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

interface OrderInputs {
  api?: string;
  customer?: string;
  lines?: { sku: string; qty: number }[];
}

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: OrderInputs) {
  await withApi(inputs, async (api) => {
    const order = {
      customer: inputs.customer ?? 'ACME',
      lines: (
        inputs.lines ?? [
          { sku: 'A1', qty: 2 },
          { sku: 'B7', qty: 1 },
        ]
      ).map((line, i) => ({ position: i + 1, ...line })),
      note: 'created by flow_api\nsecond line of the note',
    };
    const created = await this.task('REST', { url: `${api}/items`, method: 'post', json: order, expected_status_code: [201] });
    this.set_output('order', created.get('output_value').json);
  });
}
