import { createRequire } from 'node:module';

/**
 * Libraries that only some runs need (proxy agents, the cookie jar, MIME tables, the retry loop)
 * are loaded the first time they are used, not when flow_api is imported: every `flow` command
 * and every test process starts without paying for them. Node ≥ 20.19 requires ES modules
 * synchronously, so the call sites stay synchronous.
 */
const load = createRequire(import.meta.url);

/** A getter that loads `specifier` on its first call and returns the same module after. */
export function lazyModule<T>(specifier: string): () => T {
  let module: T | undefined;
  return () => (module ??= load(specifier) as T);
}
