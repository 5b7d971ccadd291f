/**
 * What a crash can lose, proved by killing the runner with SIGKILL at random points of a flow
 * that mixes GETs (idempotent: they leave at once) and POSTs (write-ahead: they leave once their
 * start is committed, with every write before it). After each kill, the store must say:
 * - every POST the server saw has its task record (ENDED_ERROR "process exited unexpectedly" if
 *   it was still out);
 * - every task that ended before the last POST the server saw is recorded with its real end;
 * - nothing is left RUNNING.
 * What may be lost: the start of GETs that left after the last commit, and ends of the last turn.
 */
import { join } from 'node:path';
import { expect } from 'chai';
import { SqliteStore, type ExecutionRecord } from '../helpers/lib.js';
import { spawnCli } from '../helpers/cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { seededRandom as random } from '../helpers/random.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const TASKS = 24;
const HANDLER = `
export default async function (this: any, _s: any, _e: any, inputs: { base: string }) {
  for (let i = 1; i <= ${TASKS}; i++) {
    if (i % 3 === 0) await this.task('REST', { url: inputs.base + '/post/' + i, method: 'post', json: { i } }, { name: 'post-' + i });
    else await this.task('REST', { url: inputs.base + '/get/' + i }, { name: 'get-' + i });
    this.log('done ' + i);
  }
}
`;

describe('faults: SIGKILL at random points of a flow of GETs and POSTs', function () {
  this.timeout(60_000);
  let dir: TempDir;
  beforeEach(() => (dir = tempDir('flow-crash-points-')));
  afterEach(() => dir.cleanup());

  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
  const next = random(seed);
  // Most kills are immediate (in the server's request handler, before the runner's turn can end),
  // the rest a millisecond or two later.
  const points = Array.from({ length: 8 }, () => ({ request: 1 + Math.floor(next() * TASKS), delayMs: next() < 0.75 ? 0 : 1 + Math.floor(next() * 2) }));

  for (const [index, point] of points.entries()) {
    it(`kill ${index + 1} (seed ${seed}): when the server has seen request ${point.request}, after ${point.delayMs} ms`, async () => {
      const db = join(dir.path, 'crash.db');
      const seen: string[] = [];
      let kill: () => void = () => undefined;
      const server: TestServer = await startServer((req, res) => {
        seen.push(req.url!);
        if (seen.length === point.request) {
          if (point.delayMs === 0) kill();
          else setTimeout(kill, point.delayMs);
        } else sendJson(res, req.method === 'POST' ? 201 : 200, { ok: true });
      });
      try {
        const handler = dir.write('mixed.ts', HANDLER);
        const child = spawnCli(['run', handler, '--db', db, '--quiet', '--input', `base=${server.url}`]);
        const exited = new Promise((resolve) => child.on('exit', resolve));
        kill = () => child.kill('SIGKILL');
        await exited;
      } finally {
        await server.close();
      }
      const store = new SqliteStore(db);
      try {
        const [root] = store.list({ limit: 1 });
        expect(root, 'the flow record').to.not.equal(undefined);
        const children = store.children(root!.execution_id);
        const byName = new Map<string, ExecutionRecord>(children.map((c) => [c.name, c]));
        const all = [store.get(root!.execution_id)!, ...children];
        expect(
          all.filter((r) => r.status === 'RUNNING').map((r) => r.name),
          'left RUNNING',
        ).to.deep.equal([]);
        // Rows are committed in order: the tasks recorded are the first ones, in start order.
        const numbers = children.map((c) => Number(c.name.split('-')[1]));
        expect(numbers).to.deep.equal(numbers.map((_n, i) => i + 1));
        const posts = seen.filter((url) => url.startsWith('/post/')).map((url) => Number(url.split('/')[2]));
        for (const i of posts) expect(byName.has(`post-${i}`), `the record of POST ${i}, which the server saw`).to.equal(true);
        const lastPost = Math.max(0, ...posts);
        for (let i = 1; i < lastPost; i++) {
          const name = i % 3 === 0 ? `post-${i}` : `get-${i}`;
          expect(byName.get(name)?.status, `${name}, ended before POST ${lastPost} left`).to.equal('ENDED_SUCCESS');
        }
        if (lastPost > 0) {
          const last = byName.get(`post-${lastPost}`)!;
          // The POST the kill caught: out (orphaned) or, if its answer came first, ended.
          expect(['ENDED_ERROR', 'ENDED_SUCCESS']).to.include(last.status);
          if (last.status === 'ENDED_ERROR') expect(last.message).to.equal('process exited unexpectedly');
        }
      } finally {
        store.close();
      }
    });
  }
});
