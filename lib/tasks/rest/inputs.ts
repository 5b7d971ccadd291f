/**
 * The REST task's public inputs and outputs, with Cloudomation's names and defaults: the types
 * are generated from `spec/` (`npm run gen`), the defaults live in `defaults.ts`. Everything
 * downstream works on the normalised form (`normalize.ts`), never on these.
 */
export type * from './types.js';
export { REST_DEFAULTS, METHODS, BODY_METHODS, IDEMPOTENT_METHODS, type Method } from './defaults.js';
export { REST_INPUT_NAMES, REST_INPUTS, REST_OUTPUTS, REST_INPUT_ALIASES, type FieldSpec } from './spec/index.js';
export type { FormDataLike, BlobLike } from './form-data.js';
