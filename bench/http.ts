/**
 * Request throughput against a local server in its own process: REST tasks recorded in SQLite vs
 * raw node-fetch and raw node:http, both with keep-alive agents. Each subject runs in a fresh
 * process, subjects alternate, the median of the runs is kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Row } from './lib.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
type Mode = 'http' | 'fetch' | 'rest';

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bench/workers/server.mjs'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [data] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${data.toString().trim()}`, child };
}

async function client(mode: Mode, url: string, concurrency: number, count: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'flow-bench-http-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/workers/http.ts', mode, url, String(concurrency), String(count), dir], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'close')) as [number];
    if (code !== 0) throw new Error(`http worker (${mode}) exited ${code}`);
    return (JSON.parse(out.trim().split('\n').pop()!) as { ms: number }).ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Case {
  benchmark: string;
  path: string;
  concurrency: number;
  count: number;
  /** Report requests/s (throughput) or total ms. */
  unit: 'req/s' | 'ms';
}

export async function benchHttp(runs = 3): Promise<Row[]> {
  const server = await startServer();
  const cases: Case[] = [
    { benchmark: 'small GET, concurrency 1', path: '/small', concurrency: 1, count: 3000, unit: 'req/s' },
    { benchmark: 'small GET, concurrency 64', path: '/small', concurrency: 64, count: 20000, unit: 'req/s' },
    { benchmark: '1 MiB JSON x100', path: '/json1m', concurrency: 1, count: 100, unit: 'ms' },
  ];
  const rows: Row[] = [];
  try {
    for (const c of cases) {
      const times: Record<Mode, number[]> = { http: [], fetch: [], rest: [] };
      for (let i = 0; i < runs; i++) {
        for (const mode of ['fetch', 'rest', 'http'] as const) times[mode].push(await client(mode, server.url + c.path, c.concurrency, c.count));
      }
      const value = (mode: Mode) => (c.unit === 'req/s' ? (c.count * 1000) / median(times[mode]) : median(times[mode]));
      // A ratio above 1 is always better for the subject: throughput / baseline, or baseline time / time.
      const ratio = (mode: Mode) => (c.unit === 'req/s' ? value(mode) / value('fetch') : value('fetch') / value(mode));
      rows.push(
        { benchmark: c.benchmark, subject: 'raw node-fetch (keep-alive)', value: value('fetch'), unit: c.unit },
        {
          benchmark: c.benchmark,
          subject: 'REST task + SQLite record',
          value: value('rest'),
          unit: c.unit,
          ratio: ratio('rest'),
          note: c.path === '/small' ? 'target >= 0.9×' : 'ratio = speed vs node-fetch',
        },
        { benchmark: c.benchmark, subject: 'raw node:http (keep-alive)', value: value('http'), unit: c.unit, ratio: ratio('http') },
      );
    }
  } finally {
    server.child.kill();
  }
  return rows;
}
