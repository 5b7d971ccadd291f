import type { ExecutionRecord } from '../model/record.js';
import type { Store } from './store.js';

/** Text is handed over in pieces of about this size (a write per record would be a system call each). */
const CHUNK = 64 * 1024;

/**
 * Where the text goes: returns a promise when the reader is behind (a pipe to `jq` that is full),
 * and the writer waits for it before it reads more rows; anything else means "go on".
 */
export type TreeWrite = (text: string) => unknown;

/** Collects small pieces of text and hands them on in chunks, waiting when the reader asks to. */
class Chunker {
  #parts: string[] = [];
  #size = 0;

  constructor(readonly write: TreeWrite) {}

  /** Add a piece; a promise when a chunk went out and the reader wants the writer to wait. */
  add(text: string): Promise<void> | undefined {
    this.#parts.push(text);
    this.#size += text.length;
    return this.#size >= CHUNK ? this.flush() : undefined;
  }

  flush(): Promise<void> | undefined {
    if (this.#size === 0) return undefined;
    const wait = this.write(this.#parts.join(''));
    this.#parts = [];
    this.#size = 0;
    return wait instanceof Promise ? (wait as Promise<void>) : undefined;
  }
}

/**
 * An execution and all its descendants as JSON, exactly as `JSON.stringify(tree, null, 2)` of the
 * loaded tree would print it, but written record by record with children read a batch at a time,
 * waiting whenever `write` says the reader is behind: memory stays flat for a flow of a million
 * tasks whether the output goes to a file or a slow pipe, and the output has no size limit (one
 * string of it would hit V8's). False when there is no such execution.
 */
export async function writeTreeJson(store: Store, executionId: string, write: TreeWrite): Promise<boolean> {
  const root = store.get(executionId);
  if (!root) return false;
  const out = new Chunker(write);
  await writeRecord(store, root, '', out);
  await out.add('\n');
  await out.flush();
  return true;
}

async function writeRecord(store: Store, record: ExecutionRecord, indent: string, out: Chunker): Promise<void> {
  // The record as JSON.stringify lays it out, with an empty `children` last, opened up below.
  const text = JSON.stringify({ ...record, children: [] }, null, 2).replace(/\n/g, `\n${indent}`);
  await out.add(text.slice(0, text.lastIndexOf('[]')));
  let first = true;
  // Children come a batch per query (no cursor is held open across the waits).
  for (const child of store.eachChild(record.execution_id)) {
    await out.add(first ? `[\n${indent}    ` : `,\n${indent}    `);
    await writeRecord(store, child, `${indent}    `, out);
    first = false;
  }
  await out.add(first ? `[]\n${indent}}` : `\n${indent}  ]\n${indent}}`);
}

/**
 * An execution and all its descendants as JSON Lines: one record per line (without children;
 * `parent_id` links them), parents before their children, in start order. Constant memory, waiting
 * like `writeTreeJson` when the reader is behind.
 */
export async function writeTreeJsonLines(store: Store, executionId: string, write: TreeWrite): Promise<boolean> {
  const root = store.get(executionId);
  if (!root) return false;
  const out = new Chunker(write);
  const visit = async (record: ExecutionRecord): Promise<void> => {
    await out.add(`${JSON.stringify(record)}\n`);
    for (const child of store.eachChild(record.execution_id)) await visit(child);
  };
  await visit(root);
  await out.flush();
  return true;
}
