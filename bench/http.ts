/**
 * Request throughput against a local server in its own process. Subjects: raw node:http,
 * node-fetch (the baseline), got and axios, each with a keep-alive agent, and the REST task with
 * every task recorded, in the SQLite store and in the memory store. Each subject runs in a fresh
 * process; a repetition runs every subject once (in a rotated order), and ratios are taken within
 * a repetition (paired), so machine noise moves baseline and subject together. Reported: the
 * median value, the median ratio with its min–max over the repetitions, CPU µs per request and
 * the peak RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Row } from './lib.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SUBJECTS = ['fetch', 'http', 'got', 'axios', 'rest-sqlite', 'rest-memory'] as const;
type Subject = (typeof SUBJECTS)[number];
const NAMES: Record<Subject, string> = {
  fetch: 'node-fetch (keep-alive)',
  http: 'raw node:http',
  got: 'got 14',
  axios: 'axios 1',
  'rest-sqlite': 'REST task, SQLite store',
  'rest-memory': 'REST task, memory store',
};

interface Measure {
  ms: number;
  cpuUs: number;
  rssMiB: number;
}

interface Case {
  benchmark: string;
  method: 'GET' | 'POST';
  path: string;
  concurrency: number;
  count: number;
  /** The goal for the REST task's ratio (issue 17), said in the note. */
  goal: number;
}

export const HTTP_CASES: Case[] = [
  { benchmark: 'GET small, c=1', method: 'GET', path: '/small', concurrency: 1, count: 3000, goal: 0.9 },
  { benchmark: 'GET small, c=64', method: 'GET', path: '/small', concurrency: 64, count: 20000, goal: 0.95 },
  { benchmark: 'POST JSON, c=1', method: 'POST', path: '/items', concurrency: 1, count: 3000, goal: 0.75 },
  { benchmark: 'POST JSON, c=64', method: 'POST', path: '/items', concurrency: 64, count: 20000, goal: 0.9 },
  { benchmark: 'GET 1 MiB JSON, c=1', method: 'GET', path: '/json1m', concurrency: 1, count: 100, goal: 0.9 },
];

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bench/workers/server.mjs'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [data] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${data.toString().trim()}`, child };
}

async function measure(subject: Subject, c: Case, url: string): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), 'flow-bench-http-'));
  try {
    const args = ['bench/workers/http.mjs', subject, c.method, url + c.path, String(c.concurrency), String(c.count), dir];
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'close')) as [number];
    if (code !== 0) throw new Error(`http worker (${subject}) exited ${code}`);
    return JSON.parse(out.trim().split('\n').pop()!) as Measure;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const range = (values: number[]) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

export async function benchHttp(runs = 5, only?: (c: Case) => boolean): Promise<Row[]> {
  const server = await startServer();
  const rows: Row[] = [];
  try {
    for (const c of HTTP_CASES.filter(only ?? (() => true))) {
      const results = new Map<Subject, Measure[]>(SUBJECTS.map((s) => [s, []]));
      for (let i = 0; i < runs; i++) {
        // Rotated, so no subject always runs first (or right after another).
        const order = [...SUBJECTS.slice(i % SUBJECTS.length), ...SUBJECTS.slice(0, i % SUBJECTS.length)];
        for (const subject of order) results.get(subject)!.push(await measure(subject, c, server.url));
      }
      const base = results.get('fetch')!;
      for (const subject of SUBJECTS) {
        const runsOf = results.get(subject)!;
        // Speed ratio: baseline time / subject time, per repetition (> 1 is faster than node-fetch).
        const ratios = runsOf.map((m, i) => base[i]!.ms / m.ms);
        const rest = subject.startsWith('rest');
        rows.push({
          benchmark: c.benchmark,
          subject: NAMES[subject],
          value: c.concurrency === 1 && c.count <= 100 ? median(runsOf.map((m) => m.ms)) : (c.count * 1000) / median(runsOf.map((m) => m.ms)),
          unit: c.concurrency === 1 && c.count <= 100 ? `ms/${c.count}` : 'req/s',
          ...(subject === 'fetch' ? {} : { ratio: median(ratios) }),
          note: [
            subject === 'fetch' ? '' : `${range(ratios)}`,
            `${median(runsOf.map((m) => m.cpuUs)).toFixed(0)} µs CPU/req`,
            `RSS ${median(runsOf.map((m) => m.rssMiB)).toFixed(0)} MiB`,
            rest ? `goal ≥ ${c.goal}×` : '',
          ]
            .filter(Boolean)
            .join(', '),
        });
      }
      // The memory store against the SQLite store, paired (goal ≥ 1.0).
      const memoryVsSqlite = results.get('rest-memory')!.map((m, i) => results.get('rest-sqlite')![i]!.ms / m.ms);
      rows.push({
        benchmark: c.benchmark,
        subject: 'memory store vs SQLite store',
        value: median(memoryVsSqlite),
        unit: '×',
        ratio: median(memoryVsSqlite),
        note: `${range(memoryVsSqlite)}, goal ≥ 1.0×`,
      });
    }
  } finally {
    server.child.kill();
  }
  return rows;
}
