import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { startDemoApi, type DemoApi } from '../../examples/demo-api.js';
import { REPO, runCli } from '../helpers/cli.js';
import { startServer } from '../helpers/server.js';
import { run, SqliteStore } from '../helpers/lib.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

/**
 * `flow export-test`: record a real run against the demo API, export it, and run the exported
 * test offline with mocha, unchanged, for a success, a handled failure and retries.
 */
describe('flow export-test', function () {
  this.timeout(90_000);
  let api: DemoApi;
  let dir: TempDir;
  beforeEach(async () => {
    api = await startDemoApi();
    dir = tempDir('flow-export-');
  });
  afterEach(async () => {
    await api.close();
    dir.cleanup();
  });

  async function recordAndExport(example: string, inputs: string[] = []): Promise<string> {
    const db = join(dir.path, 'executions.db');
    const ran = await runCli(['run', `examples/${example}.ts`, '--quiet', '--db', db, '--input', `api=${api.url}`, ...inputs]);
    expect(ran.code, ran.stdout + ran.stderr).to.equal(0);
    const exported = await runCli(['export-test', 'last', '--db', db]);
    expect(exported.code, exported.stderr).to.equal(0);
    return exported.stdout;
  }

  /** Run a generated test file with mocha in its own process, as `npm test` would. */
  function runExported(name: string, source: string): { code: number | null; output: string } {
    const folder = join(REPO, 'test', '.tmp', 'exported');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${name}.test.ts`);
    writeFileSync(file, source);
    const result = spawnSync(process.execPath, [join(REPO, 'node_modules/mocha/bin/mocha.js'), '--config', '.mocharc.json', file], {
      cwd: REPO,
      encoding: 'utf8',
    });
    return { code: result.status, output: result.stdout + result.stderr };
  }

  it('a success replays offline and passes as generated', async () => {
    const source = await recordAndExport('post-json', ['--input', 'name=lamp', '--input', 'price=9']);
    expect(source).to.include("import { flowChai, run } from 'flow_api/testing';");
    expect(source).to.match(
      /\.intercept\("\/items", "POST"\)\.matchHeader\("accept", "\*\/\*"\)\.matchHeader\("content-type", "application\/json"\)\.query\(true\)\.reply\(201, "\{/,
    );
    expect(source).to.include('expect(record).to.have.status("ENDED_SUCCESS");');
    const result = runExported('success', source);
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.include('1 passing');
  });

  it('a handled failure replays with the same 404', async () => {
    const source = await recordAndExport('handled-failure');
    expect(source).to.match(/\.intercept\("\/items\/404", "GET"\)\.matchHeader\("accept", "\*\/\*"\)\.query\(true\)\.reply\(404, /);
    expect(source).to.include('expect(record).to.have.task("missing item").with.status("ENDED_ERROR");');
    const result = runExported('handled-failure', source);
    expect(result.code, result.output).to.equal(0);
  });

  it('retries replay try by try: 503, 503, then 200', async () => {
    // Recorded in process on a virtual clock (the 1 s and 2 s delays are not waited for), then exported by the CLI.
    const db = join(dir.path, 'executions.db');
    const store = new SqliteStore(db);
    const recorded = await run('examples/retries.ts', { store, inputs: { api: api.url, key: `export-${Date.now()}` } });
    store.close();
    expect(recorded.status, recorded.message ?? '').to.equal('ENDED_SUCCESS');
    const exported = await runCli(['export-test', 'last', '--db', db]);
    expect(exported.code, exported.stderr).to.equal(0);
    const source = exported.stdout;
    expect(source.match(/\.reply\(503\)/g)).to.have.length(2);
    expect(source).to.include('expect(record).to.have.output("tries", 3);');
    const result = runExported('retries', source);
    expect(result.code, result.output).to.equal(0);
  });

  it('a hostile server cannot put code into the exported test: every value is encoded as data', async () => {
    const marker = join(dir.path, 'pwned');
    const payload = `(await import('node:child_process')).execSync('touch ${marker}')`;
    const hostile: Record<string, unknown> = {
      '"a': `: 1, b: ${payload} //`,
      "'b": `'; ${payload}; '`,
      '`c${1}': '`${' + payload + '}`',
      'd\\': 'back\\slash\\',
      '*/e': `*/ ${payload} /*`,
      'f\u2028g': 'line\u2028sep\u2029para',
      '</script>': '<script>alert(1)</script>',
      'h\nx': `\n${payload}\n//`,
      __proto__x: { nested: ['"', "'", '`', '${x}'] },
    };
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `c="q'\`\${x}"; Path=/` });
      res.end(JSON.stringify(hostile));
    });
    try {
      const handler = dir.write(
        'hostile.ts',
        `export default async function (this: any, _s: any, _e: any, inputs: { url: string }) {
  const task = await this.task('REST', { url: inputs.url });
  this.set_output('echo', task.get('output_value').json);
  this.success(Object.keys(task.get('output_value').json).join(' | '));
}
`,
      );
      const db = join(dir.path, 'executions.db');
      const ran = await runCli(['run', handler, '--quiet', '--db', db, '--input', `url=${server.url}/data`]);
      expect(ran.code, ran.stdout + ran.stderr).to.equal(0);
      const exported = await runCli(['export-test', 'last', '--db', db]);
      expect(exported.code, exported.stderr).to.equal(0);
      const result = runExported('hostile', exported.stdout);
      expect(result.code, result.output).to.equal(0);
      expect(result.output).to.include('1 passing');
      expect(existsSync(marker), 'the payload ran').to.equal(false);
    } finally {
      await server.close();
    }
  });

  it("a flow that caught a failed child replays: the child's id and the server's port in the message are matched by shape", async () => {
    const handler = dir.write(
      'caught.ts',
      `export default async function (this: any, _s: any, _e: any, inputs: { api: string }) {
  try {
    await this.task('REST', { url: inputs.api + '/items/404' });
  } catch (error: any) {
    this.set_output('failed_id', error.execution.execution_id);
    this.success('caught: ' + error.message);
  }
}
`,
    );
    const db = join(dir.path, 'executions.db');
    const ran = await runCli(['run', handler, '--quiet', '--db', db, '--input', `api=${api.url}`]);
    expect(ran.code, ran.stdout + ran.stderr).to.equal(0);
    const exported = await runCli(['export-test', 'last', '--db', db]);
    expect(exported.stdout).to.include('to.have.message(new RegExp(');
    const result = runExported('caught', exported.stdout);
    expect(result.code, result.output).to.equal(0);
  });

  it('explains what it cannot export', async () => {
    const missing = await runCli(['export-test', 'nope', '--db', join(dir.path, 'empty.db')]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.match(/^flow export-test: no execution with id or unique id prefix "nope" in /);
  });
});
