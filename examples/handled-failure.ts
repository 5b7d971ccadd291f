/** A failing task the flow expects: it catches DependencyFailedError and reads the failed task's record. */
import { DependencyFailedError, type Execution, type System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    try {
      await this.task('REST', { url: `${api}/items/404` }, { name: 'missing item' });
      this.error('the item should not exist');
    } catch (error) {
      if (!(error instanceof DependencyFailedError)) throw error;
      this.set_output('status_code', error.execution.get('output_value').status_code);
      this.success('the missing item was handled');
    }
  });
}
