/**
 * Records at scale: (a) a flow of 100,000 recorded GETs run by `flow run`, its RSS sampled to the
 * end of the summary (the last 10 % against the first 10 % of the running plateau, and the peak);
 * (b) a store holding a flow of 1,000,000 tasks (seeded straight into SQLite): `flow show` and
 * `flow show --json` of it (time and peak RSS) and `flow list --all`; (c) heap kept per task by
 * `run()`'s default memory store.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { inputHash } from '../lib/core/journal.js';
import { SqliteStore } from '../lib/store/sqlite.js';
import { median, type Row } from './lib.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

async function startServer(): Promise<{ url: string; kill: () => void }> {
  const child = spawn(process.execPath, ['bench/workers/server.mjs'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [data] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${data.toString().trim()}`, kill: () => child.kill() };
}

function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `flow run` of 100,000 tasks, RSS every 100 ms until it exits (summary included). */
async function runAtScale(url: string, dir: string, count: number): Promise<Row[]> {
  const args = [
    'bin/flow.js',
    'run',
    'bench/fixtures/many-tasks.ts',
    '--quiet',
    '--db',
    join(dir, 'scale.db'),
    '--input',
    `url=${url}/small`,
    '--input',
    `count=${count}`,
    '--input',
    'concurrency=64',
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const samples: number[] = [];
  const timer = setInterval(() => {
    const rss = rssMiB(child.pid!);
    if (rss !== undefined) samples.push(rss);
  }, 100);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'close')) as [number];
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`flow run of ${count} tasks exited ${code}: ${out}`);
  // The plateau: after the first second (startup and warm-up), until the run ends.
  const running = samples.slice(10);
  const tenth = Math.max(1, Math.floor(running.length / 10));
  const first = median(running.slice(0, tenth));
  const last = median(running.slice(-tenth));
  const peak = Math.max(...samples);
  return [
    { benchmark: `flow run, ${count.toLocaleString('en-US')} tasks (c=64)`, subject: 'RSS, first 10 % of the run', value: first, unit: 'MiB' },
    {
      benchmark: `flow run, ${count.toLocaleString('en-US')} tasks (c=64)`,
      subject: 'RSS, last 10 % (summary included)',
      value: last,
      unit: 'MiB',
      ratio: last / first,
      note: `peak ${peak.toFixed(0)} MiB = ${(peak / first).toFixed(2)}× the first 10 %; ${Math.round(count / seconds)} tasks/s; goals: last within 10 %, peak ≤ 1.2×`,
    },
  ];
}

/** The id of the large flow's child number `i` (time-ordered, as the runner makes them). */
const childId = (i: number) => `${(0x10000000 + i).toString(16)}-0000-7000-8000-000000000000`;

/** A store with one flow of `count` finished tasks (rows as the writer writes them), and 1,000 other runs. */
export function seedMillion(path: string, count: number): string {
  new SqliteStore(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const row = db.prepare(
    `INSERT INTO executions (execution_id, parent_id, root_id, kind, type, name, status, input_value, output_value, derived, message, created_at, ended_at, duration, owner, log, seq, input_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`,
  );
  const run = db.prepare('INSERT INTO runs (root_id, owner, started_at, ended_at) VALUES (?, ?, ?, ?)');
  const at = new Date().toISOString();
  const root = 'f0000000-0000-4000-8000-000000000000';
  const output = JSON.stringify({
    status_code: 200,
    headers: { 'content-type': 'application/json' },
    cookies: {},
    encoding: 'utf-8',
    url: 'http://127.0.0.1/small',
    length: 63,
    text: '{"ok":true,"id":7}',
  });
  const hash = inputHash('{"url":"http://127.0.0.1/small"}');
  db.transaction(() => {
    for (let i = 0; i < 1000; i++) {
      const id = `0${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`;
      row.run(id, null, id, 'flow', 'other.ts', 'other', 'ENDED_SUCCESS', '{}', '{}', null, null, at, at, 1, null, null, null);
      run.run(id, 'bench', at, at);
    }
    row.run(root, null, root, 'flow', 'many.ts', 'many', 'ENDED_SUCCESS', '{}', '{}', null, null, at, at, 100, null, null, null);
    run.run(root, 'bench', at, at);
    for (let i = 0; i < count; i++) {
      const id = childId(i);
      const log = JSON.stringify([{ [at]: [`try 1: GET http://127.0.0.1/small → 200 OK (0.001 s)`] }]);
      row.run(
        id,
        root,
        root,
        'task',
        'REST',
        'REST',
        i % 1000 === 0 ? 'ENDED_ERROR' : 'ENDED_SUCCESS',
        '{"url":"http://127.0.0.1/small"}',
        output,
        '{"json":"text"}',
        'GET http://127.0.0.1/small returned 200 OK',
        at,
        at,
        0.001,
        log,
        i + 1,
        hash,
      );
    }
  })();
  db.close();
  return root;
}

/**
 * Wall time and peak RSS of one `flow` command (GNU time's %M); its output goes to a file, of
 * which the last 64 KiB are returned (to check the command printed what it should, to the end).
 */
function timeFlow(args: string[], dir: string): { ms: number; rssMiB: number; tail: string; bytes: number } {
  const file = join(dir, 'flow-output.txt');
  const fd = openSync(file, 'w');
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/flow.js', ...args], {
    cwd: REPO,
    stdio: ['ignore', fd, 'pipe'],
    maxBuffer: 1 << 20,
  });
  const ms = performance.now() - started;
  closeSync(fd);
  if (result.status !== 0) throw new Error(`flow ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  const bytes = statSync(file).size;
  const tail = Buffer.alloc(Math.min(bytes, 65536));
  const read = openSync(file, 'r');
  readSync(read, tail, 0, tail.length, bytes - tail.length);
  closeSync(read);
  rmSync(file);
  return { ms, rssMiB: Number(result.stderr.toString().trim().split('\n').pop()) / 1024, tail: tail.toString(), bytes };
}

export async function benchScale(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flow-bench-scale-'));
  const server = await startServer();
  const rows: Row[] = [];
  try {
    rows.push(...(await runAtScale(server.url, dir, Number(process.env.BENCH_SCALE_TASKS ?? 100_000))));
    const footprint = spawnSync(process.execPath, ['--expose-gc', 'bench/workers/memory-footprint.mjs', `${server.url}/small`, '20000'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    const bytes = (JSON.parse(footprint.stdout.trim().split('\n').pop()!) as { bytesPerTask: number }).bytesPerTask;
    rows.push({
      benchmark: 'run(), memory store',
      subject: 'heap kept per recorded task',
      value: bytes,
      unit: 'B',
      note: '20,000 small GETs; the SQLite row of one is ~1.2 KB',
    });
    const db = join(dir, 'million.db');
    const root = seedMillion(db, Number(process.env.BENCH_SCALE_RECORDS ?? 1_000_000));

    const count = Number(process.env.BENCH_SCALE_RECORDS ?? 1_000_000);
    timeFlow(['list', '--db', db], dir); // warm the page cache
    const show = timeFlow(['show', root, '--db', db], dir);
    const json = timeFlow(['show', root, '--json', '--db', db], dir);
    const list = timeFlow(['list', '--all', '--db', db], dir);
    const failed = timeFlow(['list', '--all', '--status', 'ENDED_CANCELLED', '--db', db], dir);
    // Each measured the whole job: the counts of every child, the tree to its last child, every run.
    if (!show.tail.includes(`children: ${count} (`)) throw new Error(`flow show did not count ${count} children:\n${show.tail.slice(-2000)}`);
    if (!json.tail.includes(childId(count - 1)) || json.bytes < count * 500)
      throw new Error(`flow show --json did not print ${count} children (${json.bytes} bytes)`);
    if (!list.tail.includes(childId(count - 1).slice(0, 8))) throw new Error('flow list --all did not list the newest child first');
    const scale = 'a flow of 1,000,000 tasks';
    rows.push(
      { benchmark: scale, subject: 'flow show ID', value: show.ms, unit: 'ms', note: `peak RSS ${show.rssMiB.toFixed(0)} MiB; goal < 500 ms` },
      {
        benchmark: scale,
        subject: 'flow show ID --json',
        value: json.ms,
        unit: 'ms',
        note: `peak RSS ${json.rssMiB.toFixed(0)} MiB (streamed); goal ≤ 150 MiB`,
      },
      { benchmark: scale, subject: 'flow list --all', value: list.ms, unit: 'ms', note: `peak RSS ${list.rssMiB.toFixed(0)} MiB; goal < 200 ms` },
      {
        benchmark: scale,
        subject: 'flow list --all --status ENDED_CANCELLED',
        value: failed.ms,
        unit: 'ms',
        note: `none there: the failed-and-cancelled index answers without a scan; peak RSS ${failed.rssMiB.toFixed(0)} MiB`,
      },
    );
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
