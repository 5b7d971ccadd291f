/**
 * Durable resume: (a) resuming a recorded 10,000-task run whose last task failed (every task
 * handed back from the journal, one sent), its time and memory, as a fan-out and one task after
 * the other, and a sequential one four times as long (the replay's own memory, which must stay
 * flat); (b) what journaling costs a live task: the hash of its recorded inputs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputHash } from '../lib/core/journal.js';
import { median, type Row } from './lib.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

interface Replay {
  ms: number;
  perSecond: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  sent: number;
}

/** The median of `runs` resumes of a recorded run of `count` tasks shaped `shape` (see the worker). */
function replay(count: number, shape: 'fan-out' | 'sequential', runs: number): { ms: number; perSecond: number; growthMiB: number; sent: number } {
  const results: Replay[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'flow-bench-replay-'));
    try {
      const child = spawnSync(process.execPath, ['bench/workers/replay.mjs', String(count), dir, shape], { cwd: REPO, encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`replay worker exited ${child.status}: ${child.stderr}`);
      results.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as Replay);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    ms: median(results.map((r) => r.ms)),
    perSecond: median(results.map((r) => r.perSecond)),
    growthMiB: median(results.map((r) => r.rssPeakMiB - r.rssBeforeMiB)),
    sent: Math.max(...results.map((r) => r.sent)),
  };
}

export function benchResume(runs = 3): Row[] {
  const fanOut = replay(10_000, 'fan-out', runs);
  // Memory of the replay itself: runs four times as long, with nothing held by the handler.
  const short = replay(10_000, 'sequential', runs);
  const long = replay(40_000, 'sequential', runs);
  // The journal's cost on a live task: one SHA-256 of its recorded inputs.
  const text = JSON.stringify({ url: 'http://127.0.0.1:8080/items/12345', method: 'post', json: { name: 'chair', price: 30 } });
  const n = 200_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) inputHash(text);
  const hashUs = ((performance.now() - started) * 1000) / n;
  return [
    {
      benchmark: 'resume a 10,000-task run',
      subject: 'replay to the end (fan-out, 64 at a time)',
      value: fanOut.ms,
      unit: 'ms',
      note: `${Math.round(fanOut.perSecond)} replayed tasks/s, ${fanOut.sent} request sent, RSS +${fanOut.growthMiB.toFixed(0)} MiB (the handler holds its 10,000 task handles); goal < 1000 ms`,
    },
    {
      benchmark: 'resume a 10,000-task run',
      subject: 'replay to the end (sequential)',
      value: short.ms,
      unit: 'ms',
      note: `${Math.round(short.perSecond)} replayed tasks/s, ${short.sent} request sent, RSS +${short.growthMiB.toFixed(0)} MiB`,
    },
    {
      benchmark: 'resume a 40,000-task run',
      subject: 'replay to the end (sequential)',
      value: long.ms,
      unit: 'ms',
      note: `${Math.round(long.perSecond)} replayed tasks/s, RSS +${long.growthMiB.toFixed(0)} MiB (4× the tasks of the row above)`,
    },
    {
      benchmark: 'journal cost per live task',
      subject: 'input hash (SHA-256)',
      value: hashUs,
      unit: 'µs',
      note: 'against the 330–800 µs of CPU per recorded task of the HTTP rows: < 0.1 %; goal ≤ 5 %',
    },
  ];
}
