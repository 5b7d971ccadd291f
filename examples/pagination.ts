/** Custom pagination in the handler: follow `next` until there is none. */
import type { Execution, System } from 'flow_api';
import { withApi } from './lib/api.js';

export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { api?: string }) {
  await withApi(inputs, async (api) => {
    const items: unknown[] = [];
    for (let page: number | null = 1; page !== null;) {
      const task = await this.task('REST', { url: `${api}/pages`, params: { page } }, { name: `page ${page}` });
      const { items: pageItems, next } = task.get('output_value').json as { items: unknown[]; next: number | null };
      items.push(...pageItems);
      page = next;
    }
    this.set_output('count', items.length);
    this.set_output('items', items);
  });
}
