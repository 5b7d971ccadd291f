import type { ExecutionRecord } from '../model/record.js';
import type { Store } from './store.js';

/** Text is handed over in pieces of about this size (a write per record would be a system call each). */
const CHUNK = 64 * 1024;

/** Collects small pieces of text and hands them on in chunks. */
class Chunker {
  #parts: string[] = [];
  #size = 0;

  constructor(readonly write: (text: string) => void) {}

  add(text: string): void {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.#size === 0) return;
    this.write(this.#parts.join(''));
    this.#parts = [];
    this.#size = 0;
  }
}

/**
 * An execution and all its descendants as JSON, exactly as `JSON.stringify(tree, null, 2)` of the
 * loaded tree would print it, but written record by record with children read a batch at a time:
 * memory stays flat for a flow of a million tasks, and the output has no size limit (one string
 * of it would hit V8's). False when there is no such execution.
 */
export function writeTreeJson(store: Store, executionId: string, write: (text: string) => void): boolean {
  const root = store.get(executionId);
  if (!root) return false;
  const out = new Chunker(write);
  writeRecord(store, root, '', out);
  out.add('\n');
  out.flush();
  return true;
}

function writeRecord(store: Store, record: ExecutionRecord, indent: string, out: Chunker): void {
  // The record as JSON.stringify lays it out, with an empty `children` last, opened up below.
  const text = JSON.stringify({ ...record, children: [] }, null, 2).replace(/\n/g, `\n${indent}`);
  out.add(text.slice(0, text.lastIndexOf('[]')));
  let first = true;
  for (const child of store.eachChild(record.execution_id)) {
    out.add(first ? `[\n${indent}    ` : `,\n${indent}    `);
    writeRecord(store, child, `${indent}    `, out);
    first = false;
  }
  out.add(first ? `[]\n${indent}}` : `\n${indent}  ]\n${indent}}`);
}

/**
 * An execution and all its descendants as JSON Lines: one record per line (without children;
 * `parent_id` links them), parents before their children, in start order. Constant memory.
 */
export function writeTreeJsonLines(store: Store, executionId: string, write: (text: string) => void): boolean {
  const root = store.get(executionId);
  if (!root) return false;
  const out = new Chunker(write);
  const visit = (record: ExecutionRecord) => {
    out.add(`${JSON.stringify(record)}\n`);
    for (const child of store.eachChild(record.execution_id)) visit(child);
  };
  visit(root);
  out.flush();
  return true;
}
