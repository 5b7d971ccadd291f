/**
 * Cloudomation's "multipart basic" example, ported line by line:
 *   this.task('REST', url=..., method='POST', multipart={'parts': [{'name': 'field', 'value': 'text'}, {'name': 'file', 'file': 'x.txt'}]})
 */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    await system.file('x.txt').save_text_content('hello from a file');
    const task = await this.task('REST', {
      url: `${api}/upload`,
      method: 'POST',
      expected_status_code: [201],
      multipart: {
        parts: [
          { name: 'field', value: 'text' },
          { name: 'file', file: 'x.txt' },
        ],
      },
    });
    this.set_output('parts', task.get('output_value').json.parts);
  });
}
