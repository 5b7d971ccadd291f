/**
 * README claims that had no test: Ctrl-C cancels a run, FLOW_SECRETS_FILE, vault.key's mode,
 * and system.execution(id) waiting for an execution another process is running.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { realClock, run, SqliteStore, type Execution, type ExecutionTree, type System } from '../helpers/lib.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { startOAuthServer } from '../helpers/oauth.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

describe('README claims', function () {
  this.timeout(30_000);
  let dir: TempDir;
  let db: string;
  beforeEach(() => {
    dir = tempDir('flow-claims-');
    db = join(dir.path, 'executions.db');
  });
  afterEach(() => dir.cleanup());

  describe('"Ctrl-C cancels the flow: running tasks stop and the records end ENDED_CANCELLED"', () => {
    let server: TestServer;
    let requested: Promise<void>;
    beforeEach(async () => {
      let seen!: () => void;
      requested = new Promise((resolve) => (seen = resolve));
      server = await startServer(() => seen()); // never answers
    });
    afterEach(async () => server.close());

    it('SIGINT during a REST task: the task and the flow end ENDED_CANCELLED, the runner exits 1', async () => {
      const handler = dir.write(
        'stuck.ts',
        `export default async function (this: any, system: any, _e: any, inputs: { url: string }) {
  this.log('asking');
  await this.task('REST', { url: inputs.url, read_timeout: 0, total_timeout: 0 });
}
`,
      );
      const child = spawnCli(['run', handler, '--input', `url=${server.url}/slow`, '--db', db]);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await requested;
      child.kill('SIGINT');
      expect(await exited, stderr).to.equal(1);
      expect(stderr).to.include('received SIGINT: cancelling the flow');
      const tree = JSON.parse((await runCli(['show', 'last', '--json', '--db', db])).stdout) as ExecutionTree;
      expect(tree.status).to.equal('ENDED_CANCELLED');
      expect(tree.children.map((c) => [c.type, c.status])).to.deep.equal([['REST', 'ENDED_CANCELLED']]);
      for (const node of [tree, tree.children[0]!]) expect(node.ended_at, node.name).to.be.a('string');
    });
  });

  it('"FLOW_SECRETS_FILE points at another secrets file": secrets are read from it, not from .flow/secrets.env', async () => {
    const file = dir.write('elsewhere/prod.env', 'API_TOKEN=tok-from-the-other-file-4821\n', 0o600);
    dir.write('.flow/secrets.env', 'API_TOKEN=tok-from-the-default-file\n', 0o600);
    const handler = dir.write(
      'secret.ts',
      `export default async function (this: any, system: any) { this.set_output('ends_with', system.secret('API_TOKEN').slice(-4)); }\n`,
    );
    const env = { FLOW_CONFIG_DIR: join(dir.path, '.flow'), FLOW_SECRETS_FILE: file };
    const result = await runCli(['run', handler, '--json', '--quiet', '--db', db], { env });
    expect(result.code, result.stderr).to.equal(0);
    expect((JSON.parse(result.stdout) as ExecutionTree).output_value).to.deep.equal({ ends_with: '4821' });

    const missing = await runCli(['run', handler, '--json', '--quiet', '--db', db], { env: { ...env, FLOW_SECRETS_FILE: join(dir.path, 'none.env') } });
    expect(missing.code).to.equal(1);
    expect((JSON.parse(missing.stdout) as ExecutionTree).message).to.include(join(dir.path, 'none.env'));
  });

  it('"key in vault.key next to the SQLite file, mode 600": created so, whatever the umask', async () => {
    const oauth = await startOAuthServer({ id: 'flow-client', secret: 'client-secret-5e6f' });
    const umask = process.umask(0); // the most permissive: only the code's own mode can make it 600
    try {
      const record = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${oauth.url}/me`, grant: 'crm' });
        },
        {
          store: new SqliteStore(db),
          secrets: { CLIENT_SECRET: 'client-secret-5e6f' },
          grants: {
            crm: { type: 'client_credentials', token_url: `${oauth.url}/token`, client_id: 'flow-client', client_secret: { secret: 'CLIENT_SECRET' } },
          },
        },
      );
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
    } finally {
      process.umask(umask);
      await oauth.close();
    }
    expect((statSync(join(dir.path, 'vault.key')).mode & 0o777).toString(8)).to.equal('600');
  });

  describe('"system.execution(id) reads another execution", also one another process is running', () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startServer((_req, res) => setTimeout(() => sendJson(res, 200, { rows: 3 }), 1200));
    });
    afterEach(async () => server.close());

    it('wait() polls the store until the other process ends it, then returns its record', async () => {
      const idFile = join(dir.path, 'id.txt');
      const handler = dir.write(
        'slow.ts',
        `import { writeFileSync } from 'node:fs';
export default async function (this: any, system: any, _e: any, inputs: { url: string; id_file: string }) {
  writeFileSync(inputs.id_file, this.execution_id);
  const task = await this.task('REST', { url: inputs.url });
  this.set_output('rows', task.get('output_value').json.rows);
}
`,
      );
      writeFileSync(idFile, '');
      const other = runCli(['run', handler, '--input', `url=${server.url}/export`, '--input', `id_file=${idFile}`, '--quiet', '--db', db]);
      // The other process writes its id as its handler starts; its record is committed by the end of that turn.
      const store = new SqliteStore(db);
      let id = '';
      for (let i = 0; i < 400 && !(id && store.get(id)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        id = readFileSync(idFile, 'utf8').trim();
      }
      expect(id).to.match(/^[0-9a-f-]{36}$/);

      let statusWhenFound: unknown;
      const record = await run(
        async function (this: Execution, system: System) {
          const ref = system.execution(id);
          statusWhenFound = ref.load('status');
          const ended = await ref.wait({ poll: 0.05 });
          this.set_output('other', { status: ended.status, rows: (ended.output_value as { rows?: number }).rows });
        },
        { store, clock: realClock },
      );
      expect((await other).code).to.equal(0);
      expect(statusWhenFound).to.equal('RUNNING');
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
      expect(record.output_value).to.deep.equal({ other: { status: 'ENDED_SUCCESS', rows: 3 } });
    });
  });
});
