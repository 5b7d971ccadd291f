import { loadTree } from '../../store/store.js';
import { generateTest } from '../../testing/export-test.js';
import type { Output } from '../output.js';
import { resolveExecutionId } from '../resolve-id.js';
import { withStore } from '../with-store.js';

export interface ExportTestOptions {
  db?: string;
}

/** `flow export-test ID`: print a mocha test that replays the recorded flow offline. */
export async function exportTestCommand(id: string, options: ExportTestOptions, out: Output): Promise<number> {
  return withStore(options.db, out, (store) => {
    const resolved = resolveExecutionId(store, id, 'export-test', out);
    if (!resolved) return 1;
    try {
      out.out(generateTest(loadTree(store, resolved)!, { id }).trimEnd());
    } catch (error) {
      out.err(`flow export-test: ${(error as Error).message}`);
      return 1;
    }
    return 0;
  });
}
