import type { NetworkPolicy } from '../model/network.js';
import type { Store } from '../store/store.js';
import { realClock, type Clock } from './clock.js';
import { Connections } from './config/connections.js';
import { configPaths } from './config/files.js';
import { Secrets } from './config/secrets.js';
import type { RunEvents } from './events.js';
import { FilesFolder } from './files/folder.js';
import { Redactor } from './redact/redactor.js';
import { RunResources } from './resources.js';
import type { TaskTypes } from './task-definition.js';

/** Where a run finds its configuration, and what it runs with. */
export interface RuntimeConfig {
  /** The task types the run can start. */
  registry: TaskTypes;
  /** The config folder (`.flow` by default): `secrets.env`, `connections.json`, ... */
  configDir: string;
  /** The project's files folder, shared by every run. */
  filesDir: string;
  /** Secrets given directly; they win over the environment and `secrets.env`. */
  secrets?: Record<string, string> | undefined;
  /** Connections given directly; they win over `connections.json`. */
  connections?: Record<string, Record<string, unknown>> | undefined;
  /** Read nothing from the environment or the config folder: only what is given (tests). */
  isolated?: boolean | undefined;
  /** Which networks tasks may reach. Default: none refused. */
  network?: NetworkPolicy | undefined;
  /** The run's time. Default: real time. */
  clock?: Clock | undefined;
  events?: RunEvents | undefined;
}

/** An execution of the run that is still going, as `system.execution(id)` waits on it. */
export interface LiveExecution {
  readonly started: Promise<void> | undefined;
  readonly writer: { writePending(): void };
}

/** Everything the executions of one run share. */
export class Runtime {
  readonly resources = new RunResources();
  /** Executions of this run that are running, by id, so `system.execution(id)` can wait on them without polling. */
  readonly live = new Map<string, LiveExecution>();
  readonly registry: TaskTypes;
  readonly secrets: Secrets;
  readonly connections: Connections;
  readonly files: FilesFolder;
  readonly network: NetworkPolicy;
  readonly clock: Clock;
  readonly events: RunEvents;
  readonly configDir: string;
  readonly isolated: boolean;

  constructor(
    readonly store: Store,
    config: RuntimeConfig,
    readonly redactor: Redactor = new Redactor(),
  ) {
    this.registry = config.registry;
    this.files = new FilesFolder(config.filesDir);
    this.network = config.network ?? { denyPrivate: false, allow: [] };
    this.clock = config.clock ?? realClock;
    this.events = config.events ?? {};
    this.configDir = config.configDir;
    this.isolated = config.isolated ?? false;
    const paths = configPaths(config.configDir);
    this.secrets = new Secrets({ file: paths.secrets, values: config.secrets, isolated: this.isolated }, redactor);
    this.connections = new Connections(paths.connections, config.connections, this.isolated, () => store.getSetting('connections'));
  }
}
