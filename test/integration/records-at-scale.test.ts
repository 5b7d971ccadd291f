/**
 * Records at scale, through the CLI: a bounded run summary, paged `flow show`, streamed JSON,
 * `flow prune` and the retention setting, and export-test's limit.
 */
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { SerializedJson, SqliteStore, type ExecutionTree } from '../helpers/lib.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

/** A finished run written straight into the store: a root and `children` tasks, ended `endedAt`. */
function seedRun(db: string, id: string, endedAt: Date, children: number, status = 'ENDED_SUCCESS', body?: string): void {
  const store = new SqliteStore(db);
  const at = endedAt.toISOString();
  store.insert({ execution_id: id, parent_id: null, root_id: id, kind: 'flow', type: 'seed.ts', name: 'seed', input_value: {}, created_at: at });
  for (let i = 0; i < children; i++) {
    const child = `${id}-c${i}`;
    store.insert({ execution_id: child, parent_id: id, root_id: id, kind: 'task', type: 'REST', name: 'REST', input_value: {}, created_at: at });
    const output = body ? new SerializedJson('{}', undefined, { text: body }) : new SerializedJson('{"status_code":200}');
    store.update(child, { name: 'REST', message: null, output_value: output, status: i === 1 ? 'ENDED_ERROR' : 'ENDED_SUCCESS', ended_at: at, duration: 0.01 });
  }
  store.update(id, { name: 'seed', message: null, output_value: new SerializedJson('{}'), status: status as 'ENDED_SUCCESS', ended_at: at, duration: 1 });
  store.close();
}

describe('records at scale', function () {
  this.timeout(60_000);
  let dir: TempDir;
  let db: string;
  let server: TestServer;
  beforeEach(async () => {
    dir = tempDir('flow-scale-');
    db = join(dir.path, 'executions.db');
    server = await startServer((req, res) => (req.url!.startsWith('/fail') ? sendJson(res, 500, { error: 'boom' }) : sendJson(res, 200, { ok: true })));
  });
  afterEach(async () => {
    await server.close();
    dir.cleanup();
  });

  it('flow run ends a large flow with counts by status, the first and last children and the failed ones, not a line per child', async () => {
    const handler = dir.write(
      'many.ts',
      `export default async function (this: any, system: any, _e: any, inputs: { base: string }) {
  const calls = [];
  for (let i = 0; i < 60; i++) {
    const url = inputs.base + (i % 25 === 7 ? '/fail/' : '/ok/') + i;
    calls.push(await this.task('REST', { url, retry_status_code: [] }, { name: 'call-' + i, wait: false }));
  }
  await this.wait_for(...calls, { return_when: system.return_when.ALL_ENDED });
}
`,
    );
    const result = await runCli(['run', handler, '--quiet', '--db', db, '--input', `base=${server.url}`]);
    expect(result.code, result.stderr).to.equal(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.length).to.be.lessThan(20);
    expect(result.stdout).to.include('children: 60 (57 ENDED_SUCCESS, 3 ENDED_ERROR)');
    expect(result.stdout).to.match(/… not ENDED_SUCCESS \(3\):\n.*call-7 .*\n.*call-32 .*\n.*call-57 /);
    expect(result.stdout).to.include('… last 3:');
    expect(lines.filter((l) => /REST call-/.test(l))).to.have.length(9);
  });

  it('flow show pages children with counts; --json and --jsonl stream the whole tree', async () => {
    seedRun(db, 'big', new Date(), 45);
    const first = await runCli(['show', 'big', '--db', db, '--children', '5']);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout.match(/^ {2}#\d+ task REST/gm)).to.have.length(5);
    expect(first.stdout).to.include('children: 45 (44 ENDED_SUCCESS, 1 ENDED_ERROR); shown: 1–5; next: flow show big --offset 5');
    const later = await runCli(['show', 'big', '--db', db, '--children', '5', '--offset', '40']);
    expect(later.stdout).to.include('(big-c40)');
    expect(later.stdout).to.include('shown: 41–45');
    expect(later.stdout).to.not.include('next:');
    const json = JSON.parse((await runCli(['show', 'big', '--json', '--db', db])).stdout) as ExecutionTree;
    expect(json.children.map((c) => c.execution_id)).to.deep.equal(Array.from({ length: 45 }, (_, i) => `big-c${i}`));
    const jsonl = (await runCli(['show', 'big', '--jsonl', '--db', db])).stdout.trimEnd().split('\n');
    expect(jsonl).to.have.length(46);
    expect(JSON.parse(jsonl[0]!)).to.include({ execution_id: 'big', parent_id: null });
    expect(JSON.parse(jsonl[45]!)).to.include({ execution_id: 'big-c44', parent_id: 'big' });
    const bad = await runCli(['show', 'big', '--children', 'ten', '--db', db]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--children must be a whole number >= 0, got "ten"');
  });

  it('flow show --json into a pipe whose reader stops early (| head) ends quietly with exit 0', async () => {
    seedRun(db, 'wide', new Date(), 600);
    const child = spawnCli(['show', 'wide', '--json', '--db', db]);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const [first] = (await once(child.stdout!, 'data')) as [Buffer];
    expect(first.toString()).to.match(/^\{\n {2}"execution_id": "wide"/);
    child.stdout!.destroy();
    expect(await exited).to.equal(0);
    expect(stderr).to.equal('');
  });

  it('flow prune deletes runs that ended before the age (keeping failed ones on request, and every running one), and their body files', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    const body = JSON.stringify({ rows: 'x'.repeat(70 * 1024) });
    seedRun(db, 'old-ok', old, 3, 'ENDED_SUCCESS', body);
    seedRun(db, 'old-failed', old, 2, 'ENDED_ERROR');
    seedRun(db, 'recent', new Date(), 2);
    const running = new SqliteStore(db);
    running.insert({
      execution_id: 'running',
      parent_id: null,
      root_id: 'running',
      kind: 'flow',
      type: 'r.ts',
      name: 'r',
      input_value: {},
      created_at: old.toISOString(),
    });
    running.flush();
    const bodies = join(`${db}.bodies`);
    expect(readdirSync(bodies, { recursive: true }).filter((f) => String(f).length > 10)).to.have.length(1);

    const dry = await runCli(['prune', '--older-than', '30d', '--keep-failed', '--dry-run', '--db', db]);
    expect(dry.stdout).to.match(/^would prune 1 run \(4 records\) that ended before .*, failed ones kept\n$/);
    const kept = await runCli(['prune', '--older-than', '30d', '--keep-failed', '--db', db]);
    expect(kept.stdout).to.match(
      /^pruned 1 run \(4 records\) that ended before .*, failed ones kept; removed 1 body file(; the store's file gave \d+ KiB back to the file system)?\n$/,
    );
    const all = await runCli(['prune', '--older-than', '30d', '--db', db]);
    expect(all.stdout).to.match(/^pruned 1 run \(3 records\) that ended before /);
    const left = JSON.parse((await runCli(['list', '--json', '--all', '--db', db])).stdout) as { execution_id: string }[];
    expect(left.map((r) => r.execution_id).sort()).to.deep.equal(['recent', 'recent-c0', 'recent-c1', 'running']);
    expect(readdirSync(bodies, { recursive: true }).filter((f) => String(f).length > 10)).to.have.length(0);
    running.close();

    const wrong = await runCli(['prune', '--older-than', '30 days', '--db', db]);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.include(
      '--older-than must be a whole number and a unit: m (minutes), h (hours), d (days) or w (weeks), as 30d or 12h, got "30 days"',
    );
    expect(existsSync(db)).to.equal(true);
  });

  it('flow prune gives the space back to the file system; an older store keeps it free until --vacuum', async () => {
    const pages = () => {
      const raw = new Database(db, { readonly: true });
      try {
        return { count: raw.pragma('page_count', { simple: true }) as number, mode: raw.pragma('auto_vacuum', { simple: true }) as number };
      } finally {
        raw.close();
      }
    };
    const seedLarge = (id: string) => {
      const store = new SqliteStore(db);
      const at = new Date(Date.now() - 40 * 86_400_000).toISOString();
      store.insert({ execution_id: id, parent_id: null, root_id: id, kind: 'flow', type: 'seed.ts', name: 'seed', input_value: {}, created_at: at });
      for (let i = 0; i < 300; i++) {
        store.insert({
          execution_id: `${id}-${i}`,
          parent_id: id,
          root_id: id,
          kind: 'task',
          type: 'REST',
          name: 'REST',
          input_value: { pad: 'x'.repeat(4000) },
          created_at: at,
        });
      }
      store.update(id, { name: 'seed', message: null, output_value: new SerializedJson('{}'), status: 'ENDED_SUCCESS', ended_at: at, duration: 1 });
      store.close();
    };
    // A store made by this version vacuums incrementally.
    seedLarge('big-old');
    const full = pages();
    expect(full.mode).to.equal(2);
    const pruned = await runCli(['prune', '--older-than', '30d', '--db', db]);
    expect(pruned.stdout).to.match(
      /^pruned 1 run \(301 records\) that ended before .*; removed 0 body files; the store's file gave \d+(\.\d)? (KiB|MiB) back to the file system\n$/,
    );
    expect(pages().count).to.be.below(full.count / 4);

    // An older store (made without incremental vacuum) keeps the pages for new records, and says how to give them back.
    seedLarge('big-older');
    const raw = new Database(db);
    raw.pragma('auto_vacuum = NONE');
    raw.exec('VACUUM');
    raw.close();
    const before = pages();
    expect(before.mode).to.equal(0);
    const kept = await runCli(['prune', '--older-than', '30d', '--db', db]);
    expect(kept.stdout).to.match(/; (\d+ KiB|\d+\.\d MiB) stays free inside the file for new records \(flow prune --vacuum gives it back\)\n$/);
    expect(pages().count).to.equal(before.count);
    const vacuumed = await runCli(['prune', '--older-than', '30d', '--vacuum', '--db', db]);
    expect(vacuumed.stdout).to.match(
      /^pruned 0 runs \(0 records\) that ended before .*; removed 0 body files; the store's file gave \d+(\.\d)? (KiB|MiB) back to the file system\n$/,
    );
    expect(pages()).to.deep.include({ mode: 2 });
    expect(pages().count).to.be.below(before.count / 4);

    const both = await runCli(['prune', '--older-than', '30d', '--vacuum', '--dry-run', '--db', db]);
    expect(both.code).to.equal(2);
    expect(both.stderr).to.include('--vacuum rewrites the file and --dry-run changes nothing: give one of them');
  });

  it('the retention setting prunes as a run starts, and a wrong one says what it takes', async () => {
    seedRun(db, 'ancient', new Date(Date.now() - 10 * 86_400_000), 2);
    const handler = dir.write('noop.ts', 'export default async function () {}\n');
    expect((await runCli(['setting', 'set', 'retention', '{"older_than": "7d"}', '--db', db])).code).to.equal(0);
    expect((await runCli(['run', handler, '--quiet', '--db', db])).code).to.equal(0);
    const ids = (JSON.parse((await runCli(['list', '--json', '--all', '--db', db])).stdout) as { execution_id: string }[]).map((r) => r.execution_id);
    expect(ids).to.have.length(1);
    expect(ids[0]).to.not.equal('ancient');
    await runCli(['setting', 'set', 'retention', '{"older_than": 7}', '--db', db]);
    const refused = await runCli(['prune', '--db', db]);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include(`the "retention" setting in ${db}: "older_than" must be a whole number and a unit`);
  });

  it('export-test refuses a flow too large to replay as a unit test, naming the count and what to do', async () => {
    seedRun(db, 'huge', new Date(), 2100);
    const result = await runCli(['export-test', 'huge', '--db', db]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('flow export-test: execution huge has 2101 records (the flow and its descendants); a test is exported for at most 2000');
  });
});
