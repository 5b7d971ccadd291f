// Module hooks for `flow run` (registered after tsx when tsx is registered, so they run first):
// 1. `import ... from 'flow_api'` (and 'flow_api/testing', 'flow_api/extend') in a handler gets
//    the runner's own copy of the library, wherever the handler is on disk: one copy per
//    process, so `instanceof DependencyFailedError` holds. A handler folder with its own,
//    different flow_api installed keeps it.
// 2. A .ts handler outside a `"type": "module"` package that is written with import/export is
//    loaded as an ES module, as a user porting a flow would expect.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The runner's library: its folder (lib/ or dist/ of this package) and its files' extension. */
let root;
let extension;
const ENTRIES = { flow_api: 'index', 'flow_api/testing': 'testing/index', 'flow_api/extend': 'extend' };
const ESM_SYNTAX = /^\s*(import\s[^(]|import\{|export\s)/m;

export function initialize(data) {
  root = data.root;
  extension = data.extension;
}

/** This package's folder (above lib/ or dist/). */
function packageRoot() {
  return new URL('..', root).href;
}

export async function resolve(specifier, context, nextResolve) {
  const entry = ENTRIES[specifier];
  if (entry !== undefined) {
    const runner = { url: new URL(`${entry}${extension}`, root).href, format: 'module', shortCircuit: true };
    let found;
    try {
      found = await nextResolve(specifier, context);
    } catch {
      return runner; // no flow_api where the handler is: the runner's
    }
    // This very package, through its exports or a repository path mapping: the runner's copy.
    return found.url.startsWith(packageRoot()) ? runner : found;
  }
  const result = await nextResolve(specifier, context);
  // Only files the loaders would treat as CommonJS are read; the library's own files are ES modules already.
  if (
    (result.format === 'commonjs' || result.format === 'commonjs-typescript' || result.format == null) &&
    /\.(ts|js)$/.test(result.url) &&
    result.url.startsWith('file:') &&
    !result.url.includes('/node_modules/')
  ) {
    try {
      if (ESM_SYNTAX.test(readFileSync(fileURLToPath(result.url), 'utf8'))) return { ...result, format: 'module' };
    } catch {
      // unreadable: let the loader report it
    }
  }
  return result;
}
