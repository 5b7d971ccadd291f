/** Timeouts: a slow endpoint within read_timeout succeeds; one slower than it fails with a clear message. */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const timeouts = { connect_timeout: 2, read_timeout: 0.5, total_timeout: 5 };
    const fast = await this.task('REST', { url: `${api}/slow`, params: { ms: 100 }, ...timeouts });
    const slow = await this.task(
      'REST',
      { url: `${api}/slow`, params: { ms: 1000 }, ...timeouts, retry_backoff: { deadline: 0 } },
      { wait: system.return_when.ALL_ENDED },
    );
    this.set_output('fast', fast.get('output_value').json);
    this.set_output('slow_message', slow.get('message'));
  });
}
