// The handler from ../shared/API.md. Start the demo API first: `npx tsx examples/demo-api.ts`.
import type { Execution, System } from 'flow_api';

export default async function handler(this: Execution, system: System) {
  const task = await this.task('REST', { url: 'http://127.0.0.1:8080/jokes/random' });
  const joke = task.get('output_value').json.value.joke;
  this.success(joke);
}
