import { writeTreeJson, writeTreeJsonLines } from '../../store/tree-json.js';
import { taskRegistry } from '../../tasks/default-registry.js';
import { formatTree } from '../format.js';
import type { Output } from '../output.js';
import { resolveExecutionId } from '../resolve-id.js';
import { UsageError } from '../usage.js';
import { withStore } from '../with-store.js';

export interface ShowCommandOptions {
  json?: boolean;
  jsonl?: boolean;
  full?: boolean;
  log: boolean;
  verbose?: boolean;
  children?: string;
  offset?: string;
  db?: string;
}

/** `flow show ID`: one execution and a page of its children; `--json`/`--jsonl` stream the whole tree. */
export async function showCommand(id: string, options: ShowCommandOptions, out: Output): Promise<number> {
  const children = count('--children', options.children ?? '20', 0);
  const offset = count('--offset', options.offset ?? '0', 0);
  if (options.json && options.jsonl) throw new UsageError('--json and --jsonl print the tree two ways: give one of them');
  return withStore(options.db, out, (store) => {
    const resolved = resolveExecutionId(store, id, 'show', out);
    if (!resolved) return 1;
    const write = (text: string) => (out.write ? out.write(text) : out.out(text.trimEnd()));
    if (options.json) writeTreeJson(store, resolved, write);
    else if (options.jsonl) writeTreeJsonLines(store, resolved, write);
    else
      out.out(
        formatTree(store, store.get(resolved)!, {
          maxJson: options.full ? Infinity : 400,
          log: options.log,
          children,
          offset,
          ...(options.verbose ? { exchange: (type: string, outputs: Record<string, unknown>) => taskRegistry.find(type)?.showExchange?.(outputs) } : {}),
        }),
      );
    return 0;
  });
}

function count(option: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${option} must be a whole number >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}
