import { taskRegistry } from '../../tasks/default-registry.js';
import { formatTaskSpec } from '../../tasks/describe.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage.js';

export interface DescribeOptions {
  json?: boolean;
}

/** `flow describe [TYPE]`: a task type's inputs and outputs (type, default, meaning), or the known task types. */
export async function describeCommand(type: string | undefined, options: DescribeOptions, out: Output): Promise<number> {
  if (type === undefined) {
    out.out(`task types: ${taskRegistry.types().join(', ')}\n(flow describe TYPE lists its inputs and outputs)`);
    return 0;
  }
  let definition;
  try {
    definition = taskRegistry.get(type);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!definition.spec) {
    out.err(`flow describe: task type "${type}" does not describe its inputs`);
    return 1;
  }
  out.out(options.json ? JSON.stringify(definition.spec, null, 2) : formatTaskSpec(definition.type, definition.spec));
  return 0;
}
