import { join } from 'node:path';
import * as chai from 'chai';
import { flowChai, run } from 'flow_api/testing';
import type { Execution } from '../helpers/lib.js';
import { runCli } from '../helpers/cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { USER_AGENT } from '../../lib/tasks/rest/normalize.js';

chai.use(flowChai);
const { expect } = chai;

describe('seeing what was sent: the request output, debug: true, flow show --verbose', function () {
  this.timeout(30_000);
  let server: TestServer;
  let dir: TempDir;
  beforeEach(async () => {
    server = await startServer((req, res) => sendJson(res, 201, { created: true, token_echo: req.headers.authorization }, { 'x-request-id': 'r-1' }));
    dir = tempDir('flow-debug-');
  });
  afterEach(async () => {
    await server.close();
    dir.cleanup();
  });

  it('records the final request (method, URL, headers, body), secrets masked', async () => {
    const record = await run(
      async function (this: Execution) {
        await this.task('REST', {
          url: `${server.url}/items?page=1`,
          method: 'post',
          json: { name: 'lamp' },
          auth: { type: 'bearer', token: { secret: 'TOKEN' } },
        });
      },
      { secrets: { TOKEN: 'debug-token-5566' } },
    );
    // The headers as Node wrote them on the wire: node-fetch's (lower case, sorted), then Node's own.
    expect(record)
      .to.have.task('REST')
      .with.output('request', {
        method: 'POST',
        url: `${server.url}/items?page=1`,
        headers: {
          accept: '*/*',
          'accept-encoding': 'gzip, deflate, br',
          authorization: '***',
          'content-length': '15',
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          Host: `127.0.0.1:${server.port}`,
          Connection: 'keep-alive',
        },
        body: '{"name":"lamp"}',
      });
    expect(JSON.stringify(record)).not.to.include('debug-token-5566');
  });

  it('debug: true logs the request as it goes out and the response as it comes in', async () => {
    const record = await run(async function (this: Execution) {
      await this.task('REST', {
        url: `${server.url}/items`,
        method: 'post',
        json: { name: 'lamp' },
        headers: { Authorization: 'Bearer debug-token-7788' },
        debug: true,
      });
    });
    const log = record.children[0]!.log.map((entry) => Object.values(entry)[0]!.join(' '));
    expect(log[0]).to.equal(
      `→ POST ${server.url}/items\n  accept: */*\n  accept-encoding: gzip, deflate, br\n  authorization: ***\n  content-length: 15\n  content-type: application/json\n` +
        `  user-agent: ${USER_AGENT}\n  Host: 127.0.0.1:${server.port}\n  Connection: keep-alive\n\n{"name":"lamp"}`,
    );
    expect(log[1]).to.match(/^← 201 Created\n/);
    expect(log[1]).to.include('\n  content-type: application/json\n').and.include('\n  x-request-id: r-1\n');
    expect(log[1]).to.include('"token_echo":"***"');
  });

  it('flow show --verbose prints each REST exchange', async () => {
    const handler = dir.write(
      'one.ts',
      `export default async function (this: any, _s: any, _e: any, inputs: { base: string }) {\n  await this.task('REST', { url: inputs.base + '/items', method: 'put', text: 'hello' });\n}\n`,
    );
    const db = join(dir.path, 'executions.db');
    expect((await runCli(['run', handler, '--quiet', '--db', db, '--input', `base=${server.url}`])).code).to.equal(0);
    const shown = await runCli(['show', 'last', '--verbose', '--no-log', '--db', db]);
    expect(shown.code, shown.stderr).to.equal(0);
    expect(shown.stdout).to.include(`    request: PUT ${server.url}/items\n      accept: */*\n`);
    expect(shown.stdout).to.include(
      `      content-type: text/plain; charset=utf-8\n      user-agent: ${USER_AGENT}\n      Host: 127.0.0.1:${server.port}\n      Connection: keep-alive\n      \n      hello\n    response: 201\n`,
    );
    expect(shown.stdout).to.include('\n      content-type: application/json\n');
    expect(shown.stdout).to.include('      x-request-id: r-1');
  });
});
