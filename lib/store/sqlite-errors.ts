import { StoreError } from '../model/errors.js';

/** Run `setup` again while SQLite says the database is busy, for up to `timeoutMs` (sleeping synchronously between tries). */
export function retryWhileBusy(timeoutMs: number, setup: () => void): void {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      setup();
      return;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if ((!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_LOCKED')) || Date.now() + delay > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delay);
    }
  }
}

/** Turn SQLite's terse codes into a message that says what to do. */
export function storeError(location: string, action: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error; // already explained by a write inside a batch
  const code = (error as { code?: string }).code ?? '';
  const detail = (error as Error).message;
  let message: string;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    message = `cannot ${action} the execution store "${location}": the file is not a SQLite database or is corrupt (${detail}); move it away or choose another file with --db or FLOW_DB`;
  } else if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    message = `cannot ${action} the execution store "${location}": the file or its folder is not writable (${detail}); fix its permissions or choose another file with --db or FLOW_DB`;
  } else if (code === 'SQLITE_BUSY') {
    message = `cannot ${action} the execution store "${location}": it stayed locked by another process (${detail})`;
  } else {
    message = `cannot ${action} the execution store "${location}": ${detail}`;
  }
  return new StoreError(message, { cause: error });
}
