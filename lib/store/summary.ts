import type { ExecutionRecord } from '../model/record.js';
import type { ExecutionSummary } from './store.js';

export function toSummary(record: ExecutionRecord): ExecutionSummary {
  const { input_value: _inputs, output_value: _outputs, log: _log, ...summary } = record;
  return summary;
}
