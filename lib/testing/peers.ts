import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `flow_api/testing` is made for mocha, chai and nock, which the project provides (optional
 * peer dependencies of flow_api). Without them, say which is missing and how to add it, rather
 * than failing later with a module-not-found deep inside a test.
 */
export function requirePeers(names: readonly string[], from: string = fileURLToPath(import.meta.url)): void {
  const missing = names.filter((name) => !installed(name, dirname(from)));
  if (missing.length === 0) return;
  const list = missing.map((name) => `"${name}"`).join(' and ');
  throw new Error(
    `flow_api/testing needs ${list} in your project (${missing.length === 1 ? 'a peer dependency' : 'peer dependencies'} of flow_api): npm install --save-dev ${missing.join(' ')}`,
  );
}

/** Whether a package is installed where Node would find it from `dir` (node_modules folders up to the root). */
function installed(name: string, dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules', name, 'package.json'))) return true;
    if (dirname(current) === current) return false;
  }
}
