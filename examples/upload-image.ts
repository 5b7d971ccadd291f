/** Upload an image with an explicit content type, as a multipart part and as a raw file body. */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

// A 1x1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    await system.file('pixel.png').save_bytes_content(PNG);
    const part = await this.task('REST', {
      url: `${api}/upload`,
      method: 'post',
      expected_status_code: [201],
      multipart: { parts: [{ name: 'image', file: 'pixel.png', 'content-type': 'image/png' }] },
    });
    const raw = await this.task('REST', { url: `${api}/echo`, method: 'post', file: 'pixel.png', headers: { 'Content-Type': 'image/png' } });
    this.set_output('part', part.get('output_value').json.parts[0]);
    this.set_output('raw_content_type', raw.get('output_value').json.headers['content-type']);
  });
}
