/**
 * A FormData body (Kestra's `formData`, and what a TypeScript user reaches for first): a text
 * field and a file, sent as a browser sends a form, the file streamed from disk.
 */
import { openAsBlob } from 'node:fs';
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const notes = await system.file('notes.txt').save_text_content('meeting notes, page 1');
    const form = new FormData();
    form.append('title', 'weekly sync');
    form.append('attachment', await openAsBlob(notes.path, { type: 'text/plain' }), 'notes.txt');
    const task = await this.task('REST', { url: `${api}/upload`, method: 'post', multipart: form, expected_status_code: [201] });
    this.set_output('content_type', String(task.get('output_value').json.content_type).replace(/boundary=.*/, 'boundary=…'));
    this.set_output('parts', task.get('output_value').json.parts);
  });
}
