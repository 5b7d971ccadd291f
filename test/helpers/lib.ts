// The library as tests import it: through the package's own names, as users do.
import { run as runWithDefaults, type AnyObject, type ExecutionTree, type Handler, type RunOptions } from 'flow_api';
import { VirtualClock } from 'flow_api/extend';

export * from 'flow_api';
export * from 'flow_api/extend';
export { restTask as restTaskForTests } from 'flow_api/extend';

/**
 * `run()` on a virtual clock unless a test gives its own: retry delays, backoff and `sleep()` are
 * computed and recorded but cost no wall time (sockets and their timeouts stay real).
 */
export function run<I extends object = AnyObject>(handler: Handler<I> | string, options: RunOptions<I> = {}): Promise<ExecutionTree> {
  return runWithDefaults(handler, { clock: new VirtualClock(), ...options });
}
