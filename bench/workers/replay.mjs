// Replay: a recorded run of `count` GETs whose last task failed is resumed with the server
// healthy: the journal hands back every recorded task and only the failed one is sent again.
// `shape`: `fan-out` (the handler holds all its task handles, 64 running at a time) or
// `sequential` (one task after the other, nothing held: what the replay itself keeps).
// Prints {"ms" (the resume), "perSecond", "rssBeforeMiB", "rssPeakMiB", "sent"}.
import http from 'node:http';
import { join } from 'node:path';
import { resume, run } from 'flow_api';

const [countText, dir, shape = 'fan-out'] = process.argv.slice(2);
const count = Number(countText);
let healthy = false;
let sent = 0;
const server = http.createServer((req, res) => {
  sent++;
  const status = req.url === '/last' && !healthy ? 500 : 200;
  res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const store = join(dir, 'replay.db');
async function fanOut() {
  let next = 0;
  const tasks = [];
  for (let i = 0; i < count; i++) tasks.push(this.task('REST', { url: `${base}/item/${i}` }, { run: false }));
  const all = await Promise.all(tasks);
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < all.length) await all[next++].run();
    }),
  );
  await this.task('REST', { url: `${base}/last` });
}
async function sequential() {
  for (let i = 0; i < count; i++) await this.task('REST', { url: `${base}/item/${i}` });
  await this.task('REST', { url: `${base}/last` });
}
const handler = shape === 'sequential' ? sequential : fanOut;
const first = await run(handler, { store });
if (first.status !== 'ENDED_ERROR') throw new Error(`the recorded run should fail, it ended ${first.status}`);
healthy = true;
sent = 0;
const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const started = performance.now();
const resumed = await resume(first.execution_id, { store, handler });
const ms = performance.now() - started;
clearInterval(sampler);
if (resumed.status !== 'ENDED_SUCCESS') throw new Error(resumed.message ?? 'resume failed');
server.close();
console.log(JSON.stringify({ ms, perSecond: (count * 1000) / ms, rssBeforeMiB: rssBefore / 2 ** 20, rssPeakMiB: peak / 2 ** 20, sent }));
