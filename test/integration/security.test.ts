/**
 * Hostile servers and careless inputs: what a server or an input can do to a flow, its records
 * and the machine it runs on, tried against real servers on 127.0.0.1.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  InvalidInputError,
  MemoryStore,
  run,
  TaskRegistry,
  restTaskForTests,
  untyped,
  realClock,
  type System,
  type Execution,
  type ExecutionTree,
  type RestOutputs,
  type TaskDefinition,
} from '../helpers/lib.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

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
      const record = await run(
        async function (this: Execution) {
          const task = await this.task('REST', { url: `${server.url}/deep` });
          let value = task.get('output_value').json;
          while (Array.isArray(value)) value = value[0];
          reached = value;
        },
        { store },
      );
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
        run: async () => ({
          ok: {
            toJSON: () => {
              throw new Error('this object refuses to be JSON');
            },
          },
        }),
      };
      const store = new MemoryStore();
      const record = await run(
        async function (this: Execution) {
          await this.task(untyped('BROKEN'), {}, { wait: 'ALL_ENDED' });
          this.set_output('after', 'the flow went on');
        },
        { store, registry: new TaskRegistry().register(restTaskForTests).register(broken) },
      );
      const task = record.children[0]!;
      expect(task.status).to.equal('ENDED_ERROR');
      expect(task.message).to.match(
        /^recording the end of task BROKEN \([0-9a-f-]{36}\) returning an unrecordable output failed: this object refuses to be JSON$/,
      );
      expect(record.output_value).to.deep.equal({ after: 'the flow went on' });
    });
  });

  describe('the file input cannot reach files outside the files folder', () => {
    let dir: TempDir;
    let filesDir: string;
    beforeEach(() => {
      dir = tempDir('flow-security-files-');
      filesDir = join(dir.path, 'files');
      mkdirSync(filesDir);
      dir.write('outside/secret.txt', 'the contents of a file outside');
    });
    afterEach(() => dir.cleanup());

    async function messageOf(body: (this: Execution, system: System) => Promise<unknown>): Promise<string> {
      let message = '';
      await run(
        async function (this: Execution, system) {
          try {
            await body.call(this, system);
            message = 'no error';
          } catch (error) {
            message = (error as Error).message;
          }
        },
        { filesDir },
      );
      return message;
    }

    it('a plain { name, path } object (as --inputs-json can give) is an input error, not a file', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      const message = await messageOf(function () {
        return this.task('REST', { url: `${server.url}/up`, method: 'post', file: { name: 'x', path: join(dir.path, 'outside/secret.txt') } as never });
      });
      expect(message).to.match(
        /^REST input "file" must be a file name in the files folder or a FlowFile from system\.file\(\); an object with a "path" is not accepted, since it could name any file on the machine \(use its "name"\), got the object /,
      );
      expect(server.requests).to.have.length(0);
    });

    it('a symbolic link inside the folder that points outside is refused for reading, writing and downloads', async () => {
      symlinkSync(join(dir.path, 'outside'), join(filesDir, 'link'));
      symlinkSync(join(dir.path, 'outside/secret.txt'), join(filesDir, 'secret.txt'));
      symlinkSync(join(dir.path, 'outside/new.txt'), join(filesDir, 'dangling.txt'));
      server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
      const read = await messageOf(function (system) {
        return system.file('secret.txt').get_text_content();
      });
      expect(read).to.match(
        /^system\.file\(\) name "secret\.txt" leads out of the files folder through a symbolic link \(secret\.txt points to .*outside\/secret\.txt\); files live in /,
      );
      const write = await messageOf(function (system) {
        return system.file('link/planted.txt').save_text_content('x');
      });
      expect(write).to.match(/^system\.file\(\) name "link\/planted\.txt" leads out of the files folder through a symbolic link \(link points to /);
      const dangling = await messageOf(function (system) {
        return system.file('dangling.txt').save_text_content('x');
      });
      expect(dangling).to.match(/^system\.file\(\) name "dangling\.txt" goes through a symbolic link whose target does not exist/);
      const upload = await messageOf(function () {
        return this.task('REST', { url: `${server.url}/up`, method: 'post', file: 'secret.txt' });
      });
      expect(upload).to.match(/^REST input "file" "secret\.txt" leads out of the files folder through a symbolic link/);
      const download = await messageOf(function () {
        return this.task('REST', { url: `${server.url}/down`, dst: 'link/got.json' });
      });
      expect(download).to.match(/^REST input "dst" "link\/got\.json" leads out of the files folder through a symbolic link/);
      expect(readFileSync(join(dir.path, 'outside/secret.txt'), 'utf8')).to.equal('the contents of a file outside');
      expect(server.requests).to.have.length(0);
    });

    it('a download never silently overwrites a file: dst and a name from the server both need "overwrite": true', async () => {
      writeFileSync(join(filesDir, 'report.csv'), 'mine');
      server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="report.csv"' });
        res.end('theirs');
      });
      const byDst = await messageOf(function () {
        return this.task('REST', { url: `${server.url}/a`, dst: 'report.csv' });
      });
      expect(byDst).to.equal(
        'REST input "dst" must be the name of a file that does not exist yet, or "overwrite": true to replace it; "report.csv" is already in the files folder, got the string "report.csv"',
      );
      const byServer = await messageOf(function () {
        return this.task('REST', { url: `${server.url}/b`, response_type: 'file' });
      });
      expect(byServer).to.match(
        /failed: the download would replace "report\.csv", which is already in the files folder; set "overwrite": true to replace it, or choose another name with "dst"$/,
      );
      expect(readFileSync(join(filesDir, 'report.csv'), 'utf8')).to.equal('mine');
      expect(
        await messageOf(function () {
          return this.task('REST', { url: `${server.url}/c`, dst: 'report.csv', overwrite: true });
        }),
      ).to.equal('no error');
      expect(readFileSync(join(filesDir, 'report.csv'), 'utf8')).to.equal('theirs');
    });
  });

  describe('durations cannot overflow a timer', () => {
    it('a timeout or deadline above 7 days is an input error naming the input and the bound', async () => {
      const messages: string[] = [];
      await run(async function (this: Execution) {
        for (const inputs of [
          { read_timeout: 1e12 },
          { connect_timeout: 604801 },
          { retry_backoff: { deadline: 1e9 } },
          { retry_backoff: { multiplier: 1e6 } },
        ]) {
          try {
            await this.task('REST', { url: 'http://127.0.0.1:9/x', ...inputs });
          } catch (error) {
            messages.push((error as Error).message);
          }
        }
      });
      expect(messages).to.deep.equal([
        'REST input "read_timeout" must be a number of seconds from 0 to 604800 (7 days; 0 or null for none), got the number 1000000000000',
        'REST input "connect_timeout" must be a number of seconds from 0 to 604800 (7 days; 0 or null for none), got the number 604801',
        'REST input "retry_backoff.deadline" must be a number from 0 to 604800 seconds (7 days), got the number 1000000000',
        'REST input "retry_backoff.multiplier" must be a number from 1 to 1000, got the number 1000000',
      ]);
    });

    it('a 503 with Retry-After: 99999999 ends the task at once instead of storming the server', async () => {
      server = await startServer((_req, res) => {
        res.writeHead(503, { 'retry-after': '99999999' });
        res.end();
      });
      const started = performance.now();
      const record = await run(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/busy`, retry_backoff: { deadline: 604800 } }, { wait: 'ALL_ENDED' });
      });
      expect(performance.now() - started).to.be.below(2000);
      expect(server.requests).to.have.length(1);
      expect(record.children[0]!.message).to.match(
        /no retry: the server asked to wait 31536000 s \(Retry-After\), which ends after the retry deadline of 604800 s$/,
      );
    });

    it('sleep() longer than a timer can hold waits (here until cancelled) rather than returning at once', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      const record = await run(
        async function (this: Execution) {
          await this.sleep(3e6); // 35 days
        },
        { signal: controller.signal, clock: realClock },
      );
      expect(record.status).to.equal('ENDED_CANCELLED');
      expect(record.duration).to.be.at.least(0.14);
    });
  });

  describe('what the CLI prints from outside cannot drive the terminal', () => {
    let dir: TempDir;
    beforeEach(() => (dir = tempDir('flow-security-terminal-')));
    afterEach(() => dir.cleanup());

    it('escape sequences, CR and bidi overrides in a body and a message are printed escaped by run, show and list', async () => {
      const evil = 'clear\x1b[2J title\x1b]0;pwned\x07 back\rover c1\u009b31m bidi\u202egnp.exe';
      server = await startServer((_req, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(evil);
      });
      const handler = dir.write(
        'evil.ts',
        `export default async function (this: any, _s: any, _e: any, inputs: { url: string }) {
  try {
    await this.task('REST', { url: inputs.url, retry_status_code: [] });
  } catch (error: any) {
    this.log('server said:', error.execution.get('output_value').text);
    this.error(error.message);
  }
}
`,
      );
      const env = { FLOW_DB: join(dir.path, 'executions.db') };
      const outputs = [await runCli(['run', handler, '--input', `url=${server.url}/x`], { env })];
      for (const args of [['show', 'last'], ['show', 'last', '--verbose'], ['list'], ['show', 'last', '--json']]) outputs.push(await runCli(args, { env }));
      const printed = outputs.map((o) => o.stdout + o.stderr).join('\n');
      expect(printed).to.include('clear\\u001b[2J');
      expect(printed).to.include('back\\u000dover');
      for (const raw of ['\x1b', '\r', '\u009b', '\u202e', '\x07']) expect(printed.includes(raw), JSON.stringify(raw)).to.equal(false);
    });
  });

  describe('the opt-in SSRF guard (deny_private_networks)', () => {
    async function tryUrls(urls: string[], options: { deny_private_networks?: boolean; allow_networks?: string[] } = {}): Promise<ExecutionTree[]> {
      const record = await run(
        async function (this: Execution) {
          for (const url of urls) await this.task('REST', { url, retry_backoff: { deadline: 0 } }, { wait: 'ALL_ENDED' });
        },
        { deny_private_networks: true, ...options },
      );
      return record.children;
    }

    it('refuses loopback by address, by name (after DNS) and in every spelling, without sending anything', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, { reached: true }));
      const tasks = await tryUrls([
        `http://127.0.0.1:${server.port}/a`,
        `http://localhost:${server.port}/b`,
        `http://2130706433:${server.port}/c`,
        `http://0177.0.0.1:${server.port}/d`,
        `http://[::ffff:127.0.0.1]:${server.port}/e`,
      ]);
      expect(tasks.map((t) => t.status)).to.deep.equal(Array(5).fill('ENDED_ERROR'));
      expect(tasks[0]!.message).to.equal(
        `REST GET http://127.0.0.1:${server.port}/a failed: 127.0.0.1 is in loopback 127.0.0.0/8, and requests to private networks are refused (FLOW_DENY_PRIVATE_NETWORKS is set); allow it with FLOW_ALLOW_NETWORKS=127.0.0.1 if it is meant to be reached; the request was not sent`,
      );
      expect(tasks[1]!.message).to.include('localhost (127.0.0.1) is in loopback 127.0.0.0/8');
      expect(outputs(tasks[2]!).attempts).to.have.length(1);
      expect(server.requests).to.have.length(0);
    });

    it('checks every redirect hop: an allowed host cannot redirect to a private address', async () => {
      const inner = await startServer((_req, res) => sendJson(res, 200, { reached: 'inner' }));
      server = await startServer((_req, res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${inner.port}/metadata` });
        res.end();
      });
      try {
        const [task] = await tryUrls([`http://localhost:${server.port}/start`], { allow_networks: ['localhost'] });
        expect(server.requests).to.have.length(1);
        expect(inner.requests).to.have.length(0);
        expect(task!.message, task!.message ?? '').to.match(
          new RegExp(
            `failed: 127\\.0\\.0\\.1 is in loopback .*; the request was not sent \\(after a redirect to http://127\\.0\\.0\\.1:${inner.port}/metadata\\)$`,
          ),
        );
      } finally {
        await inner.close();
      }
    });

    it('lets allowed ranges through, and is off unless asked for', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, { reached: true }));
      const [allowed] = await tryUrls([`http://127.0.0.1:${server.port}/ok`], { allow_networks: ['127.0.0.0/8'] });
      expect(allowed!.status).to.equal('ENDED_SUCCESS');
      const [off] = await tryUrls([`http://127.0.0.1:${server.port}/ok`], { deny_private_networks: false });
      expect(off!.status).to.equal('ENDED_SUCCESS');
    });

    it('FLOW_DENY_PRIVATE_NETWORKS=1 turns it on for flow run', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, { reached: true }));
      const dir = tempDir('flow-security-ssrf-');
      try {
        const handler = dir.write(
          'h.ts',
          `export default async function (this: any, _s: any, _e: any, inputs: { url: string }) { await this.task('REST', { url: inputs.url }); }\n`,
        );
        const ran = await runCli(['run', handler, '--quiet', '--input', `url=http://127.0.0.1:${server.port}/x`], {
          env: { FLOW_DB: join(dir.path, 'x.db'), FLOW_DENY_PRIVATE_NETWORKS: '1' },
        });
        expect(ran.code).to.equal(1);
        expect(ran.stdout).to.include('requests to private networks are refused');
        expect(server.requests).to.have.length(0);
      } finally {
        dir.cleanup();
      }
    });
  });

  describe('invalid values are refused, not retried', () => {
    it('a token with a line break from a token endpoint fails at once as not sent, without "may have reached the server"', async () => {
      const tokens = await startServer((_req, res) => sendJson(res, 200, { access_token: 'tok\r\nX-Injected: 1', token_type: 'Bearer' }));
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      try {
        const started = performance.now();
        const record = await run(
          async function (this: Execution) {
            await this.task('REST', { url: `${server.url}/x`, method: 'post', json: {}, grant: 'bad' }, { wait: 'ALL_ENDED' });
          },
          { grants: { bad: { type: 'client_credentials', token_url: `${tokens.url}/token`, client_id: 'c', client_secret: 's' } } },
        );
        const task = record.children[0]!;
        expect(task.status).to.equal('ENDED_ERROR');
        expect(task.message).to.match(/the request was not sent$/);
        expect(task.message).to.include('ERR_INVALID_CHAR');
        expect(JSON.stringify(task.log)).not.to.include('may have reached the server');
        expect(outputs(task).attempts).to.have.length(1);
        expect(performance.now() - started).to.be.below(1000);
        expect(server.requests).to.have.length(0);
      } finally {
        await tokens.close();
      }
    });

    it('user:password in a url goes out as basic auth and is masked in the record', async () => {
      server = await startServer((req, res) => sendJson(res, 200, { authorization: req.headers.authorization ?? null, url: req.url }));
      const record = await run(async function (this: Execution) {
        await this.task('REST', { url: `http://ada:lovelace-pw@127.0.0.1:${server.port}/me` });
      });
      const task = record.children[0]!;
      expect(task.status, task.message ?? '').to.equal('ENDED_SUCCESS');
      expect(server.requests[0]!.headers.authorization).to.equal(`Basic ${Buffer.from('ada:lovelace-pw').toString('base64')}`);
      expect(JSON.stringify(record)).not.to.include('lovelace-pw');
      expect(task.input_value.url).to.equal(`http://ada:***@127.0.0.1:${server.port}/me`);
    });

    it('a 0-byte executions.db is reported, not silently taken for a new store', async () => {
      const dir = tempDir('flow-security-empty-');
      try {
        writeFileSync(join(dir.path, 'executions.db'), '');
        const listed = await runCli(['list', '--db', join(dir.path, 'executions.db')]);
        expect(listed.code).to.equal(0);
        expect(listed.stderr).to.include(
          `flow: warning: the store file ${join(dir.path, 'executions.db')} was empty (0 bytes): it is set up as a new, empty store`,
        );
      } finally {
        dir.cleanup();
      }
    });

    it('a failure after a redirect names the host it failed at, not the first one', async () => {
      const closed = await (await import('../helpers/server.js')).closedPort();
      server = await startServer((_req, res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${closed}/gone` });
        res.end();
      });
      const record = await run(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/start`, retry_backoff: { deadline: 0 } }, { wait: 'ALL_ENDED' });
      });
      expect(record.children[0]!.message).to.equal(
        `REST GET ${server.url}/start failed: connection refused: nothing is listening at 127.0.0.1:${closed} (ECONNREFUSED) (after a redirect to http://127.0.0.1:${closed}/gone)`,
      );
    });
  });
});
