/**
 * The replay rules of `resume()`, through the library: what a changed handler meets
 * (NonDeterminismError, `this.patched()`), values journaled for replay (`this.now()`,
 * `this.uuid()`, a durable `this.sleep()`), `rerun()` from a seq, and every input `flow resume`
 * refuses (exit 2, the store unchanged).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { realClock, rerun, resume, ResumeError, run, SqliteStore, type Clock, type Execution, type ExecutionTree } from '../helpers/lib.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

describe('resume: the replay rules', function () {
  this.timeout(30_000);
  let dir: TempDir;
  let db: string;
  let server: TestServer;
  let healthy: boolean;
  let sent: string[];
  beforeEach(async () => {
    dir = tempDir('flow-replay-');
    db = join(dir.path, 'executions.db');
    healthy = false;
    sent = [];
    server = await startServer((req, res) => {
      sent.push(req.url!);
      const status = req.url!.startsWith('/fail') && !healthy ? 500 : 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url }));
    });
  });
  afterEach(async () => {
    await server.close();
    dir.cleanup();
  });

  /** Run `handler` on the test's SQLite store (real time), expecting it to fail; returns its record. */
  async function failingRun(handler: (this: Execution) => Promise<void>): Promise<ExecutionTree> {
    const record = await run(handler, { store: db, clock: realClock });
    expect(record.status, record.message ?? '').to.equal('ENDED_ERROR');
    healthy = true;
    return record;
  }

  const get = (self: Execution, path: string) => self.task('REST', { url: `${server.url}${path}` });

  describe('non-determinism is caught, not replayed', () => {
    const v1 = async function (this: Execution) {
      await get(this, '/a');
      await get(this, '/b');
      await get(this, '/fail/c');
    };

    it('a changed input names the seq and both calls, and sends nothing for it', async () => {
      const first = await failingRun(v1);
      const record = await resume(first.execution_id, {
        store: db,
        handler: async function (this: Execution) {
          await get(this, '/a');
          await get(this, '/b-changed');
          await get(this, '/fail/c');
        },
      });
      expect(record.status).to.equal('ENDED_ERROR');
      expect(record.message).to.match(
        /^seq 2: the journal recorded task REST "REST" \(.+\) with inputs \{"url":"http:\/\/127\.0\.0\.1:\d+\/b"\}, and the handler now makes the same call with other inputs: task REST with inputs \{"url":"http:\/\/127\.0\.0\.1:\d+\/b-changed"\}/,
      );
      expect(sent).to.deep.equal(['/a', '/b', '/fail/c']);
    });

    it('reordered tasks, and a removed one at the end, are caught too', async () => {
      const first = await failingRun(v1);
      const reordered = await resume(first.execution_id, {
        store: db,
        handler: async function (this: Execution) {
          await get(this, '/b');
          await get(this, '/a');
        },
      });
      expect(reordered.message).to.match(
        /^seq 1: the journal recorded task REST "REST" .+\/a"\}, and the handler now makes the same call with other inputs: .+\/b"\}/,
      );
      const removed = await resume(first.execution_id, {
        store: db,
        handler: async function (this: Execution) {
          await get(this, '/a');
          await get(this, '/b');
        },
      });
      expect(removed.status).to.equal('ENDED_ERROR');
      expect(removed.message).to.match(/^seq 3: the journal recorded task REST "REST" .+\/fail\/c"\}, and the handler ended without calling it/);
      expect(sent).to.deep.equal(['/a', '/b', '/fail/c']);
    });

    it('this.patched() lets a changed handler resume cleanly: false on the old journal, true in new runs', async () => {
      const first = await failingRun(v1);
      const v2 = async function (this: Execution) {
        await get(this, '/a');
        if (this.patched('b-moved')) await get(this, '/b-v2');
        else await get(this, '/b');
        await get(this, '/fail/c');
      };
      const resumed = await resume(first.execution_id, { store: db, handler: v2 });
      expect(resumed.status, resumed.message ?? '').to.equal('ENDED_SUCCESS');
      expect(sent).to.deep.equal(['/a', '/b', '/fail/c', '/fail/c']);
      const fresh = await run(v2, { store: db, clock: realClock });
      expect(fresh.status).to.equal('ENDED_SUCCESS');
      expect(sent.slice(4)).to.deep.equal(['/a', '/b-v2', '/fail/c']);
    });
  });

  it('this.now(), this.uuid() and this.random() give the recorded values back on resume', async () => {
    const values: unknown[][] = [];
    const handler = async function (this: Execution) {
      values.push([this.now().toISOString(), this.uuid(), this.random()]);
      await get(this, '/fail/x');
    };
    const first = await failingRun(handler);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const resumed = await resume(first.execution_id, { store: db, handler });
    expect(resumed.status).to.equal('ENDED_SUCCESS');
    expect(values).to.have.length(2);
    expect(values[1]).to.deep.equal(values[0]);
  });

  it('a 10 s this.sleep() stopped after 6 s waits about 4 s on resume (fake clock)', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const asked: number[] = [];
    const abort = new AbortController();
    const stuck: Clock = {
      now: () => now,
      // The first run never wakes: it is cancelled in its sleep.
      sleep: (ms, signal) => {
        asked.push(ms);
        setTimeout(() => abort.abort(new Error('stopped mid-sleep')), 10);
        return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      },
    };
    const handler = async function (this: Execution) {
      await this.sleep(10);
      this.set_output('woke', true);
    };
    const first = await run(handler, { store: db, clock: stuck, signal: abort.signal });
    expect(first.status).to.equal('ENDED_CANCELLED');
    now += 6_000;
    const later: Clock = { now: () => now, sleep: async (ms) => void asked.push(ms) };
    const resumed = await resume(first.execution_id, { store: db, handler, clock: later });
    expect(resumed.status).to.equal('ENDED_SUCCESS');
    expect(asked).to.deep.equal([10_000, 4_000]);
    expect(JSON.stringify(resumed.log)).to.include('sleeping 10 s (4 s left after a resume)');
  });

  it('a recorded download is handed back while its file is there unchanged, and sent again when it is not', async () => {
    const handler = async function (this: Execution) {
      await this.task('REST', { url: `${server.url}/report.csv`, dst: 'report.csv', overwrite: true });
      await get(this, '/fail/after');
    };
    const first = await run(handler, { store: db, clock: realClock });
    expect(first.status).to.equal('ENDED_ERROR');
    const file = (first.children[0]!.output_value as { file: { path: string } }).file.path;
    // Still failing, file intact: the download is not sent again.
    const kept = await resume(first.execution_id, { store: db, handler });
    expect(kept.status).to.equal('ENDED_ERROR');
    expect(sent.filter((u) => u === '/report.csv')).to.have.length(1);
    writeFileSync(file, 'changed by hand');
    healthy = true;
    const again = await resume(first.execution_id, { store: db, handler });
    expect(again.status, again.message ?? '').to.equal('ENDED_SUCCESS');
    expect(sent.filter((u) => u === '/report.csv')).to.have.length(2);
    expect(JSON.stringify(again.children[0]!.log)).to.include('run again on resume: what it recorded is no longer there as it was (a downloaded file)');
  });

  it('rerun(id, from) starts a new run that reuses the calls before the seq and sends the rest', async () => {
    healthy = true;
    const handler = async function (this: Execution) {
      for (const path of ['/1', '/2', '/3', '/4', '/5']) await get(this, path);
    };
    const first = await run(handler, { store: db, clock: realClock });
    expect(first.status).to.equal('ENDED_SUCCESS');
    const again = await rerun(first.execution_id, 4, { store: db, handler });
    expect(again.status).to.equal('ENDED_SUCCESS');
    expect(again.execution_id).to.not.equal(first.execution_id);
    expect(sent).to.deep.equal(['/1', '/2', '/3', '/4', '/5', '/4', '/5']);
    expect(again.children.map((c) => c.seq)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(JSON.stringify(again.children[0]!.log)).to.include(`replayed from execution ${first.children[0]!.execution_id} of run ${first.execution_id}`);
  });

  describe('what flow resume refuses: exit 2, a message naming the run and what to do, the store unchanged', () => {
    const flowFile = () =>
      dir.write(
        'flow.ts',
        `export default async function (this: any, _s: any, _e: any, inputs: { base: string }) {
  await this.task('REST', { url: inputs.base + '/a' });
  await this.task('REST', { url: inputs.base + '/fail/b' });
}
`,
      );
    const failedRun = async () => {
      const file = flowFile();
      const record = await run(file, { store: db, clock: realClock, inputs: { base: server.url } });
      expect(record.status).to.equal('ENDED_ERROR');
      return { file, id: record.execution_id };
    };
    const attempts = (id: string) => {
      const store = new SqliteStore(db);
      const attempt = store.run(id)!.attempt;
      store.close();
      return attempt;
    };
    const refused = async (args: string[], message: string | RegExp) => {
      const result = await runCli(['resume', ...args, '--db', db]);
      expect(result.code, result.stdout + result.stderr).to.equal(2);
      if (typeof message === 'string') expect(result.stderr).to.include(message);
      else expect(result.stderr).to.match(message);
    };

    /** The library's refusal (a ResumeError), without a process per case. */
    const refusedHere = async (id: string, options: Parameters<typeof resume>[1], message: string | RegExp) => {
      let error: unknown;
      try {
        await resume(id, { store: db, ...options });
      } catch (caught) {
        error = caught;
      }
      expect(error, 'resume() should refuse').to.be.instanceOf(ResumeError);
      if (typeof message === 'string') expect((error as Error).message).to.include(message);
      else expect((error as Error).message).to.match(message);
    };

    it('an id that does not exist, a run that ended ENDED_SUCCESS, a child instead of its run', async () => {
      await refused(['zzzzzzzz'], `flow: no execution with id or unique id prefix "zzzzzzzz" in ${db}`);
      healthy = true;
      const ok = await run(
        async function (this: Execution) {
          await get(this, '/a');
        },
        { store: db, clock: realClock },
      );
      expect(ok.status).to.equal('ENDED_SUCCESS');
      const child = ok.children[0]!;
      await refusedHere(
        ok.execution_id,
        {},
        `run ${ok.execution_id} ended ENDED_SUCCESS: there is nothing to resume (flow rerun ${ok.execution_id} --from SEQ runs part of it again)`,
      );
      await refusedHere(child.execution_id, {}, `execution ${child.execution_id} is a task inside run ${ok.execution_id}: a run is resumed whole`);
    });

    it('a run still running in another process', async () => {
      const file = dir.write('hangs.ts', `export default async function (this: any, _s: any, _e: any, inputs: { base: string }) { await this.sleep(30); }\n`);
      const child = spawnCli(['run', file, '--quiet', '--db', db, '--input', `base=${server.url}`]);
      const exited = new Promise((resolve) => child.on('exit', resolve));
      try {
        let id: string | undefined;
        for (let i = 0; i < 100 && !id; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          const store = new SqliteStore(db);
          id = store.list({ limit: 1 })[0]?.execution_id;
          store.close();
        }
        await refused([id!], new RegExp(`run ${id} is running \\(process [^:]+:${child.pid}:.*\\): a run can be resumed once it has stopped`));
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
    });

    it('flow list --resumable lists the runs that can be resumed, with their attempt', async () => {
      const { id } = await failedRun();
      healthy = true;
      expect((await runCli(['run', flowFile(), '--quiet', '--db', db, '--input', `base=${server.url}`])).code).to.equal(0);
      const listed = JSON.parse((await runCli(['list', '--resumable', '--json', '--db', db])).stdout) as { execution_id: string; attempt: number }[];
      expect(listed.map((r) => [r.execution_id, r.attempt])).to.deep.equal([[id, 1]]);
      expect((await runCli(['resume', id, '--quiet', '--db', db])).code).to.equal(0);
      expect((await runCli(['list', '--resumable', '--db', db])).stdout.trim()).to.equal('no run to resume');
    });

    it('a handler file that is gone, or no longer exports a handler', async () => {
      const { file, id } = await failedRun();
      writeFileSync(file, 'export const nothing = 1;\n');
      await refused([id], `run ${id} cannot be resumed: handler file "${file}" does not export a handler function`);
      rmSync(file);
      await refused([id], `the handler file of run ${id}, ${file}, is gone: put it back to resume the run`);
      expect(attempts(id)).to.equal(1);
    });

    it('--resend or --skip of a seq whose outcome is known, a seq that does not exist, --skip without --output', async () => {
      const { id } = await failedRun();
      await refused(
        [id, '--resend', '1'],
        /--resend 1: task REST "REST" ended ENDED_SUCCESS \(GET .+\/a returned 200 OK\): only a task that was in flight when the run stopped has an unknown outcome to resend or skip/,
      );
      await refusedHere(id, { resend: ['9'] }, `--resend 9: run ${id} has no call at seq 9`);
      await refusedHere(id, { resend: ['first'] }, '--resend takes a seq as flow show prints it (4, or 2.4 inside the 2nd child flow), got "first"');
      await refusedHere(id, { skip: { '1': { done: true } } }, /--skip 1: task REST "REST" ended ENDED_SUCCESS/);
      await refused([id, '--skip', '2'], 'each --skip SEQ needs an --output JSON with what the server did, in the same order: got 1 --skip and 0 --output');
      await refused([id, '--skip', '2', '--output', '[1]'], `--output for --skip 2 must be a JSON object such as '{"status_code": 201}', got [1]`);
      expect(attempts(id)).to.equal(1);
    });

    it('a store written by a newer flow_api', async () => {
      const { id } = await failedRun();
      const Database = (await import('better-sqlite3')).default;
      const raw = new Database(db);
      raw.pragma('user_version = 99');
      raw.close();
      await refused([id], 'was written by a newer flow_api (schema version 99; this one reads up to 4)');
    });
  });
});
