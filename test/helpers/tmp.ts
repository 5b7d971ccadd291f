import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempDir {
  path: string;
  /** Write a file inside the folder (parents created); returns its path. */
  write(name: string, content: string, mode?: number): string;
  cleanup(): void;
}

/** A fresh temporary folder, removed by `cleanup()`. */
export function tempDir(prefix = 'flow-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, content, mode) {
      const file = join(path, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content, mode === undefined ? undefined : { mode });
      return file;
    },
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}
