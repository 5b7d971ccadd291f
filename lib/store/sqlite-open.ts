import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../model/errors.js';
import { migrate } from './schema.js';
import { retryWhileBusy, storeError } from './sqlite-errors.js';

/**
 * Open (or create) the SQLite file at `location` in WAL mode, its schema brought up to date.
 * `warnings` says what the user should hear about the file (an empty file set up as a new store).
 */
export function openDatabase(location: string, busyTimeoutMs: number): { db: Database.Database; warnings: string[] } {
  const warnings: string[] = [];
  try {
    mkdirSync(dirname(location), { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create the folder for the execution store "${location}": ${(error as Error).message}`, { cause: error });
  }
  // SQLite takes an empty file for a new database without a word; an executions.db that
  // became empty (a failed copy, a full disk) would look like a store with no history.
  if (statSync(location, { throwIfNoEntry: false })?.size === 0) {
    warnings.push(`the store file ${location} was empty (0 bytes): it is set up as a new, empty store`);
  }
  let db: Database.Database;
  try {
    db = new Database(location, { timeout: busyTimeoutMs });
  } catch (error) {
    throw storeError(location, 'open', error);
  }
  try {
    // Two runners opening a new store at once race to switch it to WAL and create the tables;
    // SQLite answers the loser SQLITE_BUSY at once (its busy handler does not cover a journal
    // mode change), so the setup is retried until the busy timeout.
    retryWhileBusy(busyTimeoutMs, () => {
      // A new store gives the pages of pruned records back to the file system by itself (`flow
      // prune`, the retention setting); SQLite lets this be chosen only in a file still empty,
      // before the switch to WAL.
      if (db.pragma('page_count', { simple: true }) === 0) db.pragma('auto_vacuum = INCREMENTAL');
      db.pragma('journal_mode = WAL');
      // NORMAL is durable against a process crash in WAL mode (only power loss can drop the
      // newest commits) and avoids an fsync per record.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = OFF');
      migrate(db, location);
    });
  } catch (error) {
    db.close();
    throw storeError(location, 'open', error);
  }
  return { db, warnings };
}
