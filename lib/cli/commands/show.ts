import { loadTree } from '../../store/store.js';
import { taskRegistry } from '../../tasks/default-registry.js';
import { formatTree } from '../format.js';
import type { Output } from '../output.js';
import { resolveExecutionId } from '../resolve-id.js';
import { withStore } from '../with-store.js';

export interface ShowCommandOptions {
  json?: boolean;
  full?: boolean;
  log: boolean;
  verbose?: boolean;
  db?: string;
}

/** `flow show ID`: one execution and its tree of children. */
export async function showCommand(id: string, options: ShowCommandOptions, out: Output): Promise<number> {
  return withStore(options.db, out, (store) => {
    const resolved = resolveExecutionId(store, id, 'show', out);
    if (!resolved) return 1;
    const tree = loadTree(store, resolved)!;
    out.out(
      options.json
        ? JSON.stringify(tree, null, 2)
        : formatTree(tree, {
            maxJson: options.full ? Infinity : 400,
            log: options.log,
            ...(options.verbose ? { exchange: (type, outputs) => taskRegistry.find(type)?.showExchange?.(outputs) } : {}),
          }),
    );
    return 0;
  });
}
