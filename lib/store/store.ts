import type { ExecutionRecord, ExecutionTree, JsonObject, JsonValue, LogEntry } from '../model/record.js';
import type { Status } from '../model/status.js';
import { boundDepth } from '../util/json.js';

/** A record without its (possibly large) inputs, outputs and log, as listings return it. */
export type ExecutionSummary = Omit<ExecutionRecord, 'input_value' | 'output_value' | 'log'>;

/** What an execution writes when it starts. */
export type NewRecord = Pick<ExecutionRecord, 'execution_id' | 'parent_id' | 'root_id' | 'kind' | 'type' | 'name' | 'created_at' | 'seq'> & {
  /** The inputs, masked: as JSON, or already serialized by the writer. */
  input_value: JsonObject | SerializedJson;
  /** SHA-256 of the recorded (masked) inputs: how a resumed run knows a call is the one it replays. */
  input_hash?: string | null;
  /** Top-level flows: the handler file (absolute) and the SHA-256 of its content, for `flow resume`. */
  handler?: { path: string; hash: string } | undefined;
};

/** A child as the journal has it: its record, the hash of its inputs, and (a flow) the child whose failure ended it. */
export interface JournalEntry extends ExecutionRecord {
  seq: number;
  input_hash: string | null;
  cause_id: string | null;
}

/** A value a handler must not compute again on replay (`this.now()`, `this.uuid()`, a durable sleep, a patch). */
export interface Mark {
  kind: string;
  value: string;
}

/** A top-level run as the store knows it. */
export interface RunInfo {
  root_id: string;
  owner: string;
  started_at: string;
  ended_at: string | null;
  heartbeat_at: string | null;
  /** The handler file, absolute, and the SHA-256 of its content when it last ran. */
  handler: string | null;
  handler_hash: string | null;
  /** 1 for the first run, 2 after the first resume, ... */
  attempt: number;
  /** Earlier attempts: when each started and ended, how and why it was resumed. */
  history: RunAttempt[];
  /** Whether the process that owns it is alive (always false for a run that ended). */
  alive: boolean;
}

export interface RunAttempt {
  attempt: number;
  started_at: string;
  ended_at: string | null;
  status: string;
  message: string | null;
  /** Why the next attempt was made: `crashed`, `failed` or `cancelled`. */
  resumed_because?: string;
  handler_hash: string | null;
}

/**
 * A JSON value already serialized (and masked) by its writer, so the store does not walk it
 * again. `derived` names outputs kept only once: `{ json: 'text' }` means the `json` output is
 * `JSON.parse` of the `text` output, rebuilt when the record is read (a body is stored once).
 */
export class SerializedJson {
  constructor(
    readonly text: string,
    readonly derived?: Readonly<Record<string, string>>,
    /**
     * Large string values kept outside the row, by key (a body of 1 MiB): a store keeps each
     * where it is cheap (the SQLite store in a content-addressed file beside the database) and
     * puts it back under its key when the record is read, before `derived` is applied.
     */
    readonly external?: Readonly<Record<string, string>>,
  ) {}
}

/** String values longer than this many characters are kept outside the row (see {@link SerializedJson.external}). */
export const EXTERNAL_VALUE_BYTES = 64 * 1024;

/** Rebuild outputs stored once (see {@link SerializedJson}); a source that no longer parses is left out. */
export function withDerived(outputs: Record<string, unknown>, derived: Readonly<Record<string, string>> | undefined): Record<string, unknown> {
  if (!derived) return outputs;
  for (const [key, source] of Object.entries(derived)) {
    const text = outputs[source];
    if (typeof text !== 'string') continue;
    try {
      // Within the record's depth bound, as the walk that would have stored it separately.
      outputs[key] = boundDepth(JSON.parse(text) as JsonValue, 1);
    } catch {
      /* the source was masked into something that is not JSON: keep the text only */
    }
  }
  return outputs;
}

/** Fields an execution may change while it runs or when it ends. */
/** What an execution changes as it runs and ends (outputs possibly already serialized). */
export type RecordPatch = Partial<Pick<ExecutionRecord, 'name' | 'status' | 'message' | 'ended_at' | 'duration' | 'created_at'>> & {
  /** A flow that failed because a child did: that child (the one a resume runs again). */
  cause_id?: string | null;
  output_value?: JsonObject | SerializedJson;
  /**
   * The whole log so far, serialized (a JSON array of entries), kept in the row: a task's lines
   * are written with its row, not one write each. Lines added with `appendLog` follow them.
   */
  log?: SerializedJson;
};

/** How many children an execution has, by status. */
export interface ChildCounts {
  total: number;
  byStatus: Partial<Record<Status, number>>;
}

export interface PruneQuery {
  /** Runs that ended before this time go. */
  endedBefore: Date;
  /** Keep runs that did not end ENDED_SUCCESS. Default false. */
  keepFailed?: boolean;
  /** Count what would go, delete nothing. Default false. */
  dryRun?: boolean;
  /**
   * Then rewrite the whole file (SQLite `VACUUM`) to give every free page back to the file system,
   * and switch an older store to incremental vacuum so later prunes do it by themselves. Other
   * processes wait while it runs. Default false.
   */
  vacuum?: boolean;
}

export interface PruneResult {
  runs: number;
  records: number;
  /** Files of large values no record names any more, removed (SQLite store). */
  files: number;
  /** Bytes the store's file gave back to the file system (SQLite store; 0 for the memory store). */
  freedBytes: number;
  /** Bytes left free inside the file, reused by new records (an older store without incremental vacuum, until `vacuum`). */
  freeBytes: number;
}

/** A page of children, in start order. */
export interface ChildPage {
  /** Skip this many. Default 0. */
  offset?: number;
  /** At most this many. Default: all. */
  limit?: number;
}

export interface ListQuery {
  /** Only records with this status. */
  status?: Status;
  /** At most this many, newest first. Default 20. */
  limit?: number;
  /** Top-level flows only (the default), or every record. */
  rootsOnly?: boolean;
}

/**
 * The execution store. Synchronous on purpose: both implementations answer in microseconds.
 * Record writes are committed at the end of the event-loop turn that made them, or at `flush()`;
 * an execution flushes before its end is reported, so a record is never lost between a task's
 * end and the next line of a handler.
 */
export interface Store {
  /** Where the records live: a file path, or `:memory:`. */
  readonly location: string;
  /** Whether `close()` was called (a closed SQLite store can be opened again at its location). */
  readonly closed?: boolean;
  /** Things found when the store was opened that the user should hear about. */
  readonly warnings?: readonly string[];
  insert(record: NewRecord): void;
  update(executionId: string, patch: RecordPatch): void;
  appendLog(executionId: string, entry: LogEntry): void;
  get(executionId: string): ExecutionRecord | undefined;
  /** Resolve a full id, a unique prefix of one, or `last` (the newest top-level flow). */
  resolveId(idOrPrefix: string): string | undefined;
  /** Children in start order: all, or a page of them. */
  children(executionId: string, page?: ChildPage): ExecutionRecord[];
  /** Every child in start order, read a batch at a time (constant memory, whatever their number). */
  eachChild(executionId: string): IterableIterator<ExecutionRecord>;
  /** Like `eachChild`, without inputs, outputs and log: what a summary or a listing needs. */
  eachChildSummary(executionId: string): IterableIterator<ExecutionSummary>;
  /**
   * Delete top-level runs that ended before `query.endedBefore` (with all their records), oldest
   * first, in batches; a run still going is never touched. Returns what went.
   */
  prune(query: PruneQuery): PruneResult;
  /** The journal entry of the child at `seq` of `parentId` (see {@link Store.journal}). */
  journalEntry(parentId: string, seq: number): JournalEntry | undefined;
  /** Journal entries of `parentId` after `afterSeq`, in seq order, at most `limit`. */
  journal(parentId: string, afterSeq: number, limit: number): JournalEntry[];
  mark(parentId: string, seq: number): Mark | undefined;
  saveMark(parentId: string, seq: number, mark: Mark): void;
  /** The top-level run `rootId`, or undefined for one the store does not know (an older store's, or a child). */
  run(rootId: string): RunInfo | undefined;
  /** Start another attempt of an ended run: owned by this process again, the attempt counted and the previous one kept. */
  beginAttempt(rootId: string, previous: RunAttempt, handlerHash: string | null): void;
  /** The child whose failure ended a flow (see `RecordPatch.cause_id`), if one did. */
  causeOf(executionId: string): string | null;
  /** Top-level runs that did not end ENDED_SUCCESS and are not running: newest first. */
  resumable(limit: number): (ExecutionSummary & { attempt: number })[];
  childCounts(executionId: string): ChildCounts;
  /** Newest first; summaries without inputs, outputs and log (load one with `get`). */
  list(query?: ListQuery): ExecutionSummary[];
  getSetting(name: string): JsonValue | undefined;
  saveSetting(name: string, value: JsonValue): void;
  deleteSetting(name: string): boolean;
  listSettings(): string[];
  /**
   * Commit record writes that are still queued (the SQLite store groups the writes of one
   * event-loop turn into one transaction). Reads flush first, so they always see them.
   */
  flush(): void;
  /** Resolves once every write made so far is committed (grouped with others of the same turn). */
  committed(): Promise<void>;
  /**
   * Encrypted values (OAuth tokens), kept apart from settings; the store only holds the sealed
   * text, see `lib/auth/vault.ts`.
   */
  getSealed(name: string): string | undefined;
  saveSealed(name: string, sealed: string): void;
  deleteSealed(name: string): boolean;
  close(): void;
}

/** The record and all its descendants, children in start order. */
export function loadTree(store: Store, executionId: string): ExecutionTree | undefined {
  const record = store.get(executionId);
  if (!record) return undefined;
  return withChildren(store, record);
}

function withChildren(store: Store, record: ExecutionRecord): ExecutionTree {
  const children: ExecutionTree[] = [];
  for (const child of store.eachChild(record.execution_id)) children.push(withChildren(store, child));
  return { ...record, children };
}

/**
 * The record with its descendants read when `children` is first read, level by level: a flow
 * of 100,000 tasks is returned at once and costs nothing until someone looks at its children.
 * `open` gives the store to read them from (and whether to close it after), so a tree can
 * outlive the store it came from (the SQLite file is opened again).
 */
export function lazyTree(record: ExecutionRecord, open: () => { store: Store; close: boolean }): ExecutionTree {
  const tree = record as ExecutionTree;
  let loaded: ExecutionTree[] | undefined;
  Object.defineProperty(tree, 'children', {
    enumerable: true,
    configurable: true,
    get(): ExecutionTree[] {
      if (!loaded) {
        const { store, close } = open();
        try {
          loaded = [];
          for (const child of store.eachChild(record.execution_id)) loaded.push(lazyTree(child, open));
        } finally {
          if (close) store.close();
        }
      }
      return loaded;
    },
    set(value: ExecutionTree[]) {
      loaded = value;
    },
  });
  return tree;
}

/** How many records a tree holds (the execution and all its descendants), counted without reading them. */
export function countTree(store: Store, executionId: string): number {
  let count = 1;
  const flows = [executionId];
  while (flows.length) {
    const flow = flows.pop()!;
    count += store.childCounts(flow).total;
    for (const child of store.eachChildSummary(flow)) if (child.kind === 'flow') flows.push(child.execution_id);
  }
  return count;
}

/** Parse a stored log: the row's serialized entries, then any appended one by one. */
export function parseLog(column: string | null | undefined, appended: readonly string[]): LogEntry[] {
  const log = column ? (JSON.parse(column) as LogEntry[]) : [];
  for (const entry of appended) log.push(JSON.parse(entry) as LogEntry);
  return log;
}

/** The message given to records whose process died while they ran. */
export const ORPHAN_MESSAGE = 'process exited unexpectedly';
