import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURES = 'test/fixtures/handlers';

describe('flow CLI', function () {
  this.timeout(30_000);
  let dir: ReturnType<typeof tempDir>;
  let db: string;
  beforeEach(() => {
    dir = tempDir();
    db = join(dir.path, 'executions.db');
  });
  afterEach(() => dir.cleanup());

  /** A handler file inside the repository (so `import 'flow_api'` resolves), removed after the run. */
  function scratchHandler(name: string, source: string): string {
    const folder = join(REPO, 'test', '.tmp');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, name);
    writeFileSync(file, source);
    return file;
  }

  describe('run', () => {
    it('runs a handler, prints the log live on stderr and a summary on stdout, exit 0', async () => {
      const result = await runCli(['run', `${FIXTURES}/hello.ts`, '--input', 'name=Ada', '--db', db]);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.include('hello Ada');
      expect(result.stdout).to.match(/^flow hello ENDED_SUCCESS in \d+ ms {2}\(/);
      expect(result.stdout).to.include('outputs: {"greeting":"hello Ada"}');
      expect(result.stdout).to.match(/record: flow show [0-9a-f]{8}/);
    });

    it('--json prints the finished record as JSON', async () => {
      const result = await runCli(['run', `${FIXTURES}/child-flow.ts`, '--json', '--quiet', '--db', db]);
      expect(result.code, result.stderr).to.equal(0);
      const record = JSON.parse(result.stdout);
      expect(record.status).to.equal('ENDED_SUCCESS');
      expect(record.message).to.equal('hello child');
      expect(record.children[0].kind).to.equal('flow');
      expect(record.children[0].input_value).to.deep.equal({ name: 'child' });
      expect(result.stderr).to.equal('');
    });

    it('parses --input values as JSON when they are JSON, else as strings; --inputs-json gives all at once', async () => {
      const file = scratchHandler('echo-inputs.ts', 'export default (s: unknown, e: any, inputs: unknown) => e.set_output("inputs", inputs);\n');
      const result = await runCli([
        'run',
        file,
        '--inputs-json',
        '{"a": 1, "b": "x"}',
        '-i',
        'b=[1,2]',
        '-i',
        'c=007',
        '-i',
        'd=true',
        '-i',
        'e=a=b',
        '--json',
        '-q',
        '--db',
        db,
      ]);
      expect(result.code, result.stderr).to.equal(0);
      expect(JSON.parse(result.stdout).output_value.inputs).to.deep.equal({ a: 1, b: [1, 2], c: '007', d: true, e: 'a=b' });
    });

    it('accepts a named "handler" export', async () => {
      const result = await runCli(['run', `${FIXTURES}/named-export.ts`, '--db', db]);
      expect(result.code).to.equal(0);
      expect(result.stdout).to.include('message: named export ran');
    });

    it('runs handlers kept outside any project: ESM and CommonJS TypeScript, ESM JavaScript, importing flow_api', async () => {
      const outside = tempDir('flow-outside-');
      try {
        writeFileSync(
          join(outside.path, 'esm.ts'),
          [
            "import { DependencyFailedError, type Execution } from 'flow_api';",
            'export default async function handler(this: Execution) {',
            "  try { await this.task('REST', { url: 'http://127.0.0.1:1/x', retry_backoff: { deadline: 0 } }); }",
            '  catch (e) { this.success(`instanceof ${e instanceof DependencyFailedError}`); }',
            '}',
          ].join('\n'),
        );
        writeFileSync(join(outside.path, 'cjs.ts'), "module.exports = async function (this: { success(m: string): never }) { this.success('cjs ran'); };\n");
        writeFileSync(
          join(outside.path, 'plain.js'),
          "import { STATUS } from 'flow_api';\nexport default function () { this.success(STATUS.ENDED_SUCCESS); }\n",
        );
        const results = await Promise.all(['esm.ts', 'cjs.ts', 'plain.js'].map((file) => runCli(['run', file, '-q', '--db', db], { cwd: outside.path })));
        expect(results.map((r) => r.code)).to.deep.equal([0, 0, 0]);
        expect(results.map((r) => /message: (.*)/.exec(r.stdout)?.[1])).to.deep.equal(['instanceof true', 'cjs ran', 'ENDED_SUCCESS']);
      } finally {
        outside.cleanup();
      }
    });

    it('exits 1 when the flow ends ENDED_ERROR', async () => {
      const result = await runCli(['run', `${FIXTURES}/fail.ts`, '--db', db]);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.match(/^flow fail ENDED_ERROR/);
      expect(result.stdout).to.include('message: failed on purpose');
    });

    it('records a handler that throws a non-Error, exit 1', async () => {
      const result = await runCli(['run', `${FIXTURES}/throws-string.ts`, '--db', db]);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.include('message: the handler threw a non-Error value: the string "a plain string"');
    });

    it('records a module that exports no function, exit 1', async () => {
      const result = await runCli(['run', `${FIXTURES}/no-export.ts`, '--db', db]);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.include(
        `message: handler file "${FIXTURES}/no-export.ts" does not export a handler function: export a default function or a function named "handler" (its exports: notAFunction)`,
      );
    });

    it('records a module with a syntax error, naming the file and the error, exit 1', async () => {
      const file = scratchHandler('syntax-error.ts', 'export default function (( {\n');
      const result = await runCli(['run', file, '--db', db]);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.match(/^flow syntax-error ENDED_ERROR/);
      expect(result.stdout).to.match(
        /message: cannot load handler file ".*syntax-error\.ts": Transform failed with 1 error: .*syntax-error\.ts:1:\d+: ERROR: Expected identifier but found "\("\n/,
      );
      const list = await runCli(['list', '--db', db]);
      expect(list.stdout).to.include('ENDED_ERROR');
    });

    it('exits 2 for a handler file that does not exist', async () => {
      const result = await runCli(['run', 'nope/missing.ts', '--db', db]);
      expect(result.code).to.equal(2);
      expect(result.stderr).to.equal('flow: handler file "nope/missing.ts" does not exist\n');
    });

    it('exits 2 for --input without "="', async () => {
      const result = await runCli(['run', `${FIXTURES}/hello.ts`, '--input', 'name', '--db', db]);
      expect(result.code).to.equal(2);
      expect(result.stderr).to.equal('flow: --input "name" must have the form key=value (for example --input id=7)\n');
    });

    it('exits 2 for --inputs-json that is not a JSON object', async () => {
      const bad = await runCli(['run', `${FIXTURES}/hello.ts`, '--inputs-json', '{oops', '--db', db]);
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.match(/^flow: --inputs-json must be a JSON object, but it is not valid JSON: /);
      const list = await runCli(['run', `${FIXTURES}/hello.ts`, '--inputs-json', '[1]', '--db', db]);
      expect(list.stderr).to.equal('flow: --inputs-json must be a JSON object such as \'{"id": 7}\', got a list\n');
    });

    it('exits 2 for an unknown option or command, with help pointers', async () => {
      const option = await runCli(['run', `${FIXTURES}/hello.ts`, '--inptu', 'x=1']);
      expect(option.code).to.equal(2);
      expect(option.stderr).to.include("error: unknown option '--inptu'");
      const command = await runCli(['runn']);
      expect(command.code).to.equal(2);
      expect(command.stderr).to.include("error: unknown command 'runn'");
    });

    it('exits 2 with a clear message for a corrupt database', async () => {
      writeFileSync(db, 'garbage'.repeat(200));
      const result = await runCli(['run', `${FIXTURES}/hello.ts`, '--db', db]);
      expect(result.code).to.equal(2);
      expect(result.stderr).to.include(`flow: cannot open the execution store "${db}": the file is not a SQLite database or is corrupt`);
    });

    it('uses FLOW_DB when --db is not given', async () => {
      await runCli(['run', `${FIXTURES}/hello.ts`], { env: { FLOW_DB: db } });
      const list = await runCli(['list', '--db', db]);
      expect(list.stdout).to.match(/ENDED_SUCCESS .* hello/);
    });
  });

  describe('list and show', () => {
    it('lists flows newest first, filtered by status, as a table or JSON', async () => {
      await runCli(['run', `${FIXTURES}/hello.ts`, '--db', db]);
      await runCli(['run', `${FIXTURES}/fail.ts`, '--db', db]);
      const table = await runCli(['list', '--db', db]);
      expect(table.code).to.equal(0);
      const lines = table.stdout.trim().split('\n');
      expect(lines[0]).to.match(/^ID\s+STATUS\s+STARTED \(UTC\)\s+DURATION\s+NAME\s+MESSAGE$/);
      expect(lines[1]).to.match(/ENDED_ERROR .* fail .* failed on purpose/);
      expect(lines[2]).to.match(/ENDED_SUCCESS .* hello/);
      const errors = await runCli(['list', '--status', 'ended_error', '--json', '--db', db]);
      expect(JSON.parse(errors.stdout).map((r: { name: string }) => r.name)).to.deep.equal(['fail']);
      const limited = await runCli(['list', '--limit', '1', '--json', '--db', db]);
      expect(JSON.parse(limited.stdout)).to.have.length(1);
    });

    it('refuses a bad --status or --limit with exit 2', async () => {
      const status = await runCli(['list', '--status', 'DONE', '--db', db]);
      expect(status.code).to.equal(2);
      expect(status.stderr).to.equal('flow: --status must be one of RUNNING, ENDED_SUCCESS, ENDED_ERROR, ENDED_CANCELLED, got "DONE"\n');
      const limit = await runCli(['list', '--limit', '0', '--db', db]);
      expect(limit.code).to.equal(2);
      expect(limit.stderr).to.equal('flow: --limit must be a whole number >= 1, got "0"\n');
    });

    it('shows a flow and its children by id prefix or "last"', async () => {
      const ran = await runCli(['run', `${FIXTURES}/child-flow.ts`, '--json', '-q', '--db', db]);
      const id = JSON.parse(ran.stdout).execution_id as string;
      const shown = await runCli(['show', id.slice(0, 8), '--db', db]);
      expect(shown.code).to.equal(0);
      expect(shown.stdout).to.match(new RegExp(`^flow child-flow {2}ENDED_SUCCESS {2}\\d+ ms {2}\\(${id}\\)`));
      expect(shown.stdout).to.include('  #1 flow hello  ENDED_SUCCESS');
      expect(shown.stdout).to.include('hello child');
      const last = await runCli(['show', 'last', '--json', '--db', db]);
      expect(JSON.parse(last.stdout).execution_id).to.equal(id);
    });

    it('says when an id is unknown, exit 1', async () => {
      const result = await runCli(['show', 'ffffffff', '--db', db]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.equal(`flow show: no execution with id or unique id prefix "ffffffff" in ${db}\n`);
    });
  });

  it('--help explains every command and option', async () => {
    const top = await runCli(['--help']);
    expect(top.code).to.equal(0);
    for (const word of ['run', 'list', 'show']) expect(top.stdout).to.include(word);
    const run = await runCli(['run', '--help']);
    for (const option of ['--input', '--inputs-json', '--json', '--db', '--name', '--quiet']) expect(run.stdout).to.include(option);
    const list = await runCli(['list', '--help']);
    for (const option of ['--status', '--limit', '--all', '--json', '--db']) expect(list.stdout).to.include(option);
  });
});
