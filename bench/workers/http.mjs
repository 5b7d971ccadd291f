// One client subject in a fresh process, plain JavaScript (flow_api from its build, as a user
// gets it): `http` (node:http), `fetch` (node-fetch), `got`, `axios` (each with a keep-alive
// agent), `rest-sqlite` / `rest-memory` (REST tasks in one flow, every task recorded in the
// SQLite store or the memory store). Sends `count` requests (GET, or POST of a small JSON body)
// to `url`, `concurrency` at a time, after a warm-up; every response body is read and parsed.
// Prints {"ms", "cpuUs" (CPU µs per request), "rssMiB" (peak)}.
import http from 'node:http';
import { join } from 'node:path';
import axios from 'axios';
import { got } from 'got';
import fetch from 'node-fetch';
import { run } from 'flow_api';

const [subject, method, url, concurrencyText, countText, dir] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const count = Number(countText);
const warmup = Math.min(500, count);
const post = method === 'POST';
const payload = { name: 'chair', price: 30, tags: ['wood', 'brown'] };
const payloadText = JSON.stringify(payload);

/** Run `total` calls of `one`, `concurrency` at a time; returns the elapsed ms and CPU µs. */
async function pool(total, one) {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next++ < total) await one();
    }),
  );
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuUs: (used.user + used.system) / total };
}

function expectStatus(status) {
  if (status !== (post ? 201 : 200)) throw new Error(`status ${status}`);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const clients = {
  http: () =>
    new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method, agent, headers: post ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payloadText) } : {} },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            expectStatus(res.statusCode);
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(post ? payloadText : undefined);
    }),
  fetch: async () => {
    const response = await fetch(url, post ? { method, agent, body: payloadText, headers: { 'content-type': 'application/json' } } : { agent });
    expectStatus(response.status);
    return response.json();
  },
  got: async () => {
    const response = await got(url, { method, agent: { http: agent }, responseType: 'json', retry: { limit: 0 }, ...(post ? { json: payload } : {}) });
    expectStatus(response.statusCode);
    return response.body;
  },
  axios: async () => {
    const response = await axios.request({ url, method, httpAgent: agent, ...(post ? { data: payload } : {}) });
    expectStatus(response.status);
    return response.data;
  },
};

let result;
if (clients[subject]) {
  await pool(warmup, clients[subject]);
  result = await pool(count, clients[subject]);
} else {
  const inputs = post ? { url, method: 'post', json: payload } : { url };
  const record = await run(
    async function () {
      const one = () => this.task('REST', inputs);
      await pool(warmup, one);
      result = await pool(count, one);
    },
    subject === 'rest-sqlite' ? { store: join(dir, 'bench.db'), filesDir: join(dir, 'files') } : { filesDir: join(dir, 'files') },
  );
  if (record.status !== 'ENDED_SUCCESS') throw new Error(record.message ?? 'failed');
}
agent.destroy();
console.log(JSON.stringify({ ...result, rssMiB: process.resourceUsage().maxRSS / 1024 }));
