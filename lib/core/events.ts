import type { LogEntry } from '../model/record.js';
import type { Status } from '../model/status.js';
import type { TransferProgress } from './task-definition.js';

/** What a run reports as it goes; the CLI prints these live. Every field is already masked. */
export interface RunEvents {
  onStart?(event: { execution_id: string; parent_id: string | null; kind: 'flow' | 'task'; type: string; name: string; depth: number }): void;
  onLog?(event: { execution_id: string; name: string; depth: number; entry: LogEntry }): void;
  onProgress?(event: { execution_id: string; name: string; depth: number } & TransferProgress): void;
  onEnd?(event: { execution_id: string; kind: 'flow' | 'task'; name: string; depth: number; status: Status; message: string | null; duration: number }): void;
}
