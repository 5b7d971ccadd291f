/**
 * Type tests: mistakes the types must catch at compile time. Compiled by `tsc` in `npm test`
 * (each `@ts-expect-error` line must be an error, or tsc fails), never run.
 */
import { rerun, resume, untyped, type Execution, type ExecutionTree, type RestOutputs, type RestInputs, type RestAttempt } from 'flow_api';

export async function taskTypes(this: Execution): Promise<void> {
  // @ts-expect-error a task type that is not registered is a compile error
  await this.task('RSET', { url: 'https://h/' });
  // ...unless the caller opts into an untyped call.
  await this.task(untyped('MY_TASK'), { anything: 1 });

  // @ts-expect-error FETCH is not an HTTP method
  await this.task('REST', { url: 'https://h/', method: 'FETCH' });
  await this.task('REST', { url: 'https://h/', method: 'post' });
  await this.task('REST', { url: 'https://h/', method: 'PATCH' });

  // @ts-expect-error an unknown input
  await this.task('REST', { urll: 'https://h/' });
  // @ts-expect-error retry_backoff fields are numbers of seconds
  await this.task('REST', { url: 'https://h/', retry_backoff: { initial: '1' } });
  // @ts-expect-error basic auth needs a password
  await this.task('REST', { url: 'https://h/', auth: { type: 'basic', username: 'ada' } });
  // @ts-expect-error a part's content-length is a number or a boolean
  await this.task('REST', { url: 'https://h/', method: 'post', multipart: { parts: [{ name: 'a', value: 'b', 'content-length': 'ten' }] } });
  // @ts-expect-error the scheme is http or https
  await this.task('REST', { hostname: 'h', scheme: 'ftp' });
  await this.task('REST', { url: 'https://h/', auth: { type: 'bearer', token: { secret: 'TOKEN' } } });
}

export async function restOutputs(this: Execution): Promise<void> {
  const task = await this.task('REST', { url: 'https://h/' });
  const outputs: RestOutputs = task.get('output_value');
  const inputs: RestInputs = task.get('input_value');
  // json is `any` on purpose: the server's shape.
  const id: number = outputs.json.items[0].id;
  const attempts: RestAttempt[] = outputs.attempts;
  // @ts-expect-error status_code is a number
  const status: string = outputs.status_code;
  // @ts-expect-error no such output
  void outputs.body;
  void [inputs, id, attempts, status];
}

export async function waitFor(this: Execution): Promise<void> {
  const a = await this.task('REST', { url: 'https://h/a' }, { wait: false });
  const b = await this.task('WAIT', { ms: 1 }, { wait: false });
  const [first, second] = await this.wait_for(a, b);
  const restOut: RestOutputs = first.get('output_value');
  const waited: { value: unknown; ended_at: number } = second.get('output_value');
  // @ts-expect-error the tuple holds two executions
  const [, , third] = await this.wait_for(a, b);
  const ended = await this.wait_for(a, b, { return_when: 'ALL_ENDED' });
  const [x] = ended;
  const again: RestOutputs = x.get('output_value');
  // FIRST_ENDED returns those that ended: a list, not a tuple.
  const some = await this.wait_for(a, b, { return_when: 'FIRST_ENDED' });
  const count: number = some.length;
  void [restOut, waited, third, again, count];
}

export async function durable(this: Execution): Promise<void> {
  // Values journaled for resume, and a patch guard.
  const when: Date = this.now();
  const id: string = this.uuid();
  const n: number = this.random();
  if (this.patched('v2')) void [when, id, n];
  // @ts-expect-error idempotency_key is a string or true
  await this.task('REST', { url: 'https://h/', method: 'post', idempotency_key: 7 });
  await this.task('REST', { url: 'https://h/', method: 'post', idempotency_key: true });
  const resumed: ExecutionTree = await resume('run-id', { store: ':memory:', resend: ['4'], skip: { '2.1': { status_code: 201 } } });
  // @ts-expect-error --skip takes the outputs as an object
  await resume('run-id', { skip: { '4': 'done' } });
  const again: ExecutionTree = await rerun('run-id', 3);
  void [resumed, again];
}
