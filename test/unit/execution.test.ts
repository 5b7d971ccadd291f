import { expect } from 'chai';
import {
  run,
  untyped,
  realClock,
  VirtualClock,
  DependencyFailedError,
  InvalidInputError,
  ExtraInputError,
  MemoryStore,
  STATUS,
  type Execution,
  type System,
} from '../helpers/lib.js';
import { testRegistry } from '../helpers/tasks.js';

const registry = testRegistry();
const opts = { registry };

describe('execution model', () => {
  describe('handlers', () => {
    it('binds this to the flow and passes (system, execution, inputs)', async () => {
      let seen: unknown[] = [];
      const record = await run(
        async function (this: Execution, system: System, execution: Execution, inputs: Record<string, unknown>) {
          seen = [this === execution, typeof system.setting, inputs.x];
        },
        { ...opts, inputs: { x: 42 } },
      );
      expect(seen).to.deep.equal([true, 'function', 42]);
      expect(record.status).to.equal('ENDED_SUCCESS');
      expect(record.input_value).to.deep.equal({ x: 42 });
    });

    it('accepts an arrow function taking (system, execution, inputs)', async () => {
      const record = await run(async (_system, execution, inputs) => execution.set_output('double', (inputs.n as number) * 2), { ...opts, inputs: { n: 4 } });
      expect(record.output_value).to.deep.equal({ double: 8 });
    });

    it('ends ENDED_ERROR with the message of an error the handler throws, and its stack in the log', async () => {
      const record = await run(() => {
        throw new Error('boom');
      }, opts);
      expect(record.status).to.equal('ENDED_ERROR');
      expect(record.message).to.equal('boom');
      expect(JSON.stringify(record.log)).to.include('Error: boom');
    });

    it('describes a non-Error the handler throws', async () => {
      const record = await run(() => {
        throw 'just a string';
      }, opts);
      expect(record.status).to.equal('ENDED_ERROR');
      expect(record.message).to.equal('the handler threw a non-Error value: the string "just a string"');
      const other = await run(() => {
        throw { code: 7 };
      }, opts);
      expect(other.message).to.equal('the handler threw a non-Error value: the object {"code":7}');
    });
  });

  describe('success(), error() and end()', () => {
    it('end the execution at once: code after them does not run', async () => {
      let after = false;
      const record = await run(function (this: Execution) {
        this.success('all good');
        after = true;
      }, opts);
      expect(after).to.equal(false);
      expect(record.status).to.equal('ENDED_SUCCESS');
      expect(record.message).to.equal('all good');
    });

    it('cannot be swallowed by a catch, and finally blocks still run', async () => {
      let finallyRan = false;
      const record = await run(function (this: Execution) {
        try {
          this.error('stop here');
        } catch {
          // a habitual catch-all: the outcome is already fixed
        } finally {
          finallyRan = true;
        }
      }, opts);
      expect(finallyRan).to.equal(true);
      expect(record.status).to.equal('ENDED_ERROR');
      expect(record.message).to.equal('stop here');
    });

    it('keeps the first outcome: later calls on the ended execution throw the same signal', async () => {
      const thrown: unknown[] = [];
      const record = await run(async function (this: Execution) {
        try {
          this.success('first');
        } catch (signal) {
          for (const call of [() => this.error('second'), () => this.log('x'), () => this.set_output('k', 1)]) {
            try {
              call();
            } catch (again) {
              thrown.push(again === signal);
            }
          }
          await this.task('WAIT', {}).catch((again: unknown) => thrown.push(again === signal));
          throw new Error('thrown after success', { cause: signal });
        }
      }, opts);
      expect(thrown).to.deep.equal([true, true, true, true]);
      expect(record.status).to.equal('ENDED_SUCCESS');
      expect(record.message).to.equal('first');
      expect(record.children).to.have.length(0);
    });

    it('end() sets any end status', async () => {
      const record = await run(function (this: Execution) {
        this.end(STATUS.ENDED_CANCELLED, 'nothing to do');
      }, opts);
      expect(record.status).to.equal('ENDED_CANCELLED');
      expect(record.message).to.equal('nothing to do');
    });
  });

  describe('tasks', () => {
    it('task() waits for the task and returns it with its outputs', async () => {
      let outputs: unknown;
      let status: unknown;
      // Read inside the handler, asserted outside: an assertion that fails in a handler only fails the flow.
      const record = await run(async function (this: Execution) {
        const task = await this.task('WAIT', { ms: 5, value: 'hello' });
        outputs = task.get('output_value').value;
        status = task.get('status');
      }, opts);
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
      expect(outputs).to.equal('hello');
      expect(status).to.equal('ENDED_SUCCESS');
    });

    it('throws DependencyFailedError carrying the failed child, which the flow can catch', async () => {
      let caught: DependencyFailedError | undefined;
      const record = await run(async function (this: Execution) {
        try {
          await this.task('FAIL', { message: 'it broke' }, { name: 'breaker' });
        } catch (error) {
          caught = error as DependencyFailedError;
        }
      }, opts);
      expect(caught).to.be.instanceOf(DependencyFailedError);
      expect(caught!.execution.get('status')).to.equal('ENDED_ERROR');
      expect(caught!.execution.get('output_value')).to.deep.equal({ partial: true });
      expect(caught!.message).to.match(/^task FAIL "breaker" \(.+\) ended ENDED_ERROR: it broke$/);
      expect(record.status).to.equal('ENDED_SUCCESS');
      expect(record.children[0]!.status).to.equal('ENDED_ERROR');
    });

    it('fails the flow with a message naming the child, its type and its message when not caught', async () => {
      const record = await run(async function (this: Execution) {
        await this.task('FAIL', { message: 'upstream down' });
      }, opts);
      expect(record.status).to.equal('ENDED_ERROR');
      expect(record.message).to.match(/task FAIL \(.+\) ended ENDED_ERROR: upstream down/);
    });

    it('wait: ALL_ENDED waits without throwing when the task fails', async () => {
      let status: string | undefined;
      await run(async function (this: Execution, system: System) {
        const task = await this.task('FAIL', {}, { wait: system.return_when.ALL_ENDED });
        status = task.get('status');
      }, opts);
      expect(status).to.equal('ENDED_ERROR');
    });

    it('run: false returns the task unstarted; run() starts it and waits', async () => {
      const statuses: string[] = [];
      const record = await run(async function (this: Execution) {
        const task = await this.task('WAIT', { value: 1 }, { run: false });
        statuses.push(task.get('status'));
        await task.run();
        statuses.push(task.get('status'));
      }, opts);
      expect(statuses).to.deep.equal(['NOT_STARTED', 'ENDED_SUCCESS']);
      expect(record.children).to.have.length(1);
    });

    it('wait: false starts tasks that really run concurrently; wait_for() joins them', async () => {
      const started = Date.now();
      let elapsed = 0;
      const record = await run(async function (this: Execution) {
        const tasks = await Promise.all([1, 2, 3, 4].map((v) => this.task('WAIT', { ms: 150, value: v }, { wait: false })));
        expect(tasks.every((t) => t.get('status') === 'RUNNING')).to.equal(true);
        await this.wait_for(...tasks);
        elapsed = Date.now() - started;
      }, opts);
      expect(record.children.map((c) => c.status)).to.deep.equal(Array(4).fill('ENDED_SUCCESS'));
      // Four 150 ms tasks one after another would take 600 ms.
      expect(elapsed).to.be.below(450);
    });

    it('run_async() and wait() start and join an unstarted task', async () => {
      let value: unknown;
      await run(async function (this: Execution) {
        const task = await this.task('WAIT', { value: 'later' }, { run: false });
        task.run_async();
        await task.wait();
        value = task.get('output_value').value;
      }, opts);
      expect(value).to.equal('later');
    });

    it('wait_for() with ALL_SUCCEEDED throws at the first failure without waiting for the slowest', async () => {
      let caught: unknown;
      let elapsed = 0;
      await run(async function (this: Execution) {
        const slow = await this.task('WAIT', { ms: 400 }, { wait: false });
        const failing = await this.task('FAIL', { ms: 10 }, { wait: false });
        const started = Date.now();
        try {
          await this.wait_for(slow, failing);
        } catch (error) {
          caught = error;
          elapsed = Date.now() - started;
        }
      }, opts);
      expect(caught).to.be.instanceOf(DependencyFailedError);
      expect((caught as DependencyFailedError).execution.get('type')).to.equal('FAIL');
      expect(elapsed).to.be.below(300);
    });

    it('wait_for() with ALL_ENDED returns every child whatever its outcome', async () => {
      let statuses: string[] = [];
      await run(async function (this: Execution, system: System) {
        const a = await this.task('WAIT', { ms: 20 }, { wait: false });
        const b = await this.task('FAIL', {}, { wait: false });
        const ended = await this.wait_for(a, b, { return_when: system.return_when.ALL_ENDED });
        statuses = ended.map((e: Execution) => e.get('status'));
      }, opts);
      expect(statuses).to.deep.equal(['ENDED_SUCCESS', 'ENDED_ERROR']);
    });

    it('wait_for() with FIRST_ENDED returns as soon as one has ended; children still running at the end are cancelled', async () => {
      let first: string[] = [];
      const record = await run(async function (this: Execution, system: System) {
        const fast = await this.task('WAIT', { ms: 10, value: 'fast' }, { wait: false, name: 'fast' });
        const slow = await this.task('WAIT', { ms: 5000, value: 'slow' }, { wait: false, name: 'slow' });
        const ended = await this.wait_for(fast, slow, { return_when: system.return_when.FIRST_ENDED });
        first = ended.map((e) => e.get('name'));
      }, opts);
      expect(first).to.deep.equal(['fast']);
      const slow = record.children.find((c) => c.name === 'slow')!;
      expect(slow.status).to.equal('ENDED_CANCELLED');
      expect(slow.message).to.include('its parent flow');
      expect(record.duration).to.be.below(2);
    });

    it('names the known task types for an unknown one', async () => {
      const record = await run(async function (this: Execution) {
        await this.task(untyped('RESTT'), {});
      }, opts);
      expect(record.status).to.equal('ENDED_ERROR');
      expect(record.message).to.equal('unknown task type "RESTT"; known task types: FAIL, REST, WAIT');
      const lower = await run(async function (this: Execution) {
        await this.task(untyped('rest'), {});
      }, opts);
      expect(lower.message).to.equal('unknown task type "rest" (did you mean "REST"?); known task types: FAIL, REST, WAIT');
    });

    it('throws input errors at the task() call and still records the rejected task', async () => {
      let caught: unknown;
      const record = await run(async function (this: Execution) {
        try {
          await this.task('WAIT', { ms: 1, valu: 2 } as never);
        } catch (error) {
          caught = error;
        }
      }, opts);
      expect(caught).to.be.instanceOf(ExtraInputError);
      expect((caught as Error).message).to.equal('unknown WAIT input "valu" (did you mean "value"?); valid inputs are: ms, value');
      expect(record.children[0]!.status).to.equal('ENDED_ERROR');
      expect(record.children[0]!.message).to.equal((caught as Error).message);
    });

    it('rejects unknown task() options', async () => {
      const record = await run(async function (this: Execution) {
        await this.task('WAIT', {}, { wiat: false } as never);
      }, opts);
      expect(record.message).to.equal('unknown task() option "wiat" (did you mean "wait"?); valid options are: run, wait, name, init');
    });
  });

  describe('child flows', () => {
    it('flow() runs another handler as a child flow with its own record and outputs', async () => {
      const child = async function (this: Execution, _s: System, _e: Execution, inputs: { n: number }) {
        await this.task('WAIT', { value: inputs.n });
        this.set_output('n2', inputs.n * 2);
      };
      let n2: unknown;
      const record = await run(async function (this: Execution) {
        const sub = await this.flow(child, { n: 21 });
        n2 = sub.get('output_value').n2;
      }, opts);
      expect(n2).to.equal(42);
      expect(record.children[0]!.kind).to.equal('flow');
      expect(record.children[0]!.children[0]!.type).to.equal('WAIT');
    });

    it('a child flow that calls error() fails its parent with DependencyFailedError', async () => {
      const record = await run(async function (this: Execution) {
        await this.flow(function child(this: Execution) {
          this.error('child says no');
        });
      }, opts);
      expect(record.status).to.equal('ENDED_ERROR');
      expect(record.message).to.match(/flow <function child> "child" .* ended ENDED_ERROR: child says no/);
    });
  });

  describe('fields, outputs and logs', () => {
    it('get() reads one field or a tuple of fields', async () => {
      let tuple: unknown;
      let duration: unknown;
      const record = await run(async function (this: Execution) {
        const task = await this.task('WAIT', { value: 3 });
        tuple = task.get('status', 'type', 'input_value');
        duration = task.get('duration');
      }, opts);
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
      expect(tuple).to.deep.equal(['ENDED_SUCCESS', 'WAIT', { value: 3 }]);
      expect(duration).to.be.a('number');
    });

    it('load() reads fresh from the store; save() and set_output() persist at once', async () => {
      const store = new MemoryStore();
      let loaded: unknown;
      const record = await run(
        async function (this: Execution) {
          this.set_output('a', 1);
          this.save({ message: 'halfway', name: 'renamed' });
          loaded = await this.load('output_value', 'message', 'name');
          this.save({ output_value: { b: 2 } });
        },
        { ...opts, store },
      );
      expect(loaded).to.deep.equal([{ a: 1 }, 'halfway', 'renamed']);
      expect(record.output_value).to.deep.equal({ b: 2 });
      expect(record.name).to.equal('renamed');
    });

    it('load() of a running task sees what it wrote, though tasks write to the store behind', async () => {
      let seen: unknown[] = [];
      await run(
        async function (this: Execution, system) {
          const task = await this.task('FAIL', { ms: 300 }, { wait: false });
          await new Promise((resolve) => setTimeout(resolve, 30)); // well inside the 200 ms write-behind
          seen = [system.execution(task.execution_id).load('output_value'), await task.load('output_value')];
          await this.wait_for(task, { return_when: system.return_when.ALL_ENDED });
        },
        { ...opts, store: new MemoryStore() },
      );
      expect(seen).to.deep.equal([{ partial: true }, { partial: true }]);
    });

    it('get() of an unknown field says which fields exist', async () => {
      const record = await run(async function (this: Execution) {
        this.get('outputs' as never);
      }, opts);
      expect(record.message).to.match(/^unknown execution field the string "outputs"; fields are: execution_id, parent_id, output_value/);
    });

    it('log() stores Cloudomation-style {timestamp: [values]} entries, masking secret-named values', async () => {
      const record = await run(function (this: Execution) {
        this.log('hello', { n: 1, password: 'hunter22' });
      }, opts);
      const [timestamp, values] = Object.entries(record.log[0]!)[0]!;
      expect(new Date(timestamp).toISOString()).to.equal(timestamp);
      expect(values).to.deep.equal(['hello', { n: 1, password: '***' }]);
    });

    it("sleep() pauses on the run's clock and records it: real time waits, a virtual clock skips the wait but counts it", async () => {
      const started = Date.now();
      const real = await run(
        async function (this: Execution) {
          await this.sleep(0.05);
        },
        { ...opts, clock: realClock },
      );
      expect(Date.now() - started).to.be.at.least(45);
      expect(JSON.stringify(real.log)).to.include('sleeping 0.05 s');
      const clock = new VirtualClock();
      const before = Date.now();
      const virtual = await run(
        async function (this: Execution) {
          await this.sleep(60);
        },
        { ...opts, clock },
      );
      expect(Date.now() - before).to.be.below(500);
      expect(clock.skipped).to.equal(60_000);
      expect(virtual.duration).to.be.at.least(60);
    });

    it('sleep() refuses a negative or non-numeric duration', async () => {
      const record = await run(async function (this: Execution) {
        await this.sleep(-1);
      }, opts);
      expect(record.message).to.equal('sleep() takes a number of seconds >= 0, got the number -1');
    });
  });

  describe('system', () => {
    it('setting() keeps JSON values across runs on the same store', async () => {
      const store = new MemoryStore();
      await run((system) => void system.setting('counter').save({ value: { n: 1 } }), { ...opts, store });
      let value: unknown;
      let exists: boolean[] = [];
      await run(
        (system) => {
          const setting = system.setting('counter');
          value = setting.get('value');
          exists = [setting.exists(), system.setting('nope').exists()];
          setting.delete();
        },
        { ...opts, store },
      );
      expect(value).to.deep.equal({ n: 1 });
      expect(exists).to.deep.equal([true, false]);
      expect(store.getSetting('counter')).to.equal(undefined);
    });

    it('execution(id) loads another execution and waits for it', async () => {
      let loaded: unknown;
      await run(async function (this: Execution, system: System) {
        const task = await this.task('WAIT', { ms: 30, value: 'v' }, { wait: false });
        const ref = system.execution(task.execution_id);
        const record = await ref.wait();
        loaded = [record.status, ref.load('type')];
      }, opts);
      expect(loaded).to.deep.equal(['ENDED_SUCCESS', 'WAIT']);
    });

    it('execution() of an unknown id is a clear error', async () => {
      const record = await run((system) => void system.execution('no-such-id'), opts);
      expect(record.message).to.equal('no execution with id "no-such-id" in the store :memory:');
    });
  });

  describe('cancellation', () => {
    it('aborting the run signal cancels the flow and its running tasks', async () => {
      const abort = new AbortController();
      setTimeout(() => abort.abort(new Error('operator stop')), 50);
      const record = await run(
        async function (this: Execution) {
          await this.task('WAIT', { ms: 5000 });
        },
        { ...opts, signal: abort.signal },
      );
      expect(record.status).to.equal('ENDED_CANCELLED');
      expect(record.message).to.equal('cancelled: operator stop');
      expect(record.children[0]!.status).to.equal('ENDED_CANCELLED');
      expect(record.duration).to.be.below(1);
    });
  });

  describe('bad run() input', () => {
    it('a handler path that does not exist leaves a failed flow record', async () => {
      const record = await run('does/not/exist.ts', opts);
      expect(record.status).to.equal('ENDED_ERROR');
      expect(record.message).to.match(/^handler file "does\/not\/exist.ts" does not exist \(looked for .*does\/not\/exist.ts\)$/);
    });

    it('inputs that are not an object are refused', async () => {
      try {
        await run(() => undefined, { ...opts, inputs: [1] as never });
        expect.fail('should have thrown');
      } catch (error) {
        expect(error).to.be.instanceOf(InvalidInputError);
        expect((error as Error).message).to.equal('run() inputs must be an object, got the list [1]');
      }
    });
  });
});
