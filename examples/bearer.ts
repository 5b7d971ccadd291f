/** A bearer token from the secret DEMO_API_TOKEN, sent as `Authorization: Bearer ...` and never recorded. */
import type { Execution, System } from 'flow_api';
import { DEMO_TOKEN } from './demo-api.js';
import { secretOr, withApi } from './lib/api.js';

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const me = await this.task('REST', { url: `${api}/auth/bearer`, auth: { type: 'bearer', token: secretOr(system, 'DEMO_API_TOKEN', DEMO_TOKEN) } });
    this.set_output('me', me.get('output_value').json);
  });
}
