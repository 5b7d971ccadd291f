/**
 * One client subject in a fresh process: `http` (node:http with a keep-alive agent), `fetch`
 * (node-fetch with a keep-alive agent) or `rest` (REST tasks in one flow, recorded in SQLite).
 * Sends `count` GETs to `url`, `concurrency` at a time, after a warm-up of its own; every body is
 * read and parsed as JSON. Prints {"ms": ..., "count": ...}.
 */
import http from 'node:http';
import { join } from 'node:path';
import fetch from 'node-fetch';
import { run, type Execution } from 'flow_api';

const [mode, url, concurrencyText, countText, dir] = process.argv.slice(2) as ['http' | 'fetch' | 'rest', string, string, string, string];
const concurrency = Number(concurrencyText);
const count = Number(countText);
const warmup = Math.min(500, count);

/** Run `total` calls of `one`, `concurrency` at a time; returns the elapsed ms. */
async function pool(total: number, one: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next++ < total) await one();
    }),
  );
  return performance.now() - started;
}

let ms: number;
if (mode === 'http') {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const get = () =>
    new Promise<unknown>((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          res.on('error', reject);
        })
        .on('error', reject);
    });
  await pool(warmup, get);
  ms = await pool(count, get);
  agent.destroy();
} else if (mode === 'fetch') {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const get = async () => {
    const response = await fetch(url, { agent });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return response.json();
  };
  await pool(warmup, get);
  ms = await pool(count, get);
  agent.destroy();
} else {
  let elapsed = 0;
  const record = await run(
    async function (this: Execution) {
      const get = () => this.task('REST', { url });
      await pool(warmup, get);
      elapsed = await pool(count, get);
    },
    { store: join(dir, 'bench.db'), filesDir: join(dir, 'files') },
  );
  if (record.status !== 'ENDED_SUCCESS') throw new Error(record.message ?? 'failed');
  ms = elapsed;
}
console.log(JSON.stringify({ ms, count }));
