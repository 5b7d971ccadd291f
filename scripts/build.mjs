// `npm run build` (also run by `prepare`): compile lib/ to dist/ with tsc (ES2022 JavaScript,
// declarations and their maps, source maps), and copy the module hooks `flow run` registers.
// The package's entry points (package.json "exports") point at dist/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}dist`, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
copyFileSync(`${root}lib/cli/resolve-hook.mjs`, `${root}dist/cli/resolve-hook.mjs`);
