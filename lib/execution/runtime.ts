import { Redactor } from '../redact/redactor.js';
import type { Store } from '../store/store.js';
import type { TaskRegistry } from '../tasks/registry.js';
import type { RunEvents } from './events.js';
import type { Execution } from './execution.js';
import { RunResources } from './resources.js';

/** Everything the executions of one run share. */
export class Runtime {
  readonly resources = new RunResources();
  /** Executions of this run by id, so `system.execution(id)` can wait on them without polling. */
  readonly live = new Map<string, Execution>();

  constructor(
    readonly store: Store,
    readonly registry: TaskRegistry,
    readonly redactor: Redactor = new Redactor(),
    readonly events: RunEvents = {},
  ) {}
}
