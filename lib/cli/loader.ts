import { register } from 'node:module';

/** Handler files compiled from TypeScript (by tsx) rather than loaded as they are. */
const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/i;

/** Whether this copy of the library is the TypeScript sources (development in this repository) or the build. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');

/**
 * Make `flow run` able to load a handler: tsx for TypeScript handlers (never for a `.js` one,
 * whose sibling `.ts` tsx would load instead), and the hooks that give the handler's
 * `import ... from 'flow_api'` this very copy of the library, so runner and handler share one
 * (and `instanceof DependencyFailedError` holds). Called once, before the handler is imported.
 */
export async function prepareHandlerLoading(file: string): Promise<void> {
  if (TYPESCRIPT.test(file) && !FROM_SOURCES) {
    // From the sources, bin/flow.js registered tsx already.
    const { register: registerTsxCjs } = await import('tsx/cjs/api');
    const { register: registerTsx } = await import('tsx/esm/api');
    registerTsxCjs();
    registerTsx();
  }
  // Registered after tsx, so they run first (see resolve-hook.mjs).
  register('./resolve-hook.mjs', import.meta.url, {
    data: { root: new URL('..', import.meta.url).href, extension: FROM_SOURCES ? '.ts' : '.js' },
  });
}
