/** The URL from parts: scheme + hostname + port + base_path + path, slashes joined once, params appended. */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const { hostname, port, protocol } = new URL(api);
    // 'jokes/' + '/random' is joined as /jokes/random: one slash, whatever the parts carry.
    const task = await this.task('REST', {
      scheme: protocol === 'https:' ? 'https' : 'http',
      hostname,
      port: Number(port),
      base_path: 'jokes/',
      path: '/random',
      params: { lang: 'en', safe: true },
    });
    this.set_output('url', task.get('output_value').url);
    this.set_output('type', task.get('output_value').json.type);
  });
}
