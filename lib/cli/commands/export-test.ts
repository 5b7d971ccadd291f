import { countTree, loadTree } from '../../store/store.js';
import { generateTest } from '../../testing/export-test.js';
import type { Output } from '../output.js';
import { resolveExecutionId } from '../resolve-id.js';
import { withStore } from '../with-store.js';

/** The most records a test is exported for. */
const EXPORT_LIMIT = 2000;

export interface ExportTestOptions {
  db?: string;
}

/** `flow export-test ID`: print a mocha test that replays the recorded flow offline. */
export async function exportTestCommand(id: string, options: ExportTestOptions, out: Output): Promise<number> {
  return withStore(options.db, out, (store) => {
    const resolved = resolveExecutionId(store, id, 'export-test', out);
    if (!resolved) return 1;
    // Each record becomes code to read and nock scopes to keep in memory: past a few thousand, a
    // replay is a load test, not a unit test.
    const records = countTree(store, resolved);
    if (records > EXPORT_LIMIT) {
      out.err(
        `flow export-test: execution ${resolved} has ${records} records (the flow and its descendants); a test is exported for at most ${EXPORT_LIMIT}. Export a child flow instead (flow show ${resolved} lists them), or test the handler with a smaller input`,
      );
      return 1;
    }
    try {
      out.out(generateTest(loadTree(store, resolved)!, { id }).trimEnd());
    } catch (error) {
      out.err(`flow export-test: ${(error as Error).message}`);
      return 1;
    }
    return 0;
  });
}
