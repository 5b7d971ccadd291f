/**
 * The traps a Cloudomation user falls into when porting flows, each with its fix: names as
 * Cloudomation uses them, one files folder, `flow describe`, readable live logs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { run, type Execution } from '../helpers/lib.js';
import { runCli } from '../helpers/cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

describe('porting from Cloudomation', function () {
  this.timeout(30_000);
  let dir: TempDir;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = tempDir('flow-porting-');
    env = { FLOW_DB: join(dir.path, '.flow', 'executions.db'), FLOW_CONFIG_DIR: join(dir.path, '.flow') };
  });
  afterEach(() => dir.cleanup());

  it("this.flow('child_ok') finds child_ok.ts (or .mts, .js, .mjs) next to the calling flow", async () => {
    dir.write('flows/child_ok.ts', 'export default async function (this: any) { this.success("child ran"); }\n');
    dir.write('flows/js_child.mjs', 'export default async function () { this.success("mjs ran"); }\n');
    const parent = dir.write(
      'flows/parent.ts',
      `export default async function (this: any) {
  const child = await this.flow('child_ok');
  const js = await this.flow('js_child');
  this.success(child.get('message') + ', ' + js.get('message'));
}
`,
    );
    const record = await run(parent);
    expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
    expect(record.message).to.equal('child ran, mjs ran');
    const missing = await run(async function (this: Execution) {
      await this.flow('no_such_flow');
    });
    expect(missing.message).to.match(
      /^handler file "no_such_flow" does not exist \(looked for .*no_such_flow\.ts, .*no_such_flow\.mts, .*no_such_flow\.js, .*no_such_flow\.mjs\)$/,
    );
  });

  it('one files folder for every run: a file put there before the run is found by name, and kept after', async () => {
    const report = dir.write('report.txt', 'quarterly numbers');
    const put = await runCli(['file', 'put', 'reports/q1.txt', report], { cwd: dir.path, env });
    expect(put.code, put.stderr).to.equal(0);
    expect(put.stdout.trim()).to.equal(`reports/q1.txt (17 B) is in ${join(dir.path, '.flow', 'files')}`);
    const handler = dir.write(
      'read.ts',
      `export default async function (this: any, system: any) {
  this.set_output('text', await system.file('reports/q1.txt').get_text_content());
  await system.file('made-by-run.txt').save_text_content('kept');
}
`,
    );
    const ran = await runCli(['run', handler, '--json', '--quiet'], { cwd: dir.path, env });
    expect(ran.code, ran.stderr).to.equal(0);
    expect(JSON.parse(ran.stdout).output_value).to.deep.equal({ text: 'quarterly numbers' });
    const listed = await runCli(['file', 'list', '--json'], { cwd: dir.path, env });
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((f) => f.name)).to.deep.equal(['made-by-run.txt', 'reports/q1.txt']);
    const got = await runCli(['file', 'get', 'made-by-run.txt'], { cwd: dir.path, env });
    expect(got.stdout).to.equal('kept');
    expect((await runCli(['file', 'delete', 'made-by-run.txt'], { cwd: dir.path, env })).code).to.equal(0);
    expect(existsSync(join(dir.path, '.flow', 'files', 'made-by-run.txt'))).to.equal(false);
    const gone = await runCli(['file', 'delete', 'made-by-run.txt'], { cwd: dir.path, env });
    expect(gone.code).to.equal(1);
    expect(gone.stderr.trim()).to.equal(`flow file delete: no file "made-by-run.txt" in ${join(dir.path, '.flow', 'files')}`);
    const outside = await runCli(['file', 'put', '../x.txt', report], { cwd: dir.path, env });
    expect(outside.code).to.equal(2);
    expect(outside.stderr).to.include('leaves the files folder; files live in');
    expect(readFileSync(join(dir.path, '.flow', 'files', 'reports', 'q1.txt'), 'utf8')).to.equal('quarterly numbers');
  });

  it('FLOW_FILES_DIR moves the files folder for flow run and flow file alike', async () => {
    const elsewhere = join(dir.path, 'shared-files');
    dir.write('a.txt', 'A');
    expect((await runCli(['file', 'put', 'a.txt', join(dir.path, 'a.txt')], { cwd: dir.path, env: { ...env, FLOW_FILES_DIR: elsewhere } })).code).to.equal(0);
    const handler = dir.write(
      'read.ts',
      `export default async function (this: any, system: any) { this.success(await system.file('a.txt').get_text_content()); }\n`,
    );
    const ran = await runCli(['run', handler, '--quiet'], { cwd: dir.path, env: { ...env, FLOW_FILES_DIR: elsewhere } });
    expect(ran.stdout).to.include('message: A');
  });

  it('flow describe REST lists every input and output with type, default and meaning', async () => {
    const described = await runCli(['describe', 'REST']);
    expect(described.code).to.equal(0);
    expect(described.stdout).to.include('REST inputs (');
    expect(described.stdout).to.include('  retry_backoff: RetryBackoff   (default {"initial":1,"maximum":60,"multiplier":2,"deadline":600})');
    expect(described.stdout).to.include('  method: RestMethod   (default "get")');
    expect(described.stdout).to.include('  text: string');
    const json = JSON.parse((await runCli(['describe', 'REST', '--json'])).stdout) as { inputs: Record<string, { default?: unknown }> };
    expect(json.inputs.expected_status_code!.default).to.deep.equal([200, 201, 202, 204]);
    const unknown = await runCli(['describe', 'RSET']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('unknown task type "RSET"');
  });

  it('an unknown input is reported once in the live log, with the name meant', async () => {
    const handler = dir.write(
      'typo.ts',
      "export default async function (this: any) { await this.task('REST', { hostname: 'h.example', base_url: 'anything' }); }\n",
    );
    const ran = await runCli(['run', handler], { cwd: dir.path, env });
    expect(ran.code).to.equal(1);
    expect(ran.stderr.match(/unknown REST input "base_url"/g)).to.have.length(1);
    expect(ran.stderr).to.include('unknown REST input "base_url" (did you mean "base_path"?); `npx flow describe REST` lists every input');
  });

  describe('live log and flow show', () => {
    let server: TestServer;
    afterEach(async () => server?.close());

    it('lines of children running side by side say which child wrote them; flow show without an id shows the last run', async () => {
      server = await startServer((_req, res) => setTimeout(() => sendJson(res, 200, {}), 20));
      const handler = dir.write(
        'parallel.ts',
        `export default async function (this: any, system: any, _e: any, inputs: { url: string }) {
  const a = await this.task('REST', { url: inputs.url + '/a' }, { name: 'left', wait: false });
  const b = await this.task('REST', { url: inputs.url + '/b' }, { name: 'right', wait: false });
  await this.wait_for(a, b);
}
`,
      );
      const ran = await runCli(['run', handler, '--input', `url=${server.url}`], { cwd: dir.path, env });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stderr).to.match(/\[left [0-9a-f]{8}\] try 1: GET http:\/\/127\.0\.0\.1:\d+\/a → 200 OK/);
      expect(ran.stderr).to.match(/\[right [0-9a-f]{8}\] try 1: GET http:\/\/127\.0\.0\.1:\d+\/b → 200 OK/);
      const shown = await runCli(['show'], { cwd: dir.path, env });
      expect(shown.code).to.equal(0);
      expect(shown.stdout).to.match(/^flow parallel {2}ENDED_SUCCESS/);
    });
  });
});
