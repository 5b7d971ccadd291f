/**
 * The REST task's types: the values its inputs take, `RestInputs` and `RestOutputs`. Generated
 * into `types/` by `npm run gen` from the spec (`spec/`), so each JSDoc and `@default` is the one
 * `flow describe REST` prints and the code applies.
 */
export type * from './types/values.js';
export type * from './types/inputs.js';
export type * from './types/outputs.js';
