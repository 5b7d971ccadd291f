import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { HandlerLoadError } from '../model/errors.js';
import type { HandlerFunction } from './body-kind.js';
import { describeValue } from '../util/describe.js';

export interface LoadedHandler {
  handler: HandlerFunction;
  /** The record's `type`: the file relative to the current folder, or `<function name>`. */
  type: string;
  /** The default record name: the file's base name, or the function's name. */
  name: string;
  /** Folder that the handler's own relative child-flow paths are resolved against. */
  baseDir: string;
  /** The module file, absolute (a handler given as a function has none). */
  file?: string;
}

/** The record name of a handler given by path: its file's base name. */
export function handlerName(path: string): string {
  return basename(path, extname(path));
}

/** Resolve a handler given as a function or as a module path (loaded with `import()`, so through tsx for `.ts`). */
export async function loadHandler(spec: unknown, baseDir: string): Promise<LoadedHandler> {
  if (typeof spec === 'function') {
    const name = spec.name || 'handler';
    return { handler: spec as HandlerFunction, type: `<function ${name}>`, name, baseDir };
  }
  if (typeof spec !== 'string' || spec === '') {
    throw new HandlerLoadError(`a flow handler must be a function or a path to a module, got ${describeValue(spec)}`);
  }
  const file = findHandlerFile(resolve(baseDir, spec));
  if (!file) {
    const tried = extname(spec) ? resolve(baseDir, spec) : HANDLER_EXTENSIONS.map((ext) => resolve(baseDir, spec + ext)).join(', ');
    throw new HandlerLoadError(`handler file "${spec}" does not exist (looked for ${tried})`);
  }
  if (statSync(file).isDirectory()) throw new HandlerLoadError(`handler file "${spec}" is a folder, not a module`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new HandlerLoadError(`cannot load handler file "${spec}": ${loadFailure(error, file)}`, { cause: error });
  }
  const handler = pickHandler(module);
  if (!handler) {
    const names = Object.keys(module);
    throw new HandlerLoadError(
      `handler file "${spec}" does not export a handler function: export a default function or a function named "handler" (its exports: ${names.length ? names.join(', ') : 'none'})`,
    );
  }
  return { handler, type: relative(process.cwd(), file) || file, name: handlerName(file), baseDir: dirname(file), file };
}

/**
 * What went wrong loading a handler, on one line, with the file and line where the loader says:
 * esbuild (tsx) reports "Transform failed with 1 error: <file>:2:20: ERROR: ..."; Node puts a
 * JavaScript syntax error's "<file>:<line>" first in its stack; ts-node/esm throws an object
 * with no prototype whose only readable form is what `util.inspect` prints ("bad.ts(2,21): error
 * TS1109: ..."), which `String()` cannot even convert.
 */
function loadFailure(error: unknown, file: string): string {
  if (error instanceof Error) {
    const message = error.message.replace(/\s*\n\s*/g, ' ');
    const where = error instanceof SyntaxError ? syntaxErrorAt(file) : undefined;
    return where ? `${message} (at ${where})` : message;
  }
  if (typeof error === 'object' && error !== null && Object.getPrototypeOf(error) === null)
    return inspect(error)
      .replace(/\s*\n\s*/g, ' ')
      .trim();
  return String(error);
}

/**
 * Where a JavaScript module's syntax error is: Node 20 leaves the location out of an ES module's
 * SyntaxError, so `node --check` is asked (only on this failure path); it prints "<file>:<line>".
 */
function syntaxErrorAt(file: string): string | undefined {
  if (!/\.(js|mjs|cjs)$/.test(file)) return undefined;
  try {
    execFileSync(process.execPath, ['--check', file], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  } catch (error) {
    return /^(.+:\d+)$/m.exec(String((error as { stderr?: Buffer }).stderr ?? ''))?.[1];
  }
  return undefined;
}

/** A flow named without an extension (Cloudomation names flows, `this.flow('child_ok')`) is looked for with these, in order. */
const HANDLER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

function findHandlerFile(path: string): string | undefined {
  if (existsSync(path) && (!statSync(path).isDirectory() || extname(path))) return path;
  if (extname(path)) return undefined;
  return HANDLER_EXTENSIONS.map((ext) => path + ext).find((candidate) => existsSync(candidate)) ?? (existsSync(path) ? path : undefined);
}

function pickHandler(module: Record<string, unknown>): HandlerFunction | undefined {
  const candidates = [module.default, module.handler];
  // A CommonJS module compiled by tsx arrives as `{ default: { default | handler } }`.
  const inner = module.default as Record<string, unknown> | undefined;
  if (inner && typeof inner === 'object') candidates.push(inner.default, inner.handler);
  return candidates.find((c): c is HandlerFunction => typeof c === 'function');
}
