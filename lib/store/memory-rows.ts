import type { ExecutionRecord, JsonObject } from '../model/record.js';
import { STATUS } from '../model/status.js';
import { parseLog, withDerived, type ExecutionSummary, type PruneQuery, type PruneResult } from './store.js';

/**
 * A record as the memory store keeps it: like a SQLite row, its values serialized. A caller can
 * never change a stored record by editing what it passed or read, no deep copy is made on either
 * side (a record of any depth is safe), and the memory taken is the text's.
 */
export interface Row extends ExecutionSummary {
  input_value: string;
  output_value: string;
  derived: Readonly<Record<string, string>> | undefined;
  /** Large values kept beside the outputs' text (the memory store keeps them as they are). */
  external: Readonly<Record<string, string>> | undefined;
  /** The log kept with the row (a JSON array), then lines appended one by one. */
  log: string | null;
  appended: string[] | undefined;
  input_hash: string | null;
  cause_id: string | null;
}

export function summary(row: Row): ExecutionSummary {
  const { input_value: _i, output_value: _o, derived: _d, external: _e, log: _l, appended: _a, input_hash: _h, cause_id: _c, ...fields } = row;
  return fields;
}

export function record(row: Row): ExecutionRecord {
  const { derived, external, log, appended, input_hash: _h, cause_id: _c, ...fields } = row;
  const outputs = JSON.parse(row.output_value) as JsonObject;
  if (external) Object.assign(outputs, external);
  return {
    ...fields,
    input_value: JSON.parse(row.input_value) as JsonObject,
    output_value: withDerived(outputs, derived) as JsonObject,
    log: parseLog(log, appended ?? []),
  };
}

/** Delete the top-level runs that ended before the cutoff (all their records), as the SQLite store does. */
export function pruneRows(rows: Map<string, Row>, children: Map<string, string[]>, query: PruneQuery): PruneResult {
  const cutoff = query.endedBefore.toISOString();
  const result: PruneResult = { runs: 0, records: 0, files: 0, freedBytes: 0, freeBytes: 0 };
  for (const row of [...rows.values()]) {
    if (row.parent_id !== null || row.ended_at === null || row.ended_at >= cutoff) continue;
    if (query.keepFailed && row.status !== STATUS.ENDED_SUCCESS) continue;
    result.runs++;
    const ids = [row.execution_id];
    for (let i = 0; i < ids.length; i++) ids.push(...(children.get(ids[i]!) ?? []));
    result.records += ids.length;
    if (query.dryRun) continue;
    for (const id of ids) {
      rows.delete(id);
      children.delete(id);
    }
  }
  return result;
}
