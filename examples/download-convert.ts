/** Download a CSV, convert it to JSON rows, and save the result as a new file. */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const download = await this.task('REST', { url: `${api}/reports/sales.csv`, dst: 'sales.csv' });
    const csv = await download.get('output_value').file!.get_text_content();
    const [header, ...rows] = csv
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const records = rows.map((cells) => Object.fromEntries(header!.map((name, i) => [name, /^\d+$/.test(cells[i]!) ? Number(cells[i]) : cells[i]])));
    const json = system.file('sales.json');
    await json.save_text_content(JSON.stringify(records, null, 2));
    this.set_output('rows', records.length);
    this.set_output(
      'total',
      records.reduce((sum, r) => sum + (r.amount as number), 0),
    );
  });
}
