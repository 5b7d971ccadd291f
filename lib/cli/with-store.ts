import { withStore as withOpenStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import type { Output } from './output.js';

/** Open the store a command names (`--db`, else `$FLOW_DB`, else the default), say what it found, run `use`, close it. */
export function withStore<T>(db: string | undefined, out: Output, use: (store: Store) => T | Promise<T>): Promise<T> {
  return withOpenStore(db, (store) => {
    for (const warning of store.warnings ?? []) out.err(`flow: warning: ${warning}`);
    return use(store);
  });
}
