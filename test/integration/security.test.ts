/**
 * Hostile servers and careless inputs: what a server or an input can do to a flow, its records
 * and the machine it runs on, tried against real servers on 127.0.0.1.
 */
import { expect } from 'chai';
import { InvalidInputError, MemoryStore, run, TaskRegistry, restTaskForTests, type Execution, type ExecutionTree, type RestOutputs, type TaskDefinition } from '../helpers/lib.js';
import { startServer, type TestServer } from '../helpers/server.js';

const outputs = (task: ExecutionTree) => task.output_value as unknown as RestOutputs;

describe('security: hostile servers and careless inputs', function () {
  this.timeout(20_000);
  let server: TestServer;
  afterEach(async () => server?.close());

  describe('no response shape leaves a record unfinished', () => {
    it('a JSON response nested 5000 levels deep: the handler reads it, the record keeps a note, the task ends', async () => {
      const depth = 5000;
      server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`);
      });
      let reached = '';
      const store = new MemoryStore();
      const record = await run(async function (this: Execution) {
        const task = await this.task('REST', { url: `${server.url}/deep` });
        let value = task.get('output_value').json;
        while (Array.isArray(value)) value = value[0];
        reached = value;
      }, { store });
      expect(reached).to.equal('bottom');
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
      const task = record.children[0]!;
      expect(task.status).to.equal('ENDED_SUCCESS');
      expect(JSON.stringify(outputs(task).json)).to.include('[nested deeper than 512 levels: not recorded]');
      expect(store.get(task.execution_id)!.status).to.equal('ENDED_SUCCESS');
    });

    it('a json input that contains itself is an input error naming where, not a stack overflow', async () => {
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = { back: cyclic };
      let caught: unknown;
      const record = await run(async function (this: Execution) {
        try {
          await this.task('REST', { url: 'http://127.0.0.1:9/x', method: 'post', json: cyclic });
        } catch (error) {
          caught = error;
        }
      });
      expect(caught).to.be.instanceOf(InvalidInputError);
      expect((caught as Error).message).to.equal('REST input "json.self.back" contains itself (a cycle), which JSON cannot encode');
      expect(record.children[0]!.status).to.equal('ENDED_ERROR');
    });

    it('an output that cannot be recorded ends the task ENDED_ERROR, naming the task and the cause', async () => {
      const broken: TaskDefinition<{ value: number }, Record<string, unknown>> = {
        type: 'BROKEN',
        normalize: () => ({ value: 1 }),
        describe: () => 'returning an unrecordable output',
        run: async () => ({ ok: { toJSON: () => { throw new Error('this object refuses to be JSON'); } } }),
      };
      const store = new MemoryStore();
      const record = await run(async function (this: Execution) {
        await this.task('BROKEN', {}, { wait: 'ALL_ENDED' });
        this.set_output('after', 'the flow went on');
      }, { store, registry: new TaskRegistry().register(restTaskForTests).register(broken) });
      const task = record.children[0]!;
      expect(task.status).to.equal('ENDED_ERROR');
      expect(task.message).to.match(/^recording the end of task BROKEN \([0-9a-f-]{36}\) returning an unrecordable output failed: this object refuses to be JSON$/);
      expect(record.output_value).to.deep.equal({ after: 'the flow went on' });
    });
  });
});
