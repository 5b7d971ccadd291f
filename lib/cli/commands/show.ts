import { openStore } from '../../store/open.js';
import { loadTree } from '../../store/store.js';
import { formatTree } from '../format.js';
import type { Output } from '../output.js';
import { resolveExecutionId } from '../resolve-id.js';

export interface ShowCommandOptions {
  json?: boolean;
  full?: boolean;
  log: boolean;
  verbose?: boolean;
  db?: string;
}

/** `flow show ID`: one execution and its tree of children. */
export function showCommand(id: string, options: ShowCommandOptions, out: Output): number {
  const store = openStore(options.db);
  try {
    const resolved = resolveExecutionId(store, id, 'show', out);
    if (!resolved) return 1;
    const tree = loadTree(store, resolved)!;
    out.out(options.json ? JSON.stringify(tree, null, 2) : formatTree(tree, { maxJson: options.full ? Infinity : 400, log: options.log, verbose: options.verbose ?? false }));
    return 0;
  } finally {
    store.close();
  }
}
