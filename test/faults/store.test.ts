import { join } from 'node:path';
import { expect } from 'chai';
import { SqliteStore } from '../helpers/lib.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { loadTree } from '../../lib/store/store.js';

describe('faults: the store under concurrent writers and a killed runner', function () {
  this.timeout(60_000);
  let server: TestServer;
  let dir: TempDir;
  let hanging: () => void;
  let hangSeen: Promise<void>;
  beforeEach(async () => {
    dir = tempDir('flow-faults-store-');
    hangSeen = new Promise((resolve) => (hanging = resolve));
    server = await startServer((req, res) => (req.url === '/hang' ? hanging() : sendJson(res, 200, { n: Number(req.url!.slice(1)) })));
  });
  afterEach(async () => {
    await server.close();
    dir.cleanup();
  });

  it('two flow run processes writing to one SQLite store at once lose nothing', async () => {
    const db = join(dir.path, 'shared.db');
    const handler = dir.write(
      'many.ts',
      `
export default async function (this: any, system: any, _e: any, inputs: { base: string; tag: string }) {
  const tasks = [];
  for (let i = 0; i < 150; i++) tasks.push(await this.task('REST', { url: inputs.base + '/' + i }, { wait: false, name: inputs.tag + '-' + i }));
  await this.wait_for(...tasks);
  for (let i = 0; i < 50; i++) this.log(inputs.tag, 'line', i);
  this.success(inputs.tag + ' done');
}
`,
    );
    const [a, b] = await Promise.all(
      ['a', 'b'].map((tag) => runCli(['run', handler, '--quiet', '--db', db, '--input', `base=${server.url}`, '--input', `tag=${tag}`])),
    );
    expect(a!.code, a!.stderr).to.equal(0);
    expect(b!.code, b!.stderr).to.equal(0);
    const store = new SqliteStore(db);
    try {
      const flows = store.list({ limit: 10 });
      expect(flows.map((f) => f.message).sort()).to.deep.equal(['a done', 'b done']);
      for (const flow of flows) {
        const tree = loadTree(store, flow.execution_id)!;
        expect(tree.children).to.have.length(150);
        expect(tree.children.every((c) => c.status === 'ENDED_SUCCESS' && c.log.length === 1)).to.equal(true);
        expect(tree.log).to.have.length(50);
      }
      expect(store.list({ limit: 1000, rootsOnly: false })).to.have.length(302);
    } finally {
      store.close();
    }
  });

  it('a runner killed with SIGKILL mid-task leaves a readable store that tells what happened', async () => {
    const db = join(dir.path, 'killed.db');
    const handler = dir.write(
      'killed.ts',
      `
export default async function (this: any, _s: any, _e: any, inputs: { base: string }) {
  await this.task('REST', { url: inputs.base + '/1' }, { name: 'finished' });
  this.log('about to hang');
  await this.task('REST', { url: inputs.base + '/hang', method: 'post', text: 'x' }, { name: 'hanging' });
}
`,
    );
    const child = spawnCli(['run', handler, '--db', db, '--input', `base=${server.url}`]);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await hangSeen;
    // No grace period: a POST's start record is committed before it leaves, with every write before it.
    child.kill('SIGKILL');
    await exited;
    const listed = await runCli(['list', '--db', db]);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.include('ENDED_ERROR');
    const shown = await runCli(['show', 'last', '--json', '--db', db]);
    expect(shown.code, shown.stderr).to.equal(0);
    const tree = JSON.parse(shown.stdout);
    expect(tree).to.include({ status: 'ENDED_ERROR', message: 'process exited unexpectedly' });
    expect(tree.children.map((c: { name: string; status: string; message: string }) => [c.name, c.status, c.message])).to.deep.equal([
      ['finished', 'ENDED_SUCCESS', `GET ${server.url}/1 returned 200 OK`],
      ['hanging', 'ENDED_ERROR', 'process exited unexpectedly'],
    ]);
    expect(JSON.stringify(tree.log)).to.include('about to hang');
  });
});
