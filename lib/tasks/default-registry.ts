import { TaskRegistry } from './registry.js';
import { restTask } from './rest/index.js';

/** The registry `run()` and the CLI use: the built-in task types, plus any registered by the user. */
export const taskRegistry = new TaskRegistry().register(restTask);
