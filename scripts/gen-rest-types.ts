// `npm run gen`: write lib/tasks/rest/types.ts from the spec (see scripts/rest-types.ts).
import { writeFileSync } from 'node:fs';
import { renderRestTypes } from './rest-types.js';

const target = new URL('../lib/tasks/rest/types.ts', import.meta.url);
writeFileSync(target, renderRestTypes());
console.log(`wrote ${target.pathname}`);
