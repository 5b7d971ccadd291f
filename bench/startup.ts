/**
 * Startup: `flow run` of a hello handler (SQLite recording included) against plain `tsx` on the
 * same file and `node --import tsx`, alternating runs, median of each.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timeCommand, type Row } from './lib.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const HELLO = 'bench/fixtures/hello.ts';

export function benchStartup(runs = 9): Row[] {
  const db = join(tmpdir(), `flow-bench-startup-${process.pid}.db`);
  const subjects = {
    'flow run (SQLite)': () => timeCommand(process.execPath, ['bin/flow.js', 'run', HELLO, '--quiet', '--db', db], REPO),
    'tsx FILE': () => timeCommand(process.execPath, ['node_modules/tsx/dist/cli.mjs', HELLO], REPO),
    'node --import tsx FILE': () => timeCommand(process.execPath, ['--import', 'tsx', HELLO], REPO),
  };
  const times = new Map<string, number[]>(Object.keys(subjects).map((k) => [k, []]));
  for (const run of Object.values(subjects)) run(); // warm the tsx cache and the disk
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of Object.entries(subjects)) times.get(name)!.push(run());
  }
  rmSync(db, { force: true });
  rmSync(`${db}-wal`, { force: true });
  rmSync(`${db}-shm`, { force: true });
  const flow = median(times.get('flow run (SQLite)')!);
  const tsx = median(times.get('tsx FILE')!);
  const loader = median(times.get('node --import tsx FILE')!);
  return [
    { benchmark: 'startup (hello handler)', subject: 'tsx FILE', value: tsx, unit: 'ms' },
    { benchmark: 'startup (hello handler)', subject: 'flow run (SQLite)', value: flow, unit: 'ms', ratio: flow / tsx, note: 'target <= 1.3×' },
    {
      benchmark: 'startup (hello handler)',
      subject: 'node --import tsx FILE',
      value: loader,
      unit: 'ms',
      note: `flow run = ${(flow / loader).toFixed(2)}× this`,
    },
  ];
}
