import { MemoryStore } from './memory.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** The CLI's default store file, relative to the current folder. */
export const DEFAULT_DB_PATH = '.flow/executions.db';

/**
 * Open the store at `path` (`:memory:` for an in-memory one). Without a path: `FLOW_DB`, else
 * {@link DEFAULT_DB_PATH}.
 */
export function openStore(path?: string): Store {
  const location = path ?? process.env.FLOW_DB ?? DEFAULT_DB_PATH;
  return location === ':memory:' ? new MemoryStore() : new SqliteStore(location);
}

/**
 * Run `use` with a store: the one given, or the one a path names (see {@link openStore}), opened
 * for the call and closed after it, whatever `use` does. A store given is left open.
 */
export async function withStore<T>(store: Store | string | undefined, use: (store: Store) => T | Promise<T>): Promise<T> {
  if (typeof store === 'object') return use(store);
  const opened = openStore(store);
  try {
    return await use(opened);
  } finally {
    opened.close();
  }
}
