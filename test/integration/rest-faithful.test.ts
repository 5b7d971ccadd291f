/**
 * Faithful to Cloudomation and honest on the wire, against real servers on 127.0.0.1: bodiless
 * responses, cookies through redirect chains, the request as really sent, the text output.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { run, SqliteStore, type Execution, type ExecutionTree, type RestOutputs } from '../helpers/lib.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

const outputs = (task: ExecutionTree) => task.output_value as unknown as RestOutputs;

async function restTasks(...list: Record<string, unknown>[]): Promise<ExecutionTree[]> {
  const record = await run(async function (this: Execution, system) {
    for (const inputs of list) await this.task('REST', inputs as never, { wait: system.return_when.ALL_ENDED });
  });
  return record.children;
}

describe('REST: faithful and honest on the wire', () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  describe('responses without content', () => {
    it('HEAD with a Content-Length: status 200, headers kept, an empty body, one try', async () => {
      server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '210', 'x-kept': 'yes' });
        res.end();
      });
      const [task] = await restTasks({ url: `${server.url}/thing`, method: 'head', retry_backoff: { deadline: 5 } });
      expect(task!.status, task!.message ?? '').to.equal('ENDED_SUCCESS');
      expect(outputs(task!)).to.include({ status_code: 200, length: 0 });
      expect(outputs(task!).headers).to.include({ 'content-length': '210', 'x-kept': 'yes' });
      expect(outputs(task!).attempts).to.have.length(1);
      expect(server.requests).to.have.length(1);
    });

    it('204 and 304 carry no body whatever their headers say', async () => {
      server = await startServer((req, res) => {
        res.writeHead(req.url === '/gone' ? 204 : 304, { 'content-length': '5' });
        res.end();
      });
      const tasks = await restTasks({ url: `${server.url}/gone`, method: 'delete' }, { url: `${server.url}/same`, expected_status_code: [304] });
      expect(tasks.map((t) => [t.status, outputs(t).status_code, outputs(t).length])).to.deep.equal([
        ['ENDED_SUCCESS', 204, 0],
        ['ENDED_SUCCESS', 304, 0],
      ]);
    });
  });

  describe('cookies along a redirect chain', () => {
    it('a cookie set by a 302 goes with the redirected request, and every cookie of the chain is in the output', async () => {
      server = await startServer((req, res) => {
        const url = new URL(req.url!, 'http://x');
        if (url.pathname === '/cookies/set') {
          const cookies = [...url.searchParams].map(([name, value]) => `${name}=${value}; Path=/`);
          res.writeHead(302, { location: '/cookies', 'set-cookie': cookies });
          return res.end();
        }
        sendJson(res, 200, { cookie: req.headers.cookie ?? null }, { 'set-cookie': 'last=1; Path=/' });
      });
      const [task] = await restTasks({ url: `${server.url}/cookies/set?flavour=oatmeal&size=large` });
      expect(task!.status, task!.message ?? '').to.equal('ENDED_SUCCESS');
      expect(server.requests[1]!.headers.cookie).to.equal('flavour=oatmeal; size=large');
      expect(outputs(task!).cookies).to.deep.equal({ flavour: 'oatmeal', size: 'large', last: '1' });
    });

    it("keeps the flow's own cookies, and sends a chain cookie only where its path matches", async () => {
      server = await startServer((req, res) => {
        if (req.url === '/start') {
          res.writeHead(302, { location: '/other/page', 'set-cookie': ['scoped=1; Path=/only-here', 'everywhere=2; Path=/'] });
          return res.end();
        }
        sendJson(res, 200, {});
      });
      await restTasks({ url: `${server.url}/start`, cookies: { mine: 'x' } });
      expect(server.requests[1]!.headers.cookie).to.equal('mine=x; everywhere=2');
    });

    it('does not send a chain cookie to another host', async () => {
      const other = await startServer((req, res) => sendJson(res, 200, { cookie: req.headers.cookie ?? null }));
      server = await startServer((_req, res) => {
        res.writeHead(302, { location: `http://localhost:${other.port}/x`, 'set-cookie': 'session=abc123; Path=/' });
        res.end();
      });
      try {
        const [task] = await restTasks({ url: `${server.url}/start` });
        expect(task!.status, task!.message ?? '').to.equal('ENDED_SUCCESS');
        expect(other.requests[0]!.headers.cookie).to.equal(undefined);
      } finally {
        await other.close();
      }
    });
  });

  describe('the request as really sent', () => {
    it("records the method, URL and headers exactly as the server received them (names as node-fetch sends them), with flow_api's User-Agent", async () => {
      server = await startServer((_req, res) => sendJson(res, 201, {}));
      const [task] = await restTasks({ url: `${server.url}/items?a=1`, method: 'post', json: { x: 1 }, headers: { 'X-Custom-Header': 'a' } });
      const sent = outputs(task!).request;
      const received = server.requests[0]!;
      expect(sent.method).to.equal('POST');
      expect(sent.url).to.equal(`${server.url}/items?a=1`);
      // Names as written: node-fetch sends lower case, Node itself "Host" and "Connection".
      expect(Object.keys(sent.headers)).to.include.members(['Host', 'Connection', 'x-custom-header']);
      const lower = Object.fromEntries(Object.entries(sent.headers).map(([name, value]) => [name.toLowerCase(), value]));
      expect(lower).to.deep.equal(received.headers);
      expect(lower['user-agent']).to.match(/^flow_api\/\d+\.\d+\.\d+/);
      expect(lower).to.include.keys('host', 'connection', 'content-length', 'accept', 'accept-encoding');
      expect(sent.body).to.equal('{"x":1}');
    });

    it('lets a flow send its own User-Agent', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      await restTasks({ url: `${server.url}/`, headers: { 'user-agent': 'my-bot/2' } });
      expect(server.requests[0]!.headers['user-agent']).to.equal('my-bot/2');
    });
  });

  describe('the text output', () => {
    it('is always the body; json holds it parsed; the record stores the body once and rebuilds json on read', async () => {
      const body = JSON.stringify({ items: [{ id: 1, name: 'lamp' }], note: 'x'.repeat(2000) });
      server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
      const dir = tempDir('flow-text-');
      try {
        const db = join(dir.path, 'executions.db');
        const store = new SqliteStore(db);
        let seen: { text?: string; json?: unknown } = {};
        const record = await run(
          async function (this: Execution) {
            seen = (await this.task('REST', { url: `${server.url}/items` })).get('output_value');
          },
          { store },
        );
        store.close();
        expect(seen.text).to.equal(body);
        expect(seen.json).to.deep.equal(JSON.parse(body));
        const task = record.children[0]!;
        expect(outputs(task).text).to.equal(body);
        expect(outputs(task).json).to.deep.equal(JSON.parse(body));
        const raw = new Database(db, { readonly: true })
          .prepare('SELECT output_value, derived FROM executions WHERE execution_id = ?')
          .get(task.execution_id) as { output_value: string; derived: string };
        expect(raw.derived).to.equal('{"json":"text"}');
        expect(raw.output_value.split('x'.repeat(2000)).length - 1, 'the body is stored once').to.equal(1);
      } finally {
        dir.cleanup();
      }
    });

    it('stores json apart when the body holds something masking changes (a secret-named key)', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, { access_token: 'tok-0123456789', user: 'ada' }));
      const [task] = await restTasks({ url: `${server.url}/token` });
      expect(outputs(task!).json).to.deep.equal({ access_token: '***', user: 'ada' });
      expect(outputs(task!).text).to.equal('{"access_token":"***","user":"ada"}');
    });
  });

  describe('failures that waiting cannot heal fail at the first try, with a hint', () => {
    it('https (the default scheme) against a plain HTTP server says so, instead of retrying for 600 s', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      const started = performance.now();
      const [task] = await restTasks({ hostname: '127.0.0.1', port: server.port, path: '/x' });
      expect(performance.now() - started).to.be.below(1000);
      expect(task!.message).to.equal(
        `REST GET https://127.0.0.1:${server.port}/x failed: the server at 127.0.0.1:${server.port} answered in plain HTTP, not TLS (EPROTO: wrong version number); the default scheme is https: set "scheme": "http", or use an http:// URL`,
      );
      expect(outputs(task!).attempts).to.have.length(1);
    });

    it('accepts host:port and [v6]:port in hostname (TaskREST has no port input), and names a conflicting port', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
      const [plain] = await restTasks({ scheme: 'http', hostname: `127.0.0.1:${server.port}`, path: '/a' });
      expect(plain!.status, plain!.message ?? '').to.equal('ENDED_SUCCESS');
      expect(outputs(plain!).url).to.equal(`${server.url}/a`);
      const [conflict] = await restTasks({ scheme: 'http', hostname: `127.0.0.1:${server.port}`, port: 8443 });
      expect(conflict!.message).to.equal(
        `REST input "port" must be the same port as "hostname" carries, or left out: "hostname" says ${server.port}, got the number 8443`,
      );
      const v6 = await restTasks({ scheme: 'http', hostname: '[::1]:1', retry_backoff: { deadline: 0 } });
      expect(v6[0]!.message).to.match(/^REST GET http:\/\/\[::1\]:1\/ failed: connection refused/);
    });
  });
});
