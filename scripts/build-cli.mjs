// Bundles the `flow` command and the library into dist/ with esbuild, so `flow list`, `flow show`
// and `flow setting` start as plain JavaScript (about 0.1 s) instead of compiling TypeScript
// through tsx (about 0.4 s), and `flow run` loads the library as one module graph (handlers that
// import 'flow_api' get the same one, see lib/cli/resolve-hook.mjs).
// Run by `npm ci`/`npm install` (prepare); bin/flow.js falls back to tsx when dist/ is missing or
// older than lib/, so a stale or failed build costs speed, never correctness.
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
try {
  const { build } = await import('esbuild');
  rmSync(`${root}dist`, { recursive: true, force: true });
  mkdirSync(`${root}dist`, { recursive: true });
  await build({
    absWorkingDir: root,
    // Shared chunks: the CLI, the library handlers import and the testing kit are one module graph.
    entryPoints: { cli: 'lib/cli/main.ts', index: 'lib/index.ts', testing: 'lib/testing/index.ts' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: 'dist',
    logLevel: 'warning',
  });
} catch (error) {
  console.warn(`flow_api: the fast CLI bundle was not built (${error.message}); flow list/show will start through tsx`);
}
