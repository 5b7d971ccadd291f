#!/usr/bin/env node
// The `flow` command. `flow run` registers tsx in this process (its ESM and CommonJS hooks, as the
// tsx command does) so handlers and flow_api itself run as TypeScript without a build step and
// share one copy of the library. The read-only commands (list, show, setting, --help) start from
// the esbuild bundle in dist/ when it is newer than every file in lib/ (scripts/build-cli.mjs).
import { readdirSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const usesHandlers = args.includes('run') || args.includes('grant');

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

if (!usesHandlers && freshBundle()) {
  const { main } = await import('../dist/cli.js');
  await main(args);
} else {
  const { register: registerTsxCjs } = await import('tsx/cjs/api');
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsxCjs();
  registerTsx();
  // Registered after tsx so it runs first: see lib/cli/resolve-hook.mjs.
  register('../lib/cli/resolve-hook.mjs', import.meta.url);
  const { main } = await import('../lib/cli/main.ts');
  await main(args);
}
