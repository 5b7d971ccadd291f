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
