/** Download a CSV export to a file, then upload that file to another endpoint. */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const download = await this.task('REST', { url: `${api}/reports/sales.csv`, response_type: 'file' });
    const file = download.get('output_value').file!; // named from Content-Disposition: sales-2026.csv
    const upload = await this.task('REST', {
      url: `${api}/upload`,
      method: 'post',
      expected_status_code: [201],
      multipart: { parts: [{ name: 'report', file }] },
    });
    this.set_output('downloaded', { name: file.name, size: file.size, sha256: file.sha256 });
    this.set_output('uploaded', upload.get('output_value').json.parts[0]);
  });
}
