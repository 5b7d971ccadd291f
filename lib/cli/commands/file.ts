import { createReadStream, existsSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { FilesFolder, resolveFilesDir } from '../../core/files/folder.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage.js';
import { formatBytes } from '../progress.js';

export interface FileCommandOptions {
  /** The files folder (default: $FLOW_FILES_DIR, else files/ next to the store). */
  dir?: string;
  db?: string;
  json?: boolean;
}

/** The project's files folder, as `flow run` finds it for the same store. */
function folder(options: FileCommandOptions): FilesFolder {
  return new FilesFolder(resolveFilesDir(options.dir, options.db ?? process.env.FLOW_DB ?? '.flow/executions.db'));
}

/** `flow file put NAME PATH`: copy a file into the files folder, so flows find it by name. */
export async function filePut(name: string, source: string, options: FileCommandOptions, out: Output): Promise<number> {
  if (!existsSync(source) || !statSync(source).isFile()) throw new UsageError(`flow file put: "${source}" is not a file`);
  const files = folder(options);
  const entry = files.put(name, source);
  out.out(`${entry.name} (${formatBytes(entry.size)}) is in ${files.path}`);
  return 0;
}

/** `flow file get NAME [PATH]`: write a file's content to PATH, or to stdout. */
export async function fileGet(name: string, target: string | undefined, options: FileCommandOptions, out: Output): Promise<number> {
  const files = folder(options);
  const path = files.resolve(name, 'file name');
  if (!existsSync(path)) {
    out.err(`flow file get: no file "${name}" in ${files.path}`);
    return 1;
  }
  if (target === undefined) {
    await pipeline(createReadStream(path), process.stdout, { end: false });
  } else {
    const { copyFileSync } = await import('node:fs');
    copyFileSync(path, target);
    out.out(`wrote ${target}`);
  }
  return 0;
}

/** `flow file list`: every file in the files folder, with its size and time. */
export async function fileList(options: FileCommandOptions, out: Output): Promise<number> {
  const files = folder(options);
  const entries = files.list();
  if (options.json) out.out(JSON.stringify(entries, null, 2));
  else if (entries.length === 0) out.out(`no files in ${files.path}`);
  else for (const e of entries) out.out(`${formatBytes(e.size).padStart(10)}  ${e.modified_at.replace('T', ' ').slice(0, 19)}  ${e.name}`);
  return 0;
}

/** `flow file delete NAME`: exit 1 when there was no such file. */
export async function fileDelete(name: string, options: FileCommandOptions, out: Output): Promise<number> {
  const files = folder(options);
  if (!files.delete(name)) {
    out.err(`flow file delete: no file "${name}" in ${files.path}`);
    return 1;
  }
  out.out(`deleted ${name}`);
  return 0;
}
