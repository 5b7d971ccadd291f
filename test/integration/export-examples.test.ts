/**
 * `flow export-test` on every example: each is recorded against the demo API, exported, and the
 * exported tests run unchanged, offline, in one mocha process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { startDemoApi, type DemoApi } from '../../examples/demo-api.js';
import { run, SqliteStore } from '../helpers/lib.js';
import { generateTest } from '../../lib/testing/export-test.js';
import { loadTree } from '../../lib/store/store.js';
import { REPO } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Inputs some examples need; the rest take only `api`. */
const INPUTS: Record<string, Record<string, unknown>> = {
  'post-json': { name: 'chair', price: 30 },
  put: { id: 7 },
  'json-from-inputs': { customer: 'Initech', lines: [{ sku: 'Z9', qty: 3 }] },
  retries: { key: 'export-examples' },
};

describe('flow export-test on every example', function () {
  this.timeout(180_000);

  it('records each example, exports it, and every exported test passes as generated', async () => {
    const names = readdirSync(join(REPO, 'examples'))
      .filter((f) => f.endsWith('.ts') && f !== 'demo-api.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    const dir = tempDir('flow-export-examples-');
    const out = join(REPO, 'test', '.tmp', 'exported-examples');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    let api: DemoApi | undefined;
    let fixedPort: DemoApi | undefined;
    try {
      api = await startDemoApi();
      // examples/joke.ts is API.md's handler, which calls the demo API on its usual port.
      fixedPort = await startDemoApi(8080).catch((error: Error) => {
        throw new Error(`examples/joke.ts needs the demo API on 127.0.0.1:8080, which is taken: ${error.message}`);
      });
      const db = join(dir.path, 'examples.db');
      for (const name of names) {
        let id: string;
        if (name === 'tour') {
          // It calls https://api.example.com: recorded with nock standing in, in its own process.
          id = execFileSync(process.execPath, ['--import', 'tsx', 'test/fixtures/scripts/record-tour.ts', db], { cwd: REPO, encoding: 'utf8' });
        } else {
          const store = new SqliteStore(db);
          try {
            const inputs = name === 'joke' || name === 'demo' ? {} : { api: api.url, ...INPUTS[name] };
            const record = await run(`examples/${name}.ts`, { store, inputs, filesDir: join(dir.path, 'files', name) });
            expect(record.status, `${name}: ${record.message}`).to.equal('ENDED_SUCCESS');
            id = record.execution_id;
          } finally {
            store.close();
          }
        }
        const store = new SqliteStore(db);
        try {
          writeFileSync(join(out, `${name}.test.ts`), generateTest(loadTree(store, id)!, { id, cwd: REPO }));
        } finally {
          store.close();
        }
      }
    } finally {
      await api?.close();
      await fixedPort?.close();
      dir.cleanup();
    }
    const result = spawnSync(process.execPath, [join(REPO, 'node_modules/mocha/bin/mocha.js'), '--config', '.mocharc.json', `${out}/*.test.ts`], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(result.status, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.include(`${names.length} passing`);
  });
});
