/**
 * Cloudomation's "multipart full" example: a custom boundary, multipart/mixed, and every part
 * header set, replaced or left out (`false`).
 */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    await system.file('data.json').save_text_content('{"a": 1}');
    const task = await this.task('REST', {
      url: `${api}/upload`,
      method: 'post',
      expected_status_code: [201],
      multipart: {
        boundary: 'flow-api-boundary',
        'content-type': 'multipart/mixed',
        parts: [
          { name: 'metadata', value: '{"kind": "report"}', 'content-type': 'application/json' },
          { name: 'attachment', file: 'data.json', filename: 'report.json', 'content-type': 'application/json', 'content-length': true },
          { name: 'raw', value: 'no headers but the disposition', 'content-type': false },
        ],
      },
    });
    const out = task.get('output_value').json;
    this.set_output('content_type', out.content_type);
    this.set_output('parts', out.parts);
  });
}
