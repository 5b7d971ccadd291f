/** Multipart upload of a file from the flow's files folder, with its own name and with a custom file name. */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    await system.file('notes.txt').save_text_content('line one\nline two\n');
    const plain = await this.task('REST', {
      url: `${api}/upload`,
      method: 'post',
      expected_status_code: [201],
      multipart: { parts: [{ name: 'document', file: 'notes.txt' }] },
    });
    const renamed = await this.task('REST', {
      url: `${api}/upload`,
      method: 'post',
      expected_status_code: [201],
      multipart: {
        parts: [
          { name: 'comment', value: 'uploaded by flow_api' },
          { name: 'document', file: 'notes.txt', filename: 'meeting-notes.txt' },
        ],
      },
    });
    this.set_output('plain', plain.get('output_value').json.parts);
    this.set_output('renamed', renamed.get('output_value').json.parts);
  });
}
