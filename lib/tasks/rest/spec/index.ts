/**
 * The REST task's inputs and outputs as data: names, TypeScript types, meanings and defaults.
 * One source for three readers: the generated types (`lib/tasks/rest/types/`, written by
 * `npm run gen` with each JSDoc and `@default` taken from here), the input checks (the valid
 * names and the "did you mean" aliases), and `flow describe REST`.
 */
export type { FieldSpec } from '../../../core/task-definition.js';
export { REST_INPUTS, REST_INPUT_ALIASES, REST_INPUT_NAMES } from './inputs.js';
export { REST_OUTPUTS } from './outputs.js';
export { REST_TYPE_FILES, type TypeSpec } from './types.js';
