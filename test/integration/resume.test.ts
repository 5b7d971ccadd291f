/**
 * Durable resume, with real processes and a real server that counts the requests it sees: a
 * run killed with SIGKILL, or one that failed, is resumed with `flow resume`, and only what is
 * left is sent (the journal hands back the rest).
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadTree, SqliteStore, type ExecutionTree } from '../helpers/lib.js';
import { runCli, spawnCli, type CliResult } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

interface Seen {
  method: string;
  url: string;
  key: string | undefined;
}

/**
 * A server that answers every request at once, except the first request to a path starting with
 * one of `hold`: that one it never answers, and tells `onHold` (the test kills the runner then).
 * Paths under `/fail/` answer 503 until `healthy` is set.
 */
async function countingServer() {
  const seen: Seen[] = [];
  const held = new Set<string>();
  const state = { hold: [] as string[], healthy: false, onHold: () => undefined as void };
  const server: TestServer = await startServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, key: req.headers['idempotency-key'] as string | undefined });
    if (state.hold.some((prefix) => req.url!.startsWith(prefix)) && !held.has(req.url!)) {
      held.add(req.url!);
      state.onHold();
      return;
    }
    const status = req.url!.startsWith('/fail/') && !state.healthy ? 503 : req.method === 'POST' ? 201 : 200;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url, n: seen.length }));
  });
  const count = (url: string) => seen.filter((s) => s.url === url).length;
  return { server, seen, state, count };
}

describe('flow resume: a stopped run goes on from where it was', function () {
  this.timeout(60_000);
  let dir: TempDir;
  let db: string;
  let api: Awaited<ReturnType<typeof countingServer>>;
  beforeEach(async () => {
    dir = tempDir('flow-resume-');
    db = join(dir.path, 'executions.db');
    api = await countingServer();
  });
  afterEach(async () => {
    await api.server.close();
    dir.cleanup();
  });

  /**
   * `flow run FILE` in a child process, SIGKILLed while the server holds a request (50 ms into it:
   * a kill in the very microseconds a GET leaves may also take the end of the task before it,
   * which is then sent again, safely; test/faults/crash-points.test.ts covers that window).
   */
  async function runUntilHeld(file: string, hold: string[]): Promise<void> {
    api.state.hold = hold;
    const held = new Promise<void>((resolve) => (api.state.onHold = () => resolve()));
    const child: ChildProcess = spawnCli(['run', file, '--quiet', '--db', db, '--input', `base=${api.server.url}`]);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await held;
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGKILL');
    await exited;
    api.state.hold = [];
  }

  const resume = (...args: string[]): Promise<CliResult> => runCli(['resume', 'last', '--quiet', '--db', db, ...args]);
  /** The last run's record tree, read in this process. */
  const tree = async (): Promise<ExecutionTree> => {
    const store = new SqliteStore(db);
    try {
      return loadTree(store, store.resolveId('last')!)!;
    } finally {
      store.close();
    }
  };

  /** Five tasks; the fourth is `fourth` (what the kill catches in flight). */
  function fiveTasks(fourth: string): string {
    return dir.write(
      'five.ts',
      `export default async function (this: any, _s: any, _e: any, inputs: { base: string }) {
  await this.task('REST', { url: inputs.base + '/item/1' });
  await this.task('REST', { url: inputs.base + '/order/2', method: 'post', json: { n: 2 }, idempotency_key: true });
  await this.task('REST', { url: inputs.base + '/item/3' });
  await this.task('REST', { url: inputs.base + ${fourth} });
  await this.task('REST', { url: inputs.base + '/item/5' });
  this.set_output('done', true);
}
`,
    );
  }

  it('killed during a GET: tasks 1-3 are not sent again, the GET in flight is, then task 5', async () => {
    await runUntilHeld(fiveTasks(`'/hold/4' }, { name: 'fourth'`), ['/hold/']);
    expect(['/item/1', '/order/2', '/item/3', '/hold/4'].map(api.count)).to.deep.equal([1, 1, 1, 1]);
    const resumed = await resume();
    expect(resumed.code, resumed.stdout + resumed.stderr).to.equal(0);
    expect(['/item/1', '/order/2', '/item/3', '/hold/4', '/item/5'].map(api.count)).to.deep.equal([1, 1, 1, 2, 1]);
    const record = await tree();
    expect(record.status).to.equal('ENDED_SUCCESS');
    expect(record.output_value).to.deep.equal({ done: true });
    expect(record.children.map((c) => [c.seq, c.status])).to.deep.equal([
      [1, 'ENDED_SUCCESS'],
      [2, 'ENDED_SUCCESS'],
      [3, 'ENDED_SUCCESS'],
      [4, 'ENDED_SUCCESS'],
      [5, 'ENDED_SUCCESS'],
    ]);
    expect(JSON.stringify(record.children[3]!.log)).to.include('run again on resume: it was in flight when the run stopped, and sending it again does no harm');
  });

  it('killed during a POST with idempotency_key: true: sent again, with the same key', async () => {
    await runUntilHeld(fiveTasks(`'/hold/4', method: 'post', json: { n: 4 }, idempotency_key: true`), ['/hold/']);
    expect((await resume()).code).to.equal(0);
    const posts = api.seen.filter((s) => s.url === '/hold/4');
    expect(posts).to.have.length(2);
    expect(posts[0]!.key)
      .to.be.a('string')
      .and.match(/^[0-9a-f-]{36}-4$/);
    expect(posts[1]!.key).to.equal(posts[0]!.key);
    expect(['/item/1', '/order/2', '/item/3', '/item/5'].map(api.count)).to.deep.equal([1, 1, 1, 1]);
  });

  it('killed during a POST without a key: AmbiguousOutcomeError saying what to do; --resend 4 sends it, or --skip records it', async () => {
    await runUntilHeld(fiveTasks(`'/hold/4', method: 'post', json: { n: 4 }`), ['/hold/']);
    const ambiguous = await resume();
    expect(ambiguous.code).to.equal(1);
    const id = (await tree()).execution_id;
    expect(ambiguous.stdout).to.include('ambiguous outcome: task REST "REST" (seq 4, POST ' + api.server.url + '/hold/4) was in flight when the run stopped');
    expect(ambiguous.stdout).to.include(`flow resume ${id} --resend 4 to send it again, or flow resume ${id} --skip 4 --output`);
    expect(api.count('/hold/4')).to.equal(1);
    expect(api.count('/item/5')).to.equal(0);

    const resent = await resume('--resend', '4');
    expect(resent.code, resent.stdout).to.equal(0);
    expect(['/item/1', '/order/2', '/item/3', '/hold/4', '/item/5'].map(api.count)).to.deep.equal([1, 1, 1, 2, 1]);
  });

  it('--skip SEQ --output JSON records what the server did instead of sending it', async () => {
    await runUntilHeld(fiveTasks(`'/hold/4', method: 'post', json: { n: 4 }`), ['/hold/']);
    const skipped = await resume('--skip', '4', '--output', '{"status_code": 201, "json": {"id": 44}}');
    expect(skipped.code, skipped.stdout).to.equal(0);
    expect(api.count('/hold/4')).to.equal(1);
    const fourth = (await tree()).children[3]!;
    expect(fourth).to.include({ status: 'ENDED_SUCCESS', message: 'recorded as done on resume (--skip 4), with outputs given by hand' });
    expect(fourth.output_value).to.deep.equal({ status_code: 201, json: { id: 44 } });
  });

  it('a run that failed on a 503 at task 3 of 5, retries spent (the server healthy now): 1-2 not sent, 3-5 sent', async () => {
    const file = dir.write(
      'fails.ts',
      `export default async function (this: any, _s: any, _e: any, inputs: { base: string }) {
  for (const [i, path] of [[1, '/item/1'], [2, '/item/2'], [3, '/fail/3'], [4, '/item/4'], [5, '/item/5']] as const) {
    // No time for retries: the run ends in error on the first 503 (as one whose deadline ran out).
    await this.task('REST', { url: inputs.base + path, retry_backoff: { deadline: 0 } }, { name: 'step ' + i });
  }
}
`,
    );
    const first = await runCli(['run', file, '--quiet', '--db', db, '--input', `base=${api.server.url}`]);
    expect(first.code).to.equal(1);
    api.state.healthy = true;
    const resumed = await resume();
    expect(resumed.code, resumed.stdout).to.equal(0);
    expect(['/item/1', '/item/2', '/fail/3', '/item/4', '/item/5'].map(api.count)).to.deep.equal([1, 1, 2, 1, 1]);
    const record = await tree();
    expect(record.children.map((c) => c.status)).to.deep.equal(Array(5).fill('ENDED_SUCCESS'));
    expect(JSON.stringify(record.children[2]!.log)).to.include('run again on resume: its failure ended the run');
    // The run keeps its attempts.
    const store = new SqliteStore(db);
    const run = store.run(record.execution_id)!;
    store.close();
    expect(run.attempt).to.equal(2);
    expect(run.history).to.have.length(1);
    expect(run.history[0]).to.include({ attempt: 1, status: 'ENDED_ERROR', resumed_because: 'failed' });
  });

  it('flow rerun ID --from 4 is a new run: calls 1-3 handed back from the journal, 4-5 sent; a --from that is no seq is refused', async () => {
    const file = fiveTasks(`'/item/4'`);
    const first = await runCli(['run', file, '--quiet', '--db', db, '--input', `base=${api.server.url}`]);
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    const original = (await tree()).execution_id;
    const bad = await runCli(['rerun', original, '--from', '0', '--db', db]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--from must be a seq >= 1, as flow show prints it, got "0"');
    const again = await runCli(['rerun', original, '--from', '4', '--quiet', '--db', db]);
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    expect(['/item/1', '/order/2', '/item/3', '/item/4', '/item/5'].map(api.count)).to.deep.equal([1, 1, 1, 2, 2]);
    const record = await tree();
    expect(record.execution_id).to.not.equal(original);
    expect(record.children.map((c) => [c.seq, c.status])).to.deep.equal([1, 2, 3, 4, 5].map((seq) => [seq, 'ENDED_SUCCESS']));
  });

  it('fan-out: 20 tasks with run_async and wait_for, killed after 12 ended: resume sends only the 8 left', async () => {
    const file = dir.write(
      'fan.ts',
      `export default async function (this: any, system: any, _e: any, inputs: { base: string }) {
  const tasks = [];
  for (let i = 1; i <= 20; i++) tasks.push(this.task('REST', { url: inputs.base + (i <= 12 ? '/fan/' : '/hold/fan/') + i }, { run: false }));
  const started = await Promise.all(tasks);
  for (const task of started) task.run_async();
  await this.wait_for(...started);
}
`,
    );
    api.state.hold = ['/hold/'];
    let holds = 0;
    const child = spawnCli(['run', file, '--quiet', '--db', db, '--input', `base=${api.server.url}`]);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) => (api.state.onHold = () => void (++holds === 8 && resolve())));
    // The 12 answered ended; their ends are committed within the turn (give it a few).
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGKILL');
    await exited;
    api.state.hold = [];
    expect(api.seen.length).to.equal(20);
    const resumed = await resume();
    expect(resumed.code, resumed.stdout).to.equal(0);
    expect(api.seen.length).to.equal(28);
    expect(api.seen.slice(20).every((s) => s.url.startsWith('/hold/fan/'))).to.equal(true);
  });

  it('child flows nested two deep resume the same way', async () => {
    dir.write(
      'grandchild.ts',
      `export default async function (this: any, _s: any, _e: any, inputs: { base: string }) {
  await this.task('REST', { url: inputs.base + '/item/g1' });
  await this.task('REST', { url: inputs.base + '/hold/g2' });
  await this.task('REST', { url: inputs.base + '/item/g3' });
}
`,
    );
    dir.write(
      'child.ts',
      `export default async function (this: any, _s: any, _e: any, inputs: { base: string }) {
  await this.task('REST', { url: inputs.base + '/item/c1' });
  await this.flow('grandchild', { base: inputs.base });
  await this.task('REST', { url: inputs.base + '/item/c3' });
}
`,
    );
    const root = dir.write(
      'root.ts',
      `export default async function (this: any, _s: any, _e: any, inputs: { base: string }) {
  await this.task('REST', { url: inputs.base + '/item/r1' });
  await this.flow('child', { base: inputs.base });
  await this.task('REST', { url: inputs.base + '/item/r3' });
}
`,
    );
    await runUntilHeld(root, ['/hold/']);
    const resumed = await resume();
    expect(resumed.code, resumed.stdout).to.equal(0);
    expect(['/item/r1', '/item/c1', '/item/g1', '/hold/g2', '/item/g3', '/item/c3', '/item/r3'].map(api.count)).to.deep.equal([1, 1, 1, 2, 1, 1, 1]);
    const record = await tree();
    expect(record.children[1]!.children[1]!.children.map((c) => [c.seq, c.status])).to.deep.equal([
      [1, 'ENDED_SUCCESS'],
      [2, 'ENDED_SUCCESS'],
      [3, 'ENDED_SUCCESS'],
    ]);
  });
});
