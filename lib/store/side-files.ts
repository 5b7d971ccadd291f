import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Large output values of a SQLite store (a 1 MiB body), kept as files beside the database,
 * named by the SHA-256 of their content: the same body twice is one file, the row keeps the
 * name, and the WAL and its checkpoint never copy the body. A file is written (temporary name,
 * then renamed) before the row that names it is committed, so a crash never leaves a row
 * pointing at a file that is not there.
 */
export class SideFiles {
  constructor(readonly folder: string) {}

  /** The name a value is kept under. */
  static nameOf(value: string): string {
    return createHash('sha256').update(value).digest('hex');
  }

  #path(name: string): string {
    return join(this.folder, name.slice(0, 2), name);
  }

  /** Keep `value` under `name` (nothing to do if it is there already). */
  write(name: string, value: string): void {
    const path = this.#path(name);
    if (existsSync(path)) return;
    mkdirSync(join(this.folder, name.slice(0, 2)), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, value);
    renameSync(temporary, path);
  }

  /** The value kept under `name`, or a note saying it is missing. */
  read(name: string): string {
    try {
      return readFileSync(this.#path(name), 'utf8');
    } catch {
      return `[value kept outside the record, in ${this.#path(name)}: not found]`;
    }
  }

  /** Remove every file whose name `keep` does not answer yes to; returns how many went. */
  sweep(keep: (name: string) => boolean): number {
    if (!existsSync(this.folder)) return 0;
    let removed = 0;
    for (const fan of readdirSync(this.folder)) {
      for (const file of readdirSync(join(this.folder, fan))) {
        if (file.endsWith('.tmp') || keep(file)) continue;
        rmSync(join(this.folder, fan, file), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
