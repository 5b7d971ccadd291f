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
import type { Journal } from './journal.js';

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

/** How long a running task's outputs and log lines may wait before they are written. */
const WRITE_BEHIND_MS = 200;

/** Everything the executions of one run share. */
export class Runtime {
  /** The journal of the run being resumed (`resume()`, `flow resume`), if this run is one. */
  journal: Journal | undefined;
  /** Tasks of this run that are running now. */
  runningTasks = 0;
  #turn: Promise<void> | undefined;
  /** Running tasks with unwritten outputs or log lines, written by one timer per run (not one per task). */
  readonly #behind = new Set<{ writeBehind(): void }>();
  #tick: NodeJS.Timeout | undefined;
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

  /**
   * A running task has something unwritten: it is written within {@link WRITE_BEHIND_MS} (so a
   * run that is watched, or killed, shows a long task's progress), else with the task's end.
   */
  writeBehind(writer: { writeBehind(): void }): void {
    this.#behind.add(writer);
    if (this.#tick) return;
    this.#tick = setTimeout(() => {
      this.#tick = undefined;
      const writers = [...this.#behind];
      this.#behind.clear();
      for (const one of writers) one.writeBehind();
    }, WRITE_BEHIND_MS);
    this.#tick.unref();
  }

  /**
   * Resolves at the end of this event-loop turn, for everyone who asks during it. Tasks that start
   * while others run wait for it, so the requests of one turn go out together: measured at 64
   * concurrent GETs, socket writes made one after the other from the check phase cost a fifth of
   * writes interleaved with the reads of the poll phase (~70 µs less CPU per task).
   */
  nextTurn(): Promise<void> {
    return (this.#turn ??= new Promise((resolve) =>
      setImmediate(() => {
        this.#turn = undefined;
        resolve();
      }),
    ));
  }

  /** A task that ended was written whole: nothing is left for the tick. */
  wroteEnd(writer: { writeBehind(): void }): void {
    this.#behind.delete(writer);
  }
}
