#!/usr/bin/env node
// The `flow` command. It starts from the esbuild bundle in dist/ when it is newer than every file
// in lib/ (scripts/build-cli.mjs), else from the TypeScript sources through tsx. `flow run`
// registers tsx in this process (its ESM and CommonJS hooks, as the tsx command does) so handlers
// run as TypeScript without a build step, and share the runner's copy of the library.
import { readdirSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const usesHandlers = args.includes('run');

/** Newest modification time of the files under a folder, in ms. */
function newest(folder) {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return latest;
}

function freshBundle() {
  try {
    const bundle = statSync(fileURLToPath(new URL('../dist/cli.js', import.meta.url))).mtimeMs;
    return bundle >= newest(fileURLToPath(new URL('../lib', import.meta.url)));
  } catch {
    return false;
  }
}

const bundle = freshBundle();
// From the bundle, the runner's own modules load before any hook exists (plain Node speed);
// only handlers then go through tsx.
const cli = bundle ? await import('../dist/cli.js') : undefined;
if (cli && usesHandlers) await cli.preload('run');
if (usesHandlers || !cli) {
  const { register: registerTsxCjs } = await import('tsx/cjs/api');
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsxCjs();
  registerTsx();
  // Registered after tsx so it runs first: see lib/cli/resolve-hook.mjs. With the bundle,
  // handlers that import 'flow_api' get the bundle's library, the runner's own copy.
  register('../lib/cli/resolve-hook.mjs', { parentURL: import.meta.url, data: { library: cli ? new URL('../dist/index.js', import.meta.url).href : undefined } });
}
const { main } = cli ?? (await import('../lib/cli/main.ts'));
await main(args);
