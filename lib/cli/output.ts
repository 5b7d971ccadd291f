import { once } from 'node:events';
import { safeText } from './safe-text.js';

/** Where the CLI writes: stdout for results, stderr for progress and errors. Swappable in tests. */
export interface Output {
  out(text: string): void;
  /**
   * Write to stdout as it is (no line break added): for output streamed in pieces. A promise when
   * the reader is behind (a full pipe): the caller waits for it before producing more.
   */
  write?(text: string): Promise<unknown> | void;
  err(text: string): void;
}

/** stdout and stderr, every line made safe for a terminal (see `safeText`). */
export const processOutput: Output = {
  out: (text) => void process.stdout.write(`${safeText(text)}\n`),
  write: (text) => (process.stdout.write(safeText(text)) ? undefined : once(process.stdout, 'drain')),
  err: (text) => void process.stderr.write(`${safeText(text)}\n`),
};

/** Exit once stdout and stderr are flushed (a pipe can still hold output when exit is called). */
export function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
