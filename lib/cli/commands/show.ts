import { writeTreeJson, writeTreeJsonLines } from '../../store/tree-json.js';
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
  return withStore(options.db, out, async (store) => {
    const resolved = resolveExecutionId(store, id, 'show', out);
    if (!resolved) return 1;
    const write = (text: string) => (out.write ? out.write(text) : out.out(text.trimEnd()));
    if (options.json) await writeTreeJson(store, resolved, write);
    else if (options.jsonl) await writeTreeJsonLines(store, resolved, write);
    else
      out.out(
        formatTree(store, store.get(resolved)!, {
          maxJson: options.full ? Infinity : 400,
          log: options.log,
          children,
          offset,
          ...(options.verbose ? { exchange: await exchangeView() } : {}),
        }),
      );
    return 0;
  });
}

/**
 * How `--verbose` shows a task's exchange: asked of its task type. The registry (every task type
 * and what they load, ~16 MB) is imported only then, so a plain or streamed `flow show` stays small.
 */
async function exchangeView(): Promise<(type: string, outputs: Record<string, unknown>) => string[] | undefined> {
  const { taskRegistry } = await import('../../tasks/default-registry.js');
  return (type, outputs) => taskRegistry.find(type)?.showExchange?.(outputs);
}

function count(option: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${option} must be a whole number >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}
