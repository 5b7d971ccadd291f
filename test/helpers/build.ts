// The package test packs dist/ as it is (`npm pack --ignore-scripts`): `npm test` builds once
// before its lanes start, and packing must not rebuild dist/ while other lanes' `flow` processes
// read it. Run alone, the test builds first when lib/ is newer than the build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(folder: string): number {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

export function ensureBuilt(repo: string): void {
  const built = join(repo, 'dist', 'cli', 'main.js');
  if (existsSync(built) && newest(join(repo, 'lib')) <= statSync(built).mtimeMs) return;
  execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
}
