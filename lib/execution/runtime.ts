import { Grants } from '../auth/grants.js';
import { GrantTokens } from '../auth/tokens.js';
import { Vault } from '../auth/vault.js';
import { Connections } from '../config/connections.js';
import { configPaths } from '../config/files.js';
import { Secrets } from '../config/secrets.js';
import { FilesFolder } from '../files/folder.js';
import { Redactor } from '../redact/redactor.js';
import type { Store } from '../store/store.js';
import type { TaskRegistry } from '../tasks/registry.js';
import type { RunEvents } from './events.js';
import type { Execution } from './execution.js';
import { RunResources } from './resources.js';
import type { NetworkPolicy } from './network.js';

/** Where a run finds its secrets, connections and grants. */
export interface RuntimeConfig {
  /** The config folder (`.flow` by default): `secrets.env`, `connections.json`, `grants.json`. */
  configDir: string;
  /** Secrets given directly; they win over the environment and `secrets.env`. */
  secrets?: Record<string, string> | undefined;
  /** Connections given directly; they win over `connections.json`. */
  connections?: Record<string, Record<string, unknown>> | undefined;
  /** Grants given directly; they win over `grants.json`. */
  grants?: Record<string, Record<string, unknown>> | undefined;
  /** Read nothing from the environment or the config folder: only what is given (tests). */
  isolated?: boolean | undefined;
  /** Which networks tasks may reach. Default: none refused. */
  network?: NetworkPolicy | undefined;
}

/** Everything the executions of one run share. */
export class Runtime {
  readonly resources = new RunResources();
  /** Executions of this run by id, so `system.execution(id)` can wait on them without polling. */
  readonly live = new Map<string, Execution>();
  readonly secrets: Secrets;
  readonly connections: Connections;
  readonly grants: Grants;

  readonly files: FilesFolder;
  readonly network: NetworkPolicy;
  #tokens: GrantTokens | undefined;

  constructor(
    readonly store: Store,
    readonly registry: TaskRegistry,
    readonly redactor: Redactor = new Redactor(),
    readonly events: RunEvents = {},
    /** The project's files folder, shared by every run. */
    filesDir: string = '.flow/files',
    config: RuntimeConfig = { configDir: '.flow' },
  ) {
    this.files = new FilesFolder(filesDir);
    this.network = config.network ?? { denyPrivate: false, allow: [] };
    const paths = configPaths(config.configDir);
    const isolated = config.isolated ?? false;
    this.secrets = new Secrets({ file: paths.secrets, values: config.secrets, isolated }, redactor);
    this.connections = new Connections(paths.connections, config.connections, isolated, () => store.getSetting('connections'));
    this.grants = new Grants(paths.grants, this.secrets, config.grants, isolated);
  }

  /** OAuth 2.0 tokens, created on first use (the vault key file is only made when a grant is used). */
  get tokens(): GrantTokens {
    return (this.#tokens ??= new GrantTokens(this.grants, new Vault(this.store), this.redactor, this.resources));
  }
}
