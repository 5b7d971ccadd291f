#!/usr/bin/env node
// The `flow` command. tsx is registered in this process (its ESM and CommonJS hooks, as the tsx
// command does) so handlers and flow_api itself run as TypeScript without a build step and share
// one copy of the library.
import { register } from 'node:module';
import { register as registerTsxCjs } from 'tsx/cjs/api';
import { register as registerTsx } from 'tsx/esm/api';

registerTsxCjs();
registerTsx();
// Registered after tsx so it runs first: see lib/cli/resolve-hook.mjs.
register('../lib/cli/resolve-hook.mjs', import.meta.url);
const { main } = await import('../lib/cli/main.ts');
await main(process.argv.slice(2));
