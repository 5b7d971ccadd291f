#!/usr/bin/env node
// The `flow` command. It runs the compiled library in dist/ (built by `npm run build`, which
// `prepare` runs). Inside this repository, when a file in lib/ is newer than the build, it runs
// the TypeScript sources through tsx instead, so a change needs no rebuild to be tried.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Newest modification time of the files under a folder, in ms. */
function newest(folder) {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return latest;
}

function useSources() {
  const built = here('../dist/cli/main.js');
  if (!existsSync(built)) return existsSync(here('../lib/cli/main.ts'));
  // A published package has no stale build: its files all carry the same time.
  return existsSync(here('../lib')) && newest(here('../lib')) > statSync(built).mtimeMs;
}

let main;
if (useSources()) {
  const { register: registerTsxCjs } = await import('tsx/cjs/api');
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsxCjs();
  registerTsx();
  ({ main } = await import('../lib/cli/main.ts'));
} else {
  ({ main } = await import('../dist/cli/main.js'));
}
await main(process.argv.slice(2));
