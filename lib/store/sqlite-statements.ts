import type Database from 'better-sqlite3';

/** The columns of a record that `list()` returns (no inputs, outputs or log). */
const SUMMARY_COLUMNS = 'execution_id, parent_id, root_id, kind, type, name, status, message, created_at, ended_at, duration';

/** The SQL of every statement the store runs. */
const SQL = {
  insert: `INSERT INTO executions (execution_id, parent_id, root_id, kind, type, name, status, input_value, created_at, owner)
       VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, '')`,
  // What a record writer writes as an execution runs and when it ends: one statement for both,
  // the end fields and the log kept when not given.
  write: `UPDATE executions SET name = ?, output_value = ?, derived = ?, external = ?, message = ?, log = coalesce(?, log),
         status = coalesce(?, status), ended_at = coalesce(?, ended_at), duration = coalesce(?, duration) WHERE execution_id = ?`,
  insertRun: 'INSERT OR REPLACE INTO runs (root_id, owner, started_at) VALUES (?, ?, ?)',
  endRun: 'UPDATE runs SET ended_at = ? WHERE root_id = ?',
  get: `SELECT ${SUMMARY_COLUMNS}, input_value, output_value, derived, external, log FROM executions WHERE execution_id = ?`,
  appendedLog: 'SELECT entry FROM logs WHERE execution_id = ? ORDER BY seq',
  appendLog: 'INSERT INTO logs (execution_id, entry) VALUES (?, ?)',
  // Children in start order (rowid), a page at a time: keyset paging, so reading a million costs no more per page.
  childrenAfter: `SELECT rowid AS seq, ${SUMMARY_COLUMNS}, input_value, output_value, derived, external, log FROM executions WHERE parent_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`,
  childrenPage: `SELECT ${SUMMARY_COLUMNS}, input_value, output_value, derived, external, log FROM executions WHERE parent_id = ? ORDER BY rowid LIMIT ? OFFSET ?`,
  childSummariesAfter: `SELECT rowid AS seq, ${SUMMARY_COLUMNS} FROM executions WHERE parent_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`,
  childCounts: 'SELECT status, count(*) AS n FROM executions WHERE parent_id = ? GROUP BY status',
  // Pruning: ended runs, oldest first; a run's records found level by level through their parents.
  prunable: `SELECT r.root_id FROM runs r JOIN executions e ON e.execution_id = r.root_id
       WHERE r.ended_at IS NOT NULL AND r.ended_at < ? AND (? = 0 OR e.status = 'ENDED_SUCCESS') ORDER BY r.ended_at LIMIT ?`,
  childBatch: 'SELECT rowid AS seq, execution_id, kind FROM executions WHERE parent_id = ? LIMIT ?',
  childFlows: "SELECT execution_id FROM executions WHERE parent_id = ? AND kind = 'flow'",
  countChildren: 'SELECT count(*) AS n FROM executions WHERE parent_id = ?',
  deleteLogsOf: 'DELETE FROM logs WHERE execution_id IN (SELECT value FROM json_each(?))',
  deleteRows: 'DELETE FROM executions WHERE rowid IN (SELECT value FROM json_each(?))',
  deleteRecord: 'DELETE FROM executions WHERE execution_id = ?',
  deleteLogs: 'DELETE FROM logs WHERE execution_id = ?',
  deleteRun: 'DELETE FROM runs WHERE root_id = ?',
  externalNames: 'SELECT external FROM executions WHERE external IS NOT NULL',
  prefix: 'SELECT execution_id FROM executions WHERE execution_id >= ? AND execution_id < ? LIMIT 2',
  // Newest first is insertion order backwards: the rowid, which needs no index of its own.
  listRoots: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE parent_id IS NULL ORDER BY rowid DESC LIMIT ?`,
  listRootsByStatus: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE parent_id IS NULL AND status = ? ORDER BY rowid DESC LIMIT ?`,
  listAll: `SELECT ${SUMMARY_COLUMNS} FROM executions ORDER BY rowid DESC LIMIT ?`,
  listAllByStatus: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE status = ? ORDER BY rowid DESC LIMIT ?`,
  openRuns: 'SELECT root_id, owner FROM runs WHERE ended_at IS NULL',
  orphan: `UPDATE executions SET status = 'ENDED_ERROR', message = ?, ended_at = ?,
         duration = (julianday(?) - julianday(created_at)) * 86400.0
       WHERE root_id = ? AND status = 'RUNNING'`,
  getSetting: 'SELECT value FROM settings WHERE name = ?',
  saveSetting: `INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  deleteSetting: 'DELETE FROM settings WHERE name = ?',
  listSettings: 'SELECT name FROM settings ORDER BY name',
  getSealed: 'SELECT sealed FROM vault WHERE name = ?',
  saveSealed: `INSERT INTO vault (name, sealed, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
  deleteSealed: 'DELETE FROM vault WHERE name = ?',
};

export type Statements = Record<keyof typeof SQL, Database.Statement>;

/** Every statement, prepared once when the store is opened. */
export function prepareStatements(db: Database.Database): Statements {
  return Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Statements;
}
