import type { FlowFileInfo } from '../core/files/flow-file.js';
import type { ExecutionTree, JsonValue, LogEntry } from '../model/record.js';
import type { RestAttempt } from '../tasks/rest/types.js';
import type { ExecutionSummary } from '../store/store.js';
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
export function formatList(rows: ExecutionSummary[]): string {
  if (rows.length === 0) return 'no executions recorded yet';
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
}

/** `flow show`: the record and its children, indented. */
export function formatTree(tree: ExecutionTree, format: TreeFormat, depth = 0): string {
  const pad = '  '.repeat(depth);
  const lines: string[] = [];
  const kind = tree.kind === 'flow' ? 'flow' : `task ${tree.type}`;
  const label = tree.kind === 'flow' || tree.name !== tree.type ? ` ${tree.name}` : '';
  lines.push(`${pad}${kind}${label}  ${tree.status}  ${formatSeconds(tree.duration)}  (${tree.execution_id})`);
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
  for (const child of tree.children) lines.push(formatTree(child, format, depth + 1));
  return lines.join('\n');
}

/** The summary `flow run` prints at the end. */
export function formatRunSummary(tree: ExecutionTree): string {
  const lines = [`flow ${tree.name} ${tree.status} in ${formatSeconds(tree.duration)}  (${tree.execution_id})`];
  if (tree.message) lines.push(`  message: ${tree.message}`);
  if (Object.keys(tree.output_value).length) lines.push(`  outputs: ${json(tree.output_value, 2000)}`);
  const children = flatten(tree.children);
  if (children.length) {
    lines.push(`  children: ${children.length}`);
    for (const { node, depth } of children) {
      const attempts = (node.output_value as { attempts?: unknown[] }).attempts;
      const tries = Array.isArray(attempts) && attempts.length > 1 ? `, ${attempts.length} tries` : '';
      lines.push(
        `  ${'  '.repeat(depth)}${node.status.padEnd(15)} ${formatSeconds(node.duration).padStart(9)}  ${node.kind === 'task' ? node.type : 'flow'} ${node.name !== node.type ? node.name : ''}${tries}${node.message ? `  — ${truncate(node.message.replace(/\s+/g, ' '), 160)}` : ''}`.trimEnd(),
      );
    }
  }
  lines.push(`  record: flow show ${shortId(tree.execution_id)}`);
  return lines.join('\n');
}

function flatten(children: ExecutionTree[], depth = 0): { node: ExecutionTree; depth: number }[] {
  return children.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);
}

/** Files a record's outputs name (a REST download's `file`, or any output shaped like a FlowFile). */
function filesOf(outputs: Record<string, JsonValue>): FlowFileInfo[] {
  return Object.values(outputs).filter(
    (v): v is JsonValue & FlowFileInfo => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.name === 'string' && typeof v.path === 'string',
  );
}
