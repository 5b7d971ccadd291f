import type Database from 'better-sqlite3';

/** The columns of a record that `list()` returns (no inputs, outputs or log). */
const SUMMARY_COLUMNS = 'execution_id, parent_id, root_id, kind, type, name, status, message, created_at, ended_at, duration';

/** The SQL of every statement the store runs. */
const SQL = {
  insert: `INSERT INTO executions (execution_id, parent_id, root_id, kind, type, name, status, input_value, created_at, owner)
       VALUES (@execution_id, @parent_id, @root_id, @kind, @type, @name, 'RUNNING', @input_value, @created_at, @owner)`,
  get: `SELECT ${SUMMARY_COLUMNS}, input_value, output_value, derived FROM executions WHERE execution_id = ?`,
  log: 'SELECT entry FROM logs WHERE execution_id = ? ORDER BY seq',
  appendLog: 'INSERT INTO logs (execution_id, entry) VALUES (?, ?)',
  children: `SELECT execution_id FROM executions WHERE parent_id = ? ORDER BY created_at, rowid`,
  prefix: 'SELECT execution_id FROM executions WHERE execution_id >= ? AND execution_id < ? LIMIT 2',
  listRoots: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE parent_id IS NULL ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  listRootsByStatus: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE parent_id IS NULL AND status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  listAll: `SELECT ${SUMMARY_COLUMNS} FROM executions ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  listAllByStatus: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  runningOwners: `SELECT DISTINCT owner FROM executions WHERE status = 'RUNNING'`,
  orphan: `UPDATE executions SET status = 'ENDED_ERROR', message = ?, ended_at = ?,
         duration = (julianday(?) - julianday(created_at)) * 86400.0
       WHERE status = 'RUNNING' AND owner = ?`,
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
