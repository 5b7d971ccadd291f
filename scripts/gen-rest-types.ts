// `npm run gen`: write lib/tasks/rest/types/*.ts from the spec (see scripts/rest-types.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REST_TYPES_DIR, renderRestTypes } from './rest-types.js';

const dir = join(fileURLToPath(new URL('..', import.meta.url)), REST_TYPES_DIR);
for (const [file, text] of Object.entries(renderRestTypes())) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote ${join(REST_TYPES_DIR, file)}`);
}
