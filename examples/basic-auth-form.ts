/**
 * Basic authentication with a form body. The password comes from the secret DEMO_PASSWORD
 * (`FLOW_SECRET_DEMO_PASSWORD` or `.flow/secrets.env`); it is masked in every record and log.
 */
import type { Execution, System } from 'flow_api';
import { DEMO_PASSWORD, DEMO_USER } from './demo-api.js';
import { secretOr, withApi } from './lib/api.js';

export default async function handler(this: Execution, system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const login = await this.task('REST', {
      url: `${api}/auth/basic`,
      method: 'post',
      auth: { type: 'basic', username: DEMO_USER, password: secretOr(system, 'DEMO_PASSWORD', DEMO_PASSWORD) },
      urlencoded: { remember: 'yes', scope: 'reports' },
    });
    this.set_output('response', login.get('output_value').json);
  });
}
