/**
 * flow_api as a user's project gets it: the package is packed, the tarball unpacked into a fresh
 * project's node_modules beside the dependencies it declares (linked from this checkout's
 * node_modules: no network, no native rebuild), and that project type-checks strictly, runs
 * handlers through `npx flow run` (tsx), plain node and ts-node/esm, and runs mocha tests of its
 * flows under tsx and under ts-node/esm.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { ensureBuilt } from '../helpers/build.js';
import { REPO } from '../helpers/cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';

const PACKAGE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
/** What a consumer installs beside flow_api to write and test flows. */
const CONSUMER_TOOLS = ['typescript', 'mocha', 'chai', 'nock', 'tsx', 'ts-node', '@types/chai', '@types/mocha'];

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command in the project; asynchronous, so the test's own server keeps answering meanwhile. */
function sh(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env, NODE_OPTIONS: '' }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('flow_api installed from its tarball into a fresh project', function () {
  this.timeout(120_000);
  let project: string;
  let server: TestServer;
  const node = (args: string[], env: Record<string, string> = {}) => sh(process.execPath, args, project, env);
  const flow = (args: string[]) => sh(join(project, 'node_modules', '.bin', 'flow'), args, project, { FLOW_DB: join(project, '.flow', 'executions.db') });
  const mocha = (loader: string[], file: string) => node([...loader, join(project, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--timeout', '20000', file]);

  before(async () => {
    server = await startServer((_req, res) => sendJson(res, 200, { id: 7, name: 'lamp' }));
    const work = mkdtempSync(join(tmpdir(), 'flow-package-'));
    ensureBuilt(REPO);
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    project = join(work, 'project');
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
    renameSync(join(work, 'package'), join(project, 'node_modules', 'flow_api'));
    // What npm would hoist next to flow_api: its dependencies, and the consumer's own tools.
    for (const name of new Set([...Object.keys(PACKAGE.dependencies), ...CONSUMER_TOOLS])) {
      mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
      symlinkSync(join(REPO, 'node_modules', name), join(project, 'node_modules', name));
    }
    symlinkSync('../flow_api/bin/flow.js', join(project, 'node_modules', '.bin', 'flow'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node', 'mocha'],
        },
        include: ['*.ts', 'test/*.ts'],
        exclude: ['bad.ts', 'runbad.ts'],
      }),
    );
    const files: Record<string, string> = {
      'handler.ts': `import type { Execution, System, RestOutputs } from 'flow_api';
export default async function handler(this: Execution, _system: System, _self: Execution, inputs: { url: string }) {
  const task = await this.task('REST', { url: inputs.url });
  const out: RestOutputs = task.get('output_value');
  this.success(\`item \${out.json.id} is a \${out.json.name}\`);
}
`,
      'hello.js': 'export default async function () { this.success("hello from hello.js"); }\n',
      'hello.ts': 'export default async function (this: { success(m: string): never }) { this.success("hello from hello.ts"); }\n',
      'script.mjs': `import { run } from 'flow_api';
const record = await run('./hello.js');
console.log(\`\${record.status}: \${record.message}\`);
`,
      'runner.ts': `import { run } from 'flow_api';
const record = await run('./handler.ts', { inputs: { url: process.argv[2]! } });
console.log(\`\${record.status}: \${record.message}\`);
`,
      'entries.ts': `import { run, DependencyFailedError, type ExecutionTree } from 'flow_api';
import { SqliteStore, TaskRegistry, InputReader, Redactor, restTask } from 'flow_api/extend';
import { flowChai, run as testRun, generateTest } from 'flow_api/testing';
export const used: unknown[] = [run, DependencyFailedError, SqliteStore, TaskRegistry, InputReader, Redactor, restTask, flowChai, testRun, generateTest];
export type Tree = ExecutionTree;
`,
      'bad.ts': 'export default async function () {\n  const x: number = ;\n}\n',
      'bad.js': 'export default async function () {\n  const x = ;\n}\n',
      'test/handler.test.ts': `import * as chai from 'chai';
import nock from 'nock';
import { flowChai, run } from 'flow_api/testing';

chai.use(flowChai);
const { expect } = chai;

describe('handler', () => {
  before(() => nock.disableNetConnect());
  after(() => { nock.cleanAll(); nock.enableNetConnect(); });
  it('reads the item', async () => {
    const scope = nock('https://api.example.com').get('/items/7').reply(200, { id: 7, name: 'chair' });
    const record = await run('handler.ts', { inputs: { url: 'https://api.example.com/items/7' } });
    expect(record).to.have.status('ENDED_SUCCESS').and.message('item 7 is a chair');
    expect(record).to.have.task('REST').with.output('status_code', 200);
    scope.done();
  });
});
`,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(project, name)), { recursive: true });
      writeFileSync(join(project, name), text);
    }
  });

  after(async () => {
    await server?.close();
    if (project) rmSync(dirname(project), { recursive: true, force: true });
  });

  it('ships compiled JavaScript and declarations; everything dist imports is a declared dependency', () => {
    const dist = join(project, 'node_modules', 'flow_api', 'dist');
    const files = readdirSync(dist, { recursive: true }) as string[];
    expect(files).to.include.members(['index.js', 'index.d.ts', 'index.d.ts.map', 'testing/index.js', 'testing/index.d.ts', 'extend.js', 'extend.d.ts']);
    const declared = new Set([...Object.keys(PACKAGE.dependencies), ...Object.keys(PACKAGE.peerDependencies), 'flow_api']);
    const imported = new Set<string>();
    for (const file of files.filter((f) => f.endsWith('.js') || f.endsWith('.mjs'))) {
      for (const [, spec] of readFileSync(join(dist, file), 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"./][^'"]*)['"]/g)) {
        const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
        if (!name.startsWith('node:') && !builtinModules.includes(name)) imported.add(name);
      }
    }
    expect([...imported].filter((name) => !declared.has(name))).to.deep.equal([]);
  });

  it('type-checks strictly, with skipLibCheck: false', async () => {
    const result = await node([join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    expect(result.status, result.stdout + result.stderr).to.equal(0);
  });

  it('runs a TypeScript handler with npx flow run (tsx)', async () => {
    const result = await flow(['run', 'handler.ts', '--input', `url=${server.url}/items/7`]);
    expect(result.status, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.include('message: item 7 is a lamp');
  });

  it('flow run hello.js runs hello.js, not the hello.ts beside it, and plain node runs a .mjs script calling run()', async () => {
    const js = await flow(['run', 'hello.js', '--quiet']);
    expect(js.stdout, js.stderr).to.include('message: hello from hello.js');
    expect((await flow(['run', './hello.js', '--quiet'])).stdout).to.include('message: hello from hello.js');
    expect((await flow(['run', join(project, 'hello.js'), '--quiet'])).stdout).to.include('message: hello from hello.js');
    const script = await node(['script.mjs']);
    expect(script.stdout.trim(), script.stderr).to.equal('ENDED_SUCCESS: hello from hello.js');
  });

  it('runs a TypeScript script calling run() under node --loader ts-node/esm', async () => {
    const result = await node(['--loader', 'ts-node/esm', 'runner.ts', `${server.url}/items/7`]);
    expect(result.stdout.trim(), result.stderr).to.equal('ENDED_SUCCESS: item 7 is a lamp');
  });

  it('runs a mocha + chai + nock test of a flow under tsx and under ts-node/esm', async () => {
    const tsx = await mocha(['--import', 'tsx'], 'test/handler.test.ts');
    expect(tsx.status, tsx.stdout + tsx.stderr).to.equal(0);
    expect(tsx.stdout).to.include('1 passing');
    const tsNode = await mocha(['--loader', 'ts-node/esm'], 'test/handler.test.ts');
    expect(tsNode.status, tsNode.stdout + tsNode.stderr).to.equal(0);
    expect(tsNode.stdout).to.include('1 passing');
  });

  it('a test written by npx flow export-test passes there unchanged', async () => {
    expect((await flow(['run', 'handler.ts', '--quiet', '--input', `url=${server.url}/items/7`])).status).to.equal(0);
    const exported = await flow(['export-test', 'last']);
    expect(exported.status, exported.stderr).to.equal(0);
    writeFileSync(join(project, 'test', 'exported.test.ts'), exported.stdout);
    const result = await mocha(['--import', 'tsx'], 'test/exported.test.ts');
    expect(result.status, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.include('1 passing');
  });

  it('a handler with a syntax error names its file and line under each runner', async () => {
    expect((await flow(['run', 'bad.ts', '--quiet'])).stdout).to.match(
      /message: cannot load handler file "bad\.ts": Transform failed with 1 error: .*bad\.ts:2:20: ERROR: Unexpected ";"/,
    );
    expect((await flow(['run', 'bad.js', '--quiet'])).stdout).to.match(/message: cannot load handler file "bad\.js": Unexpected token ';' \(at .*bad\.js:2\)/);
    writeFileSync(join(project, 'runbad.ts'), "import { run } from 'flow_api';\nconsole.log((await run('./bad.ts')).message);\n");
    const tsNode = await node(['--loader', 'ts-node/esm', 'runbad.ts']);
    expect(tsNode.stdout.trim(), tsNode.stderr).to.equal('cannot load handler file "./bad.ts": bad.ts(2,21): error TS1109: Expression expected.');
  });

  it('flow_api/testing without chai or nock says which package to add', async () => {
    rmSync(join(project, 'node_modules', 'chai'));
    try {
      const result = await node(['--input-type=module', '-e', "import('flow_api/testing').catch((e) => console.log(e.message))"]);
      expect(result.stdout.trim()).to.equal('flow_api/testing needs "chai" in your project (a peer dependency of flow_api): npm install --save-dev chai');
    } finally {
      symlinkSync(join(REPO, 'node_modules', 'chai'), join(project, 'node_modules', 'chai'));
    }
  });
});
