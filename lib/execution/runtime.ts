import { FilesFolder } from '../files/folder.js';
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

  #files: FilesFolder | undefined;

  constructor(
    readonly store: Store,
    readonly registry: TaskRegistry,
    readonly redactor: Redactor = new Redactor(),
    readonly events: RunEvents = {},
    /** Where files folders live: `<filesRoot>/<root execution id>/`. */
    readonly filesRoot: string = '.flow/files',
  ) {}

  /** The run's files folder, shared by the flow, its child flows and their tasks. */
  get files(): FilesFolder {
    if (!this.#files) throw new Error('the files folder is known once the top-level flow exists');
    return this.#files;
  }

  /** Called once by the top-level flow: its id names the run's files folder. */
  bindRoot(executionId: string): void {
    this.#files ??= new FilesFolder(this.filesRoot, executionId);
  }
}
