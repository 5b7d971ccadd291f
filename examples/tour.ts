/** The README's five-minute tour handler (its test is test/unit/readme-example.test.ts). */
import type { Execution, System } from 'flow_api';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { id?: number }) {
  const item = await this.task('REST', { url: `https://api.example.com/items/${inputs.id ?? 1}`, read_timeout: 10 });
  this.log('got', item.get('output_value').json);
  this.success(`item ${inputs.id ?? 1} read`);
}
