import type Database from 'better-sqlite3';
import type { StoreError } from '../model/errors.js';

/**
 * Group commit: writes queued in one turn of the event loop are committed together, in one
 * transaction, at the end of that turn or at `flush()` (every read flushes first). Sixty-four
 * tasks ending at once cost one commit, not 64. A commit that fails is told to whoever waits,
 * and thrown to every later write and flush.
 */
export class GroupCommit {
  #queued: (() => unknown)[] = [];
  #waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  readonly #commit: Database.Transaction<(writes: (() => unknown)[]) => void>;
  #failure: StoreError | undefined;
  /** Whether a commit is under way (a write it runs does not flush again). */
  flushing = false;

  constructor(
    readonly db: Database.Database,
    /** Runs the commit, turning SQLite's errors into messages (the store's wrapper). */
    readonly guard: (fn: () => void) => void,
  ) {
    this.#commit = db.transaction((writes: (() => unknown)[]) => {
      for (const write of writes) write();
    });
  }

  get pending(): boolean {
    return this.#queued.length > 0;
  }

  enqueue(write: () => unknown): void {
    if (this.#failure) throw this.#failure;
    this.#queued.push(write);
    if (this.#queued.length > 1) return;
    setImmediate(() => {
      const waiting = this.#waiting.splice(0);
      try {
        this.flush();
        for (const { resolve } of waiting) resolve();
      } catch (error) {
        this.#failure = error as StoreError;
        for (const { reject } of waiting) reject(error);
      }
    });
  }

  /** Resolves once the queued writes are committed, with every other write of this turn. */
  committed(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#queued.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Commit the queued writes now, in one transaction. */
  flush(): void {
    if (this.#failure) throw this.#failure;
    if (this.#queued.length === 0 || !this.db.open) return;
    const writes = this.#queued.splice(0);
    this.flushing = true;
    try {
      // BEGIN IMMEDIATE: take the write lock up front, where the busy timeout applies, never mid-transaction.
      this.guard(() => this.#commit.immediate(writes));
    } finally {
      this.flushing = false;
    }
  }
}
