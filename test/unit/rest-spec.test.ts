import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { REST_TYPES_DIR, renderRestTypes } from '../../scripts/rest-types.js';
import { REST_DEFAULTS } from '../../lib/tasks/rest/defaults.js';
import { REST_INPUT_NAMES, REST_INPUTS } from '../../lib/tasks/rest/spec/index.js';

describe('the REST spec: one source for types, checks and flow describe', () => {
  it('lib/tasks/rest/types/ is what `npm run gen` writes from the spec, file by file', () => {
    const rendered = renderRestTypes();
    expect(readdirSync(new URL(`../../${REST_TYPES_DIR}/`, import.meta.url)).sort()).to.deep.equal(Object.keys(rendered).sort());
    for (const [file, text] of Object.entries(rendered)) {
      const written = readFileSync(new URL(`../../${REST_TYPES_DIR}/${file}`, import.meta.url), 'utf8');
      expect(written === text, `${file} is stale: run \`npm run gen\``).to.equal(true);
    }
  });

  it('every default in the spec is the runtime default, and every input with a default has its @default', () => {
    for (const [name, value] of Object.entries(REST_DEFAULTS)) {
      const field = (REST_INPUTS as Record<string, { default?: unknown }>)[name];
      expect(field, name).to.not.equal(undefined);
      expect(field!.default, name).to.deep.equal(value);
    }
    const types = renderRestTypes()['inputs.ts']!;
    expect(types).to.include('   * @default {"initial": 1, "maximum": 60, "multiplier": 2, "deadline": 600}\n   */\n  retry_backoff?: RetryBackoff;');
    expect(types).to.include('   * @default [200, 201, 202, 204]\n   */\n  expected_status_code?: number | number[];');
  });

  it('the inputs checked are the inputs typed (init is taken out by task() first)', () => {
    expect([...REST_INPUT_NAMES, 'init'].sort()).to.deep.equal(Object.keys(REST_INPUTS).sort());
  });
});
