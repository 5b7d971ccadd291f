/** Small helpers shared by the benchmarks: timing, medians, and the printed table. */
import { spawnSync } from 'node:child_process';

export interface Row {
  benchmark: string;
  subject: string;
  value: number;
  unit: string;
  /** subject / baseline, printed as "1.05×"; undefined for the baseline row itself. */
  ratio?: number;
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of one command in ms; throws if it fails. */
export function timeCommand(command: string, args: string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return elapsed;
}

export function printTable(rows: Row[]): void {
  const header = ['benchmark', 'subject', 'value', 'ratio vs baseline', 'note'];
  const body = rows.map((r) => [
    r.benchmark,
    r.subject,
    `${r.value.toFixed(r.value < 10 ? 2 : 0)} ${r.unit}`,
    r.ratio === undefined ? 'baseline' : `${r.ratio.toFixed(2)}×`,
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}
