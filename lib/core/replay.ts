import type { ExecutionRecord } from '../model/record.js';
import { STATUS } from '../model/status.js';
import { SerializedJson, type JournalEntry } from '../store/store.js';
import { timeOrderedId } from '../util/id.js';
import { AMBIGUOUS_PREFIX, type Call } from './journal.js';
import type { ExecutionState, Init } from './state.js';

/**
 * For a child a resumed flow starts: what the journal says of its seq, as the extra fields of the
 * child's `Init` (its record's id and what to do with it). Undefined when the parent is not
 * resuming (a live run, or a child beyond the journal).
 */
export function replayDecision(parent: ExecutionState, seq: number, call: Call, resendable: () => boolean): Pick<Init, 'id' | 'resumed'> | undefined {
  const journal = parent.runtime.journal;
  if (!journal || !parent.replaying) return undefined;
  const path = parent.path ? `${parent.path}.${seq}` : String(seq);
  const decision = journal.decide(parent.id, path, seq, call, call.kind === 'task' ? resendable() : true);
  const store = parent.runtime.store;
  switch (decision.kind) {
    case 'live':
      return undefined;
    case 'replay':
      return replayed(parent, decision.entry);
    case 'rerun':
      if (decision.entry.kind === 'flow') journal.setCause(decision.entry.execution_id, decision.entry.cause_id);
      return { id: decision.entry.execution_id, resumed: { kind: 'rerun', record: decision.entry, why: decision.why } };
    case 'ambiguous': {
      const { entry } = decision;
      const skipped = journal.options.skip?.get(path);
      if (skipped) {
        // The user checked what the server did and says so: recorded as done, with those outputs.
        const message = `recorded as done on resume (--skip ${path}), with outputs given by hand`;
        const output = parent.runtime.redactor.serialize(skipped);
        store.update(entry.execution_id, { name: entry.name, message, output_value: new SerializedJson(output), status: STATUS.ENDED_SUCCESS });
        return replayed(parent, { ...entry, status: STATUS.ENDED_SUCCESS, message, output_value: JSON.parse(output) as ExecutionRecord['output_value'] });
      }
      const root = parent.root().id;
      const action = call.action?.() ?? `${call.kind} ${call.type}`;
      const message =
        `${AMBIGUOUS_PREFIX}task ${entry.type} "${entry.name}" (seq ${path}, ${action}) was in flight when the run stopped, and it is not safe to send twice: ` +
        `the server may or may not have acted on it. Check what it did, then: flow resume ${root} --resend ${path} to send it again, ` +
        `or flow resume ${root} --skip ${path} --output '<its outputs as JSON>' to record it as done (an idempotency_key input makes such a task safe to resend)`;
      store.update(entry.execution_id, { status: STATUS.ENDED_ERROR, message });
      return replayed(parent, { ...entry, status: STATUS.ENDED_ERROR, message });
    }
  }
}

/** A child handed back as recorded; under `rerun --from`, its record copied into the new run first. */
function replayed(parent: ExecutionState, entry: JournalEntry): Pick<Init, 'id' | 'resumed'> {
  const source = parent.runtime.journal?.options.source;
  if (!source || parent.id !== source.newRootId) return { id: entry.execution_id, resumed: { kind: 'replay', record: entry } };
  const id = timeOrderedId();
  const store = parent.runtime.store;
  const { execution_id: _old, seq, input_hash, ...record } = entry;
  store.insert({ ...record, execution_id: id, parent_id: parent.id, root_id: source.newRootId, seq, input_hash, input_value: record.input_value });
  store.update(id, {
    name: record.name,
    message: record.message,
    output_value: record.output_value,
    log: new SerializedJson(
      JSON.stringify([...record.log, { [new Date().toISOString()]: [`replayed from execution ${entry.execution_id} of run ${source.rootId}`] }]),
    ),
    status: record.status,
    ended_at: record.ended_at,
    duration: record.duration,
  });
  return { id, resumed: { kind: 'replay', record: { ...entry, execution_id: id } } };
}
