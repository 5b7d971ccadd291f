#!/usr/bin/env node
// The `flow` command. tsx is registered in this process so handlers (and flow_api itself) run as
// TypeScript without a build step and share one copy of the library.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
await main(process.argv.slice(2));
