import { mkdirSync } from 'node:fs';
import { isAbsolute, join, posix, resolve, sep } from 'node:path';
import { InvalidInputError } from '../model/errors.js';
import { describeValue } from '../util/describe.js';

/** The default root of all files folders, relative to the current folder (next to the default store). */
export const DEFAULT_FILES_ROOT = '.flow/files';

/**
 * A flow's files folder (`<root>/<execution_id>/`). Names are relative paths inside it; a name that
 * would leave it (`../x`, `/etc/passwd`) is refused, so a handler input cannot reach other files.
 */
export class FilesFolder {
  readonly path: string;

  constructor(root: string, executionId: string) {
    this.path = resolve(root, executionId);
  }

  /** The absolute path of `name`, checked to stay inside the folder. */
  resolve(name: unknown, what = 'file name'): string {
    if (typeof name !== 'string' || name.trim() === '') throw new InvalidInputError(`${what} must be a non-empty string, got ${describeValue(name)}`);
    if (name.includes('\0')) throw new InvalidInputError(`${what} ${JSON.stringify(name)} contains a NUL character`);
    const normal = posix.normalize(name.replaceAll('\\', '/'));
    if (isAbsolute(name) || posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../') || /^[a-zA-Z]:/.test(name)) {
      throw new InvalidInputError(`${what} ${JSON.stringify(name)} leaves the flow's files folder; use a relative name such as "exports/data.csv"`);
    }
    const full = join(this.path, normal);
    if (full !== this.path && !full.startsWith(this.path + sep)) {
      throw new InvalidInputError(`${what} ${JSON.stringify(name)} leaves the flow's files folder`);
    }
    return full;
  }

  /** Create the folder (and a sub-folder for `file`) before writing. */
  ensureFor(file: string): void {
    mkdirSync(join(file, '..'), { recursive: true });
  }
}
