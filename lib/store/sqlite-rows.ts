import type { ExecutionRecord } from '../model/record.js';
import type { SideFiles } from './side-files.js';
import { parseLog, withDerived } from './store.js';

/** A record as a SQLite row holds it: its JSON as text, the log's row part, large values by file name. */
export type Row = Omit<ExecutionRecord, 'input_value' | 'output_value' | 'log'> & {
  input_value: string;
  output_value: string;
  derived: string | null;
  external: string | null;
  log: string | null;
};

/**
 * A row as a record: JSON parsed, large values read back from their side files, derived outputs
 * rebuilt, the log's two parts (in the row, then appended) joined.
 */
export function recordOf(row: Row, appended: readonly string[], side: SideFiles): ExecutionRecord {
  const { derived, external, log, ...rest } = row;
  const outputs = JSON.parse(row.output_value) as Record<string, unknown>;
  if (external !== null) for (const [key, name] of Object.entries(JSON.parse(external) as Record<string, string>)) outputs[key] = side.read(name);
  return {
    ...rest,
    input_value: JSON.parse(row.input_value),
    output_value: withDerived(outputs, derived === null ? undefined : JSON.parse(derived)),
    log: parseLog(log, appended),
  } as ExecutionRecord;
}
