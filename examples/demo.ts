/**
 * The demo flow: starts the local demo API, then calls it the way a Cloudomation flow would.
 * Run it with `npm run demo` (or `npx flow run examples/demo.ts`).
 */
import { DependencyFailedError, type Execution, type System } from 'flow_api';
import { startDemoApi } from './demo-api.js';

export default async function handler(this: Execution, system: System) {
  const api = await startDemoApi();
  try {
    const joke = await this.task('REST', { url: `${api.url}/jokes/random` }, { name: 'get a joke' });
    this.log('joke:', joke.get('output_value').json.value.joke);

    const created = await this.task(
      'REST',
      { url: `${api.url}/items`, method: 'post', json: { name: 'demo item', tags: ['a', 'b'] } },
      { name: 'create an item' },
    );
    const id: number = created.get('output_value').json.id;

    // Two reads at once: wait: false starts a task without waiting, wait_for() joins them.
    const byUrl = await this.task('REST', { url: `${api.url}/items/${id}` }, { wait: false, name: 'read by url' });
    const byParts = await this.task(
      'REST',
      { scheme: 'http', hostname: '127.0.0.1', port: api.port, base_path: 'items/', path: `/${id}` },
      { wait: false, name: 'read by url parts' },
    );
    await this.wait_for(byUrl, byParts);

    // 503 once, then 200: the task retries after 1 s and records both tries.
    await this.task('REST', { url: `${api.url}/flaky/demo-${id}`, params: { failures: 1 } }, { name: 'flaky endpoint' });

    try {
      await this.task('REST', { url: `${api.url}/items/999` }, { name: 'read a missing item' });
    } catch (error) {
      if (!(error instanceof DependencyFailedError)) throw error;
      this.log('handled as expected:', error.execution.get('message'));
    }

    const runs = system.setting('demo_runs');
    runs.save({ value: Number(runs.get('value') ?? 0) + 1 });
    this.set_output('joke', joke.get('output_value').json.value.joke);
    this.set_output('item_id', id);
    this.set_output('demo_runs', runs.get('value'));
    this.success(`created item ${id} and read it back`);
  } finally {
    await api.close();
  }
}
