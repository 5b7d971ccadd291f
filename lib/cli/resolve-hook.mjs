// Module hooks for `flow run` (registered after tsx, so they run first and delegate to it):
// 1. `import ... from 'flow_api'` works in handlers anywhere on disk, resolving to this copy
//    of the library when the handler's folder has no flow_api of its own, so the runner and the
//    handler share one copy (and `instanceof DependencyFailedError` holds). When the runner runs
//    from the bundle in dist/, that copy is the bundle's.
// 2. A .ts handler outside a `"type": "module"` package that is written with import/export is
//    loaded as an ES module, as a user porting a flow would expect.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LIBRARY = new URL('../index.ts', import.meta.url).href;
const ESM_SYNTAX = /^\s*(import\s[^(]|import\{|export\s)/m;
/** When the runner itself runs from the bundle (dist/), handlers get the bundle's library too. */
let bundled;

export function initialize(data) {
  bundled = data?.library;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'flow_api') {
    let result;
    try {
      result = await nextResolve(specifier, context);
    } catch {
      return bundled ? { url: bundled, format: 'module', shortCircuit: true } : nextResolve(LIBRARY, context);
    }
    // This very package: one copy of the library per process, the one the runner uses.
    return bundled && result.url === LIBRARY ? { url: bundled, format: 'module', shortCircuit: true } : result;
  }
  const result = await nextResolve(specifier, context);
  // Only files the loaders would treat as CommonJS are read; the library's own files are ES modules already.
  if ((result.format === 'commonjs' || result.format === 'commonjs-typescript' || result.format == null) &&
      /\.(ts|js)$/.test(result.url) && result.url.startsWith('file:') && !result.url.includes('/node_modules/')) {
    try {
      if (ESM_SYNTAX.test(readFileSync(fileURLToPath(result.url), 'utf8'))) return { ...result, format: 'module' };
    } catch {
      // unreadable: let the loader report it
    }
  }
  return result;
}
