/**
 * `npm run soak`: 20,000 REST tasks at concurrency 64, in one flow recorded in SQLite, against a
 * local server (its own process) that injects 1 % faults. Checks that every task ends with the
 * status its fault calls for, that no socket, timer or file handle outlives the run, that RSS
 * stays flat after warm-up (the curve is printed), and that every record is in the store.
 * Exits 1 if a check fails. SOAK_TASKS and SOAK_CONCURRENCY change the size.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type Execution } from 'flow_api';
import { SqliteStore } from 'flow_api/extend';

const TASKS = Number(process.env.SOAK_TASKS ?? 20_000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 64);
const SAMPLE_EVERY = TASKS / 20;
const REPO = fileURLToPath(new URL('..', import.meta.url));

const server = spawn(process.execPath, ['bench/workers/soak-server.mjs'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
const [portLine] = (await once(server.stdout!, 'data')) as [Buffer];
const base = `http://127.0.0.1:${portLine.toString().trim()}`;
const dir = mkdtempSync(join(tmpdir(), 'flow-soak-'));
const db = join(dir, 'soak.db');

/** What each task must end with, given the server's faults. */
const expected = (n: number) => (n % 300 === 0 || n % 300 === 200 ? 'ENDED_ERROR' : 'ENDED_SUCCESS');

const resourcesBefore = countResources();
const rss: { done: number; mib: number }[] = [];
const wrong: string[] = [];
let done = 0;
const started = performance.now();
const tree = await run(
  async function (this: Execution, system) {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TASKS) {
          const n = next++;
          const task = await this.task(
            'REST',
            { url: `${base}/item/${n}`, retry_backoff: { initial: 1, deadline: 3 } },
            { wait: system.return_when.ALL_ENDED, name: `item-${n}` },
          );
          const status = task.get('status');
          if (status !== expected(n)) wrong.push(`item-${n}: ${status} (${task.get('message')})`);
          if (++done % SAMPLE_EVERY === 0) rss.push({ done, mib: process.memoryUsage().rss / 2 ** 20 });
        }
      }),
    );
  },
  { store: db, filesDir: join(dir, 'files') },
);
const seconds = (performance.now() - started) / 1000;
server.kill();
await new Promise((resolve) => setTimeout(resolve, 100)); // let closed sockets finish closing
const resourcesAfter = countResources();

const store = new SqliteStore(db);
const records = store.list({ limit: TASKS * 2, rootsOnly: false });
store.close();
rmSync(dir, { recursive: true, force: true });

const tasks = records.filter((r) => r.kind === 'task');
const byStatus: Record<string, number> = {};
for (const record of tasks) byStatus[record.status] = (byStatus[record.status] ?? 0) + 1;
const missing = TASKS - tasks.length;
const stored = new Map(tasks.map((r) => [r.name, r.status]));
const storedWrong = [...stored].filter(([name, status]) => status !== expected(Number(name.slice(5)))).length;
const warm = rss.slice(Math.floor(rss.length / 4));
const growth = warm.length > 1 ? warm.at(-1)!.mib - warm[0]!.mib : 0;
const leaks = Object.entries(resourcesAfter).filter(([type, count]) => count > (resourcesBefore[type] ?? 0));

console.log(`soak: ${TASKS} REST tasks, concurrency ${CONCURRENCY}, ${seconds.toFixed(1)} s (${Math.round(TASKS / seconds)} tasks/s), flow ${tree.status}`);
console.log(
  `statuses in the store: ${Object.entries(byStatus)
    .map(([s, count]) => `${s} ${count}`)
    .join(', ')}; expected errors ${Array.from({ length: TASKS }, (_, n) => n).filter((n) => expected(n) === 'ENDED_ERROR').length}`,
);
console.log(`RSS (MiB) by tasks done: ${rss.map((p) => `${p.done}:${p.mib.toFixed(0)}`).join(' ')}`);
console.log(`RSS growth after warm-up (from ${warm[0]?.done} tasks): ${growth.toFixed(1)} MiB`);
console.log(`active resources before: ${JSON.stringify(resourcesBefore)} after: ${JSON.stringify(resourcesAfter)}`);

const failures = [
  ...wrong.slice(0, 10).map((w) => `wrong status: ${w}`),
  ...(missing !== 0 ? [`${missing} task records missing from the store`] : []),
  ...(storedWrong ? [`${storedWrong} stored statuses differ from the expected ones`] : []),
  ...(tree.status !== 'ENDED_SUCCESS' ? [`the flow ended ${tree.status}: ${tree.message}`] : []),
  ...leaks.map(([type, count]) => `leaked ${type}: ${resourcesBefore[type] ?? 0} before, ${count} after`),
  ...(growth > 40 ? [`RSS grew ${growth.toFixed(1)} MiB after warm-up`] : []),
];
if (failures.length) {
  console.log(`FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('soak passed: every task ended as expected, every record is stored, no handle leaked, RSS flat');

function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}
