import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { InvalidInputError } from '../../model/errors.js';
import { describeValue } from '../../util/describe.js';

/** The project's files folder, relative to the current folder (next to the default store). */
const DEFAULT_FILES_DIR = '.flow/files';

/**
 * Where the project's files folder is: given, else `$FLOW_FILES_DIR`, else `files/` next to a
 * SQLite store, else `.flow/files` in the current folder.
 */
export function resolveFilesDir(given: string | undefined, storeLocation: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (given) return resolve(given);
  if (env.FLOW_FILES_DIR) return resolve(env.FLOW_FILES_DIR);
  return storeLocation && storeLocation !== ':memory:' ? join(dirname(storeLocation), 'files') : resolve(DEFAULT_FILES_DIR);
}

/** A file in the folder, as `flow file list` shows it. */
export interface FileEntry {
  /** The name inside the folder, `/`-separated. */
  name: string;
  size: number;
  /** ISO 8601 time of the last change. */
  modified_at: string;
}

/**
 * The project's files folder (Cloudomation's files resource): one folder shared by every run and
 * kept between runs, `.flow/files/` by default (`FLOW_FILES_DIR`). Names are relative paths
 * inside it; a name that would leave it (`../x`, `/etc/passwd`, or a symbolic link inside that
 * points outside) is refused, so an input cannot reach other files on the machine.
 */
export class FilesFolder {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
  }

  /** The absolute path of `name`, checked to stay inside the folder, symbolic links followed. */
  resolve(name: unknown, what = 'file name'): string {
    if (typeof name !== 'string' || name.trim() === '') throw new InvalidInputError(`${what} must be a non-empty string, got ${describeValue(name)}`);
    if (name.includes('\0')) throw new InvalidInputError(`${what} ${JSON.stringify(name)} contains a NUL character`);
    const normal = posix.normalize(name.replaceAll('\\', '/'));
    if (isAbsolute(name) || posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../') || /^[a-zA-Z]:/.test(name)) {
      throw this.#outside(what, name);
    }
    const full = join(this.path, normal);
    if (full !== this.path && !full.startsWith(this.path + sep)) throw this.#outside(what, name);
    const tooLong = normal.split('/').find((segment) => Buffer.byteLength(segment) > 255);
    if (tooLong !== undefined) {
      throw new InvalidInputError(
        `${what} ${JSON.stringify(name)} has a part of ${Buffer.byteLength(tooLong)} bytes; file systems allow at most 255 bytes per name`,
      );
    }
    this.#checkLinks(full, what, name);
    return full;
  }

  /**
   * A symbolic link inside the folder may point anywhere: the deepest part of the path that
   * exists is resolved, and must still be inside the folder (for reads, writes and downloads).
   */
  #checkLinks(full: string, what: string, name: string): void {
    if (!existsSync(this.path)) return; // nothing inside yet, so no link either
    const root = realpathSync(this.path);
    let probe = full;
    while (probe !== this.path && !exists(probe)) probe = dirname(probe);
    let real: string;
    try {
      real = realpathSync(probe);
    } catch {
      // A link to nothing: writing through it would create its target, wherever that is.
      throw new InvalidInputError(
        `${what} ${JSON.stringify(name)} goes through a symbolic link whose target does not exist (${relative(this.path, probe)}); files live in ${this.path}`,
      );
    }
    if (real !== root && !real.startsWith(root + sep)) {
      throw new InvalidInputError(
        `${what} ${JSON.stringify(name)} leads out of the files folder through a symbolic link (${relative(this.path, probe) || '.'} points to ${real}); files live in ${this.path}`,
      );
    }
  }

  #outside(what: string, name: string): InvalidInputError {
    return new InvalidInputError(
      `${what} ${JSON.stringify(name)} leaves the files folder; files live in ${this.path}: use a name inside it such as "exports/data.csv" (put a file there with \`npx flow file put NAME PATH\`)`,
    );
  }

  /** Create the folder (and a sub-folder for `file`) before writing. */
  ensureFor(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
  }

  /** Copy a file from anywhere on the machine into the folder as `name` (`flow file put`); returns its entry. */
  put(name: string, source: string): FileEntry {
    const target = this.resolve(name, 'file name');
    this.ensureFor(target);
    copyFileSync(source, target);
    const stats = statSync(target);
    return { name: this.#relative(target), size: stats.size, modified_at: stats.mtime.toISOString() };
  }

  /** Remove a file; returns whether it existed. */
  delete(name: string): boolean {
    const target = this.resolve(name, 'file name');
    if (!existsSync(target)) return false;
    rmSync(target);
    return true;
  }

  #relative(full: string): string {
    return relative(this.path, full).split(sep).join('/');
  }

  /** Every file in the folder, names sorted; temporary files of downloads in progress are left out. */
  list(): FileEntry[] {
    if (!existsSync(this.path)) return [];
    const entries: FileEntry[] = [];
    for (const entry of readdirSync(this.path, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || /\.part-[0-9a-f]{8}$/.test(entry.name)) continue;
      const full = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
      const stats = statSync(full);
      entries.push({ name: this.#relative(full), size: stats.size, modified_at: stats.mtime.toISOString() });
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** Whether a path exists, without following a final symbolic link (a dangling link exists too). */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
