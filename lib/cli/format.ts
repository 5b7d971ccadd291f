import type { FlowFileInfo } from '../core/files/flow-file.js';
import type { ExecutionRecord, JsonValue, LogEntry } from '../model/record.js';
import { STATUS } from '../model/status.js';
import type { RestAttempt } from '../tasks/rest/types.js';
import type { ChildCounts, ExecutionSummary, Store } from '../store/store.js';
import { truncate } from '../util/describe.js';

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(2)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** Log entry values as one line: strings as they are, other values as compact JSON. */
export function formatLogValues(entry: LogEntry): { time: string; text: string } {
  const [timestamp, values] = Object.entries(entry)[0] ?? ['', []];
  const text = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
  return { time: timestamp.slice(11, 23), text };
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

function json(value: JsonValue, max: number): string {
  return truncate(JSON.stringify(value), max);
}

/** The `flow list` table. */
export function formatList(rows: ExecutionSummary[], empty = 'no executions recorded yet'): string {
  if (rows.length === 0) return empty;
  const lines = rows.map((r) =>
    [
      shortId(r.execution_id),
      r.status.padEnd(15),
      r.created_at.replace('T', ' ').slice(0, 19),
      formatSeconds(r.duration).padStart(9),
      truncate(r.name, 24).padEnd(24),
      truncate((r.message ?? '').replace(/\s+/g, ' '), 70),
    ].join('  '),
  );
  return [['ID'.padEnd(8), 'STATUS'.padEnd(15), 'STARTED (UTC)'.padEnd(19), 'DURATION'.padStart(9), 'NAME'.padEnd(24), 'MESSAGE'].join('  '), ...lines].join(
    '\n',
  );
}

export interface TreeFormat {
  /** Longest JSON shown for inputs and outputs before it is cut. */
  maxJson: number;
  /** Include every log line. */
  log: boolean;
  /**
   * Show each task's exchange (a REST task's request and response, headers and bodies) instead of
   * its raw outputs: the lines its task type's `showExchange` gives, for the records it knows.
   */
  exchange?: (type: string, outputs: Record<string, unknown>) => string[] | undefined;
  /** Children shown under each execution, and how many to skip first (of the top one only). */
  children: number;
  offset?: number;
}

/**
 * `flow show`: the record, then a page of its children (each with a page of theirs), and how
 * many there are by status: a flow of a million tasks shows a screenful, not a million.
 */
export function formatTree(store: Store, record: ExecutionRecord, format: TreeFormat, depth = 0): string {
  const lines = [formatRecord(record, format, depth)];
  if (depth === 0) lines.push(...attemptLines(store, record));
  const pad = '  '.repeat(depth + 1);
  const { total, byStatus } = store.childCounts(record.execution_id);
  if (total === 0) return lines[0]!;
  const offset = depth === 0 ? (format.offset ?? 0) : 0;
  const page = store.children(record.execution_id, { offset, limit: format.children });
  for (const child of page) lines.push(formatTree(store, child, { ...format, offset: 0 }, depth + 1));
  if (page.length < total) {
    const shown = page.length ? `${offset + 1}–${offset + page.length}` : 'none';
    const next = offset + page.length < total ? `; next: flow show ${record.execution_id} --offset ${offset + page.length}` : '';
    lines.push(`${pad}children: ${total} (${countsText(byStatus)}); shown: ${shown}${depth === 0 ? next : `; all: flow show ${record.execution_id}`}`);
  }
  return lines.join('\n');
}

function formatRecord(tree: ExecutionRecord, format: TreeFormat, depth: number): string {
  const pad = '  '.repeat(depth);
  const lines: string[] = [];
  const kind = tree.kind === 'flow' ? 'flow' : `task ${tree.type}`;
  const label = tree.kind === 'flow' || tree.name !== tree.type ? ` ${tree.name}` : '';
  const seq = tree.seq !== null && tree.seq !== undefined ? `#${tree.seq} ` : '';
  lines.push(`${pad}${seq}${kind}${label}  ${tree.status}  ${formatSeconds(tree.duration)}  (${tree.execution_id})`);
  if (tree.kind === 'flow' && depth === 0) lines.push(`${pad}  file: ${tree.type}   started: ${tree.created_at}`);
  if (tree.message) lines.push(`${pad}  message: ${tree.message}`);
  if (Object.keys(tree.input_value).length) lines.push(`${pad}  inputs: ${json(tree.input_value, format.maxJson)}`);
  // The sent request is shown by the exchange view only; the attempts get lines of their own.
  const { attempts, request: _request, ...outputs } = tree.output_value as Record<string, JsonValue>;
  const exchange = tree.kind === 'task' ? format.exchange?.(tree.type, tree.output_value) : undefined;
  if (exchange) {
    lines.push(...exchange.map((line) => `${pad}  ${line}`));
  } else if (Object.keys(outputs).length) {
    lines.push(`${pad}  outputs: ${json(outputs, format.maxJson)}`);
  }
  for (const file of filesOf(outputs)) {
    lines.push(`${pad}  file: ${file.name}  ${file.size ?? '?'} bytes  ${file.content_type ?? ''}  sha256 ${file.sha256 ?? '?'}\n${pad}        ${file.path}`);
  }
  if (Array.isArray(attempts)) {
    lines.push(`${pad}  attempts: ${attempts.length}`);
    for (const a of attempts as unknown as RestAttempt[]) {
      const result = a.status_code !== undefined ? `status ${a.status_code}` : `error: ${a.error}`;
      lines.push(`${pad}    #${a.attempt} ${formatSeconds(a.duration)}  ${result}${a.retry_in !== undefined ? `  (retried after ${a.retry_in} s)` : ''}`);
    }
  }
  if (format.log && tree.log.length) {
    lines.push(`${pad}  log:`);
    for (const entry of tree.log) {
      const { time, text } = formatLogValues(entry);
      lines.push(`${pad}    ${time}  ${text.replace(/\n/g, `\n${pad}              `)}`);
    }
  }
  return lines.join('\n');
}

/** A resumed run: which attempt this is, and how the earlier ones ended. */
function attemptLines(store: Store, record: ExecutionRecord): string[] {
  const run = store.run(record.execution_id);
  if (!run || run.attempt < 2) return [];
  const lines = [`  attempt ${run.attempt} (resumed ${run.history.length} time${run.history.length === 1 ? '' : 's'}):`];
  for (const earlier of run.history) {
    const changed = earlier.handler_hash && run.handler_hash && earlier.handler_hash !== run.handler_hash ? '; the handler file changed after it' : '';
    lines.push(
      `    #${earlier.attempt} ${earlier.started_at}  ${earlier.status}${earlier.message ? `: ${truncate(earlier.message, 120)}` : ''}  → resumed, the run ${earlier.resumed_because ?? 'stopped'}${changed}`,
    );
  }
  return lines;
}

/** `3 ENDED_SUCCESS, 1 ENDED_ERROR` */
function countsText(byStatus: ChildCounts['byStatus']): string {
  return Object.entries(byStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
}

/** Children listed in full in the summary up to this many; above it, the first and last few and the failed ones. */
const SUMMARY_ALL = 20;
const SUMMARY_ENDS = 3;
const SUMMARY_FAILED = 10;

/**
 * The summary `flow run` prints at the end: the flow, its message and outputs, its children by
 * status, and lines for them: all of a small flow's (grandchildren indented), else the first and
 * last few and the failed ones. One pass over the children's summaries: flat memory at any size.
 */
export function formatRunSummary(store: Store, root: ExecutionRecord): string {
  const lines = [`flow ${root.name} ${root.status} in ${formatSeconds(root.duration)}  (${root.execution_id})`];
  if (root.message) lines.push(`  message: ${root.message}`);
  if (Object.keys(root.output_value).length) lines.push(`  outputs: ${json(root.output_value, 2000)}`);
  const { total, byStatus } = store.childCounts(root.execution_id);
  if (total > 0 && total <= SUMMARY_ALL) {
    const all: string[] = [];
    const visit = (id: string, depth: number) => {
      for (const child of store.eachChildSummary(id)) {
        if (all.length >= SUMMARY_ALL * 2) return;
        all.push(childLine(store, child, depth));
        if (child.kind === 'flow') visit(child.execution_id, depth + 1);
      }
    };
    visit(root.execution_id, 0);
    lines.push(`  children: ${total}`, ...all);
  } else if (total > SUMMARY_ALL) {
    // Summaries are kept, lines made only for the few shown.
    const first: ExecutionSummary[] = [];
    const failed: ExecutionSummary[] = [];
    const last: ExecutionSummary[] = [];
    let failures = 0;
    for (const child of store.eachChildSummary(root.execution_id)) {
      if (first.length < SUMMARY_ENDS) first.push(child);
      else if (child.status !== STATUS.ENDED_SUCCESS && ++failures <= SUMMARY_FAILED) failed.push(child);
      else if (last.push(child) > SUMMARY_ENDS) last.shift();
    }
    const line = (child: ExecutionSummary) => childLine(store, child, 0);
    lines.push(`  children: ${total} (${countsText(byStatus)})`, ...first.map(line));
    if (failures) lines.push(`  … not ENDED_SUCCESS (${failures}${failures > SUMMARY_FAILED ? `, first ${SUMMARY_FAILED}` : ''}):`, ...failed.map(line));
    lines.push(`  … last ${last.length}:`, ...last.map(line));
  }
  lines.push(`  record: flow show ${shortId(root.execution_id)}`);
  return lines.join('\n');
}

function childLine(store: Store, node: ExecutionSummary, depth: number): string {
  const tries = node.kind === 'task' ? triesOf(store, node) : '';
  const what = node.kind === 'task' ? node.type : 'flow';
  const message = node.message ? `  — ${truncate(node.message.replace(/\s+/g, ' '), 160)}` : '';
  return `  ${'  '.repeat(depth)}${node.status.padEnd(15)} ${formatSeconds(node.duration).padStart(9)}  ${what} ${node.name !== node.type ? node.name : ''}${tries}${message}`.trimEnd();
}

/** `, 3 tries` for a task that was tried more than once (read only for tasks that did not end ENDED_SUCCESS at once). */
function triesOf(store: Store, node: ExecutionSummary): string {
  if (node.status === STATUS.ENDED_SUCCESS && (node.duration ?? 0) < 1) return '';
  const attempts = (store.get(node.execution_id)?.output_value as { attempts?: unknown[] } | undefined)?.attempts;
  return Array.isArray(attempts) && attempts.length > 1 ? `, ${attempts.length} tries` : '';
}

/** Files a record's outputs name (a REST download's `file`, or any output shaped like a FlowFile). */
function filesOf(outputs: Record<string, JsonValue>): FlowFileInfo[] {
  return Object.values(outputs).filter(
    (v): v is JsonValue & FlowFileInfo => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.name === 'string' && typeof v.path === 'string',
  );
}
