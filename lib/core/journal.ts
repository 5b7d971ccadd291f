import { hash } from 'node:crypto';
import { NonDeterminismError } from '../model/errors.js';
import { STATUS } from '../model/status.js';
import { ORPHAN_MESSAGE, type JournalEntry, type Mark, type Store } from '../store/store.js';

/** How a resumed task that was in flight, and is not safe to send twice, is recorded. */
export const AMBIGUOUS_PREFIX = 'ambiguous outcome: ';

/** The children read ahead per parent: replay reads the journal a page at a time, never whole. */
const PAGE = 500;

/** A call as the journal compares it with what it recorded. */
export interface Call {
  kind: 'task' | 'flow';
  type: string;
  inputHash: string;
  /** The call for a NonDeterminismError: type and inputs. */
  describe: () => string;
  /** What the call does, for an ambiguous outcome (REST: `POST https://...`), masked. */
  action?: () => string;
  /** Whether a recorded success can be handed back as it is (its downloaded file still there, unchanged). */
  reusable?: (outputs: Record<string, unknown>) => boolean;
}

/** What a resumed run does with the call at a seq. */
export type Replay =
  /** Beyond the journal: run it, a new record. */
  | { kind: 'live' }
  /** Ended as recorded: hand back the record, run nothing. */
  | { kind: 'replay'; entry: JournalEntry }
  /** Run it again, in its record (the failure that ended the run, or an in-flight call that is safe to repeat). */
  | { kind: 'rerun'; entry: JournalEntry; why: string }
  /** In flight and not safe to repeat, or recorded ambiguous: `--resend`, `--skip`, or fail saying so. */
  | { kind: 'ambiguous'; entry: JournalEntry };

export interface JournalOptions {
  /** Seq paths (`4`, `2.4`) of in-flight calls to send again whatever they are. */
  resend?: ReadonlySet<string>;
  /** Seq paths of in-flight calls recorded as done, with the outputs to record. */
  skip?: ReadonlyMap<string, Record<string, unknown>>;
  /** For `rerun --from`: read the journal of this run's root for the new root, up to (not including) this seq. */
  source?: { rootId: string; newRootId: string; fromSeq: number };
}

/**
 * The journal of a run being resumed: its records (children by parent and seq) and marks, read a
 * page at a time. It says, for each call a handler makes again, whether to hand back what was
 * recorded, run it again, or stop (the call differs from the record: non-determinism).
 */
export class Journal {
  readonly #pages = new Map<string, { after: number; entries: JournalEntry[] }>();
  /** The child whose failure ended each flow being re-run: that one runs again. */
  readonly #causes = new Map<string, string | null>();

  constructor(
    readonly store: Store,
    readonly options: JournalOptions = {},
  ) {}

  /** The journal's name for a parent: the run a `rerun --from` copies is read under its own id. */
  #source(parentId: string): string {
    const source = this.options.source;
    return source && parentId === source.newRootId ? source.rootId : parentId;
  }

  entry(parentId: string, seq: number): JournalEntry | undefined {
    const source = this.options.source;
    if (source && parentId === source.newRootId && seq >= source.fromSeq) return undefined;
    const id = this.#source(parentId);
    let page = this.#pages.get(id);
    const inPage = (p: { after: number; entries: JournalEntry[] }) => seq > p.after && (p.entries.length < PAGE || seq <= p.entries.at(-1)!.seq);
    if (!page || !inPage(page)) {
      page = { after: seq - 1, entries: this.store.journal(id, seq - 1, PAGE) };
      this.#pages.set(id, page);
    }
    return page.entries.find((e) => e.seq === seq);
  }

  mark(parentId: string, seq: number): Mark | undefined {
    const source = this.options.source;
    if (source && parentId === source.newRootId && seq >= source.fromSeq) return undefined;
    return this.store.mark(this.#source(parentId), seq);
  }

  /** Whether anything (a child or a mark) was recorded at this seq. */
  has(parentId: string, seq: number): boolean {
    return this.entry(parentId, seq) !== undefined || this.mark(parentId, seq) !== undefined;
  }

  setCause(flowId: string, cause: string | null): void {
    this.#causes.set(flowId, cause);
  }

  /**
   * Decide what the call at `seq` of `parentId` does. `call` is what the handler asks for now;
   * `resendable` whether the task type says sending it twice does no harm.
   */
  decide(parentId: string, path: string, seq: number, call: Call, resendable: boolean): Replay {
    const entry = this.entry(parentId, seq);
    if (!entry) {
      const mark = this.mark(parentId, seq);
      if (mark) throw new NonDeterminismError(`${where(path)}: the journal recorded ${markText(mark)}, and the handler now calls ${call.describe()}`);
      return { kind: 'live' };
    }
    if (entry.kind !== call.kind || entry.type !== call.type || (entry.input_hash !== null && entry.input_hash !== call.inputHash)) {
      const what = entry.kind !== call.kind || entry.type !== call.type ? 'another call' : 'the same call with other inputs';
      throw new NonDeterminismError(
        `${where(path)}: the journal recorded ${entryText(entry)}, and the handler now makes ${what}: ${call.describe()}; a handler must make the same calls in the same order when it is resumed (guard a deliberate change with this.patched('change-id'))`,
      );
    }
    if (entry.status === STATUS.ENDED_SUCCESS) {
      // What it left behind is gone or changed (a downloaded file): run it again.
      if (call.reusable && !call.reusable(entry.output_value))
        return { kind: 'rerun', entry, why: 'what it recorded is no longer there as it was (a downloaded file)' };
      return { kind: 'replay', entry };
    }
    const inFlight = entry.status === STATUS.RUNNING || entry.message === ORPHAN_MESSAGE || entry.message?.startsWith(AMBIGUOUS_PREFIX) === true;
    if (inFlight) {
      if (this.options.skip?.has(path)) return { kind: 'ambiguous', entry };
      if (entry.kind === 'flow') return { kind: 'rerun', entry, why: 'it was running when the run stopped' };
      if (this.options.resend?.has(path)) return { kind: 'rerun', entry, why: `sent again as --resend ${path} asked` };
      if (resendable && !entry.message?.startsWith(AMBIGUOUS_PREFIX))
        return { kind: 'rerun', entry, why: 'it was in flight when the run stopped, and sending it again does no harm' };
      return { kind: 'ambiguous', entry };
    }
    if (this.#causes.get(parentId) === entry.execution_id) return { kind: 'rerun', entry, why: 'its failure ended the run' };
    return { kind: 'replay', entry };
  }

  /** After a re-run flow's handler returned: a recorded call it did not make again is non-determinism. */
  checkConsumed(parentId: string, path: string, lastSeq: number): void {
    const next = lastSeq + 1;
    const entry = this.entry(parentId, next);
    if (entry) {
      throw new NonDeterminismError(
        `${where(path ? `${path}.${next}` : String(next))}: the journal recorded ${entryText(entry)}, and the handler ended without calling it`,
      );
    }
  }
}

function where(path: string): string {
  return `seq ${path}`;
}

function entryText(entry: JournalEntry): string {
  return `${entry.kind} ${entry.type} "${entry.name}" (${entry.execution_id}) with inputs ${truncateJson(entry.input_value)}`;
}

function markText(mark: Mark): string {
  return mark.kind === 'patch' ? `this.patched(${JSON.stringify(mark.value)})` : `this.${mark.kind}()`;
}

function truncateJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * SHA-256 of a call's recorded (masked) inputs: secrets appear as `***` or as references, so a
 * rotated one changes nothing. The one-shot `crypto.hash` (Node ≥ 20.12): a third of the cost of a
 * Hash object, and this runs for every task.
 */
export function inputHash(recordedInputsText: string): string {
  return hash('sha256', recordedInputsText, 'hex');
}
