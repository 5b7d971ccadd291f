import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import type { Output } from './output.js';

/** Open the store a command names (`--db`, else `$FLOW_DB`, else the default), say what it found, run `use`, close it. */
export async function withStore<T>(db: string | undefined, out: Output, use: (store: Store) => T | Promise<T>): Promise<T> {
  const store = openStore(db);
  for (const warning of store.warnings ?? []) out.err(`flow: warning: ${warning}`);
  try {
    return await use(store);
  } finally {
    store.close();
  }
}
