import { openStore } from '../../store/open.js';
import { loadTree } from '../../store/store.js';
import { generateTest } from '../export-test.js';
import type { Output } from '../output.js';

export interface ExportTestOptions {
  db?: string;
}

/** `flow export-test ID`: print a mocha test that replays the recorded flow offline. */
export function exportTestCommand(id: string, options: ExportTestOptions, out: Output): number {
  const store = openStore(options.db);
  try {
    const resolved = store.resolveId(id);
    if (!resolved) {
      out.err(`flow export-test: no execution ${id === 'last' ? 'recorded yet' : `with id or unique id prefix "${id}"`} in ${store.location}`);
      return 1;
    }
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
