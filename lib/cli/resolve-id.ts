import type { Store } from '../store/store.js';
import type { Output } from './output.js';

/** An execution id from the command line (full, a unique prefix, or `last`), or undefined after saying why not. */
export function resolveExecutionId(store: Store, id: string, command: string, out: Output): string | undefined {
  const resolved = store.resolveId(id);
  if (!resolved) out.err(`flow ${command}: no execution ${id === 'last' ? 'recorded yet' : `with id or unique id prefix "${id}"`} in ${store.location}`);
  return resolved;
}
