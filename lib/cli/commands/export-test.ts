import { openStore } from '../../store/open.js';
import { loadTree } from '../../store/store.js';
import { generateTest } from '../export-test.js';
import type { Output } from '../output.js';
import { resolveExecutionId } from '../resolve-id.js';

export interface ExportTestOptions {
  db?: string;
}

/** `flow export-test ID`: print a mocha test that replays the recorded flow offline. */
export function exportTestCommand(id: string, options: ExportTestOptions, out: Output): number {
  const store = openStore(options.db);
  try {
    const resolved = resolveExecutionId(store, id, 'export-test', out);
    if (!resolved) return 1;
    try {
      out.out(generateTest(loadTree(store, resolved)!, { id }).trimEnd());
    } catch (error) {
      out.err(`flow export-test: ${(error as Error).message}`);
      return 1;
    }
    return 0;
  } finally {
    store.close();
  }
}
