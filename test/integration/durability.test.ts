import { join } from 'node:path';
import { expect } from 'chai';
import { SqliteStore, type ExecutionTree } from '../helpers/lib.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { loadTree } from '../../lib/store/store.js';

describe('execution records in SQLite', function () {
  this.timeout(30_000);
  let server: TestServer;
  let dir: ReturnType<typeof tempDir>;
  let sawHang: () => void;
  let hangSeen: Promise<void>;
  beforeEach(async () => {
    dir = tempDir();
    hangSeen = new Promise((resolve) => (sawHang = resolve));
    server = await startServer((req, res) => {
      if (req.url === '/ok' || req.url === '/fast') return sendJson(res, 200, { ok: true });
      if (req.url === '/hang') return sawHang(); // never answers
      sendJson(res, 404, { error: 'not here' });
    });
  });
  afterEach(async () => {
    await server.close();
    dir.cleanup();
  });

  it('a flow with a caught failing task is read back whole by a new process', async () => {
    const db = join(dir.path, 'executions.db');
    const ran = await runCli(['run', 'test/fixtures/handlers/two-tasks.ts', '--input', `base=${server.url}`, '--db', db]);
    expect(ran.code, ran.stderr).to.equal(0);
    const shown = await runCli(['show', 'last', '--json', '--db', db]);
    expect(shown.code).to.equal(0);
    const tree = JSON.parse(shown.stdout) as ExecutionTree;
    expect(tree).to.include({ status: 'ENDED_SUCCESS', message: 'handled the failure', kind: 'flow', name: 'two-tasks' });
    expect(tree.output_value).to.deep.equal({ first: { ok: true }, caught: 404 });
    expect(tree.children.map((c) => [c.name, c.status])).to.deep.equal([
      ['works', 'ENDED_SUCCESS'],
      ['fails', 'ENDED_ERROR'],
    ]);
    const failed = tree.children[1]!;
    expect(failed.message).to.equal(
      `REST GET ${server.url}/missing returned 404 Not Found; expected one of 200, 201, 202, 204; response body: {"error":"not here"}`,
    );
    expect(failed.output_value).to.include({ status_code: 404 });
    expect(failed.parent_id).to.equal(tree.execution_id);
    expect(failed.log.length).to.be.greaterThan(0);
    for (const node of [tree, ...tree.children]) {
      expect(node.ended_at).to.be.a('string');
      expect(node.duration).to.be.a('number');
    }
  });

  it('a runner killed with SIGKILL while a POST is out leaves ENDED_ERROR "process exited unexpectedly" and its finished children intact', async () => {
    const db = join(dir.path, 'executions.db');
    const child = spawnCli(['run', 'test/fixtures/handlers/hang.ts', '--input', `base=${server.url}`, '--db', db]);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await hangSeen;
    child.kill('SIGKILL');
    await exited;
    const store = new SqliteStore(db);
    try {
      const [root] = store.list({ limit: 1 });
      const tree = loadTree(store, root!.execution_id)!;
      expect(tree).to.include({ status: 'ENDED_ERROR', message: 'process exited unexpectedly' });
      expect(tree.children.map((c) => [c.name, c.status, c.message])).to.deep.equal([
        ['fast', 'ENDED_SUCCESS', `GET ${server.url}/fast returned 200 OK`],
        ['hangs', 'ENDED_ERROR', 'process exited unexpectedly'],
      ]);
      expect(tree.children[0]!.output_value).to.deep.include({ status_code: 200, json: { ok: true } });
      expect(tree.duration).to.be.a('number');
    } finally {
      store.close();
    }
  });
});
