import type Database from 'better-sqlite3';
import { SideFiles } from './side-files.js';
import type { Statements } from './sqlite-statements.js';
import { SerializedJson, type RecordPatch } from './store.js';

export interface PatchContext {
  stmt: Statements;
  side: SideFiles;
  /** A statement for an update of another shape, prepared once. */
  prepare(sql: string): Database.Statement;
}

/**
 * The write of one record patch, made ready now (values serialized, side files named) and run at
 * the group commit: the record writer's shape (as an execution runs and ends) with one prepared
 * statement; any other with a statement built from the patch's keys (fixed names, never user
 * input). Large values of the outputs are written to their side files before the row names them.
 * Undefined when the patch changes nothing.
 */
export function patchWrite(executionId: string, patch: RecordPatch, ctx: PatchContext): (() => void) | undefined {
  const { name, output_value: output, message, log, status, ended_at, duration } = patch;
  if (name !== undefined && output instanceof SerializedJson && message !== undefined && patch.cause_id !== null) {
    const files = sideFiles(output);
    const values = [
      name,
      output.text,
      output.derived ? JSON.stringify(output.derived) : null,
      files.length ? JSON.stringify(Object.fromEntries(files.map((f) => [f.key, f.name]))) : null,
      message,
      log?.text ?? null,
      status ?? null,
      ended_at ?? null,
      duration ?? null,
      patch.cause_id ?? null,
      patch.created_at ?? null,
    ];
    return () => {
      for (const file of files) ctx.side.write(file.name, file.value);
      ctx.stmt.write.run(...values, executionId);
    };
  }
  const sets: string[] = [];
  const values: unknown[] = [];
  let files: { key: string; name: string; value: string }[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    sets.push(`${key} = ?`);
    values.push(value instanceof SerializedJson ? value.text : key === 'output_value' ? JSON.stringify(value) : value);
    if (key === 'output_value') {
      files = value instanceof SerializedJson ? sideFiles(value) : [];
      sets.push('derived = ?', 'external = ?');
      values.push(
        value instanceof SerializedJson && value.derived ? JSON.stringify(value.derived) : null,
        files.length ? JSON.stringify(Object.fromEntries(files.map((f) => [f.key, f.name]))) : null,
      );
    }
  }
  if (sets.length === 0) return undefined;
  const statement = ctx.prepare(`UPDATE executions SET ${sets.join(', ')} WHERE execution_id = ?`);
  return () => {
    for (const file of files) ctx.side.write(file.name, file.value);
    statement.run(...values, executionId);
  };
}

/** The large values kept outside the row, with the names of their files. */
function sideFiles(output: SerializedJson): { key: string; name: string; value: string }[] {
  return output.external ? Object.entries(output.external).map(([key, value]) => ({ key, value, name: SideFiles.nameOf(value) })) : [];
}
