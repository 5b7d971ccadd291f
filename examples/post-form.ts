/** POST form data (`application/x-www-form-urlencoded`). */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const task = await this.task('REST', { url: `${api}/echo`, method: 'post', urlencoded: { name: 'Ada Lovelace', tags: ['math', 'engines'] } });
    const echoed = task.get('output_value').json;
    this.set_output('content_type', echoed.headers['content-type']);
    this.set_output('body', echoed.body);
  });
}
