import type Database from 'better-sqlite3';

/** The columns of a record that `list()` returns (no inputs, outputs or log). */
const SUMMARY_COLUMNS = 'execution_id, parent_id, seq, root_id, kind, type, name, status, message, created_at, ended_at, duration';
/** What reading a whole record takes. */
const RECORD_COLUMNS = `${SUMMARY_COLUMNS}, input_value, output_value, derived, external, log`;

/** The SQL of every statement the store runs. */
const SQL = {
  // A child written without a seq (not by a runner) is placed after its parent's last one.
  insert: `INSERT INTO executions (execution_id, parent_id, seq, root_id, kind, type, name, status, input_value, input_hash, created_at, owner)
       VALUES (?, ?, CASE WHEN ? IS NULL THEN NULL ELSE coalesce(?, (SELECT coalesce(max(seq), 0) + 1 FROM executions WHERE parent_id = ?)) END,
         ?, ?, ?, ?, 'RUNNING', ?, ?, ?, '')`,
  // What a record writer writes as an execution runs and when it ends: one statement for both,
  // the end fields, the log and the cause kept when not given.
  write: `UPDATE executions SET name = ?, output_value = ?, derived = ?, external = ?, message = ?, log = coalesce(?, log),
         status = coalesce(?, status), ended_at = coalesce(?, ended_at), duration = coalesce(?, duration), cause_id = coalesce(?, cause_id),
         created_at = coalesce(?, created_at) WHERE execution_id = ?`,
  get: `SELECT ${RECORD_COLUMNS} FROM executions WHERE execution_id = ?`,
  appendedLog: 'SELECT entry FROM logs WHERE execution_id = ? ORDER BY seq',
  appendLog: 'INSERT INTO logs (execution_id, entry) VALUES (?, ?)',
  // Children in start order (seq), a page at a time: keyset paging, so reading a million costs no more per page.
  childrenAfter: `SELECT ${RECORD_COLUMNS} FROM executions WHERE parent_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  childrenPage: `SELECT ${RECORD_COLUMNS} FROM executions WHERE parent_id = ? ORDER BY seq LIMIT ? OFFSET ?`,
  childSummariesAfter: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE parent_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  // Answered from the (parent_id, seq, status) index alone.
  childCounts: 'SELECT status, count(*) AS n FROM executions WHERE parent_id = ? GROUP BY status',
  // The journal a resumed run replays: children by their place, with their input hash and cause.
  journalEntry: `SELECT ${RECORD_COLUMNS}, input_hash, cause_id FROM executions WHERE parent_id = ? AND seq = ?`,
  journal: `SELECT ${RECORD_COLUMNS}, input_hash, cause_id FROM executions WHERE parent_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  markAt: 'SELECT kind, value FROM marks WHERE parent_id = ? AND seq = ?',
  saveMark: 'INSERT OR REPLACE INTO marks (parent_id, seq, kind, value) VALUES (?, ?, ?, ?)',
  // Runs: who owns each, its heartbeat, its handler and its attempts.
  insertRun: 'INSERT OR REPLACE INTO runs (root_id, owner, started_at, heartbeat_at, handler, handler_hash) VALUES (?, ?, ?, ?, ?, ?)',
  endRun: 'UPDATE runs SET ended_at = ? WHERE root_id = ?',
  heartbeat: 'UPDATE runs SET heartbeat_at = ? WHERE root_id = ? AND ended_at IS NULL',
  getRun: 'SELECT * FROM runs WHERE root_id = ?',
  beginAttempt: 'UPDATE runs SET owner = ?, ended_at = NULL, heartbeat_at = ?, attempt = attempt + 1, history = ?, handler_hash = ? WHERE root_id = ?',
  causeOf: 'SELECT cause_id FROM executions WHERE execution_id = ?',
  resumable: `SELECT ${SUMMARY_COLUMNS.split(', ')
    .map((c) => `e.${c}`)
    .join(', ')}, r.attempt FROM executions e JOIN runs r ON r.root_id = e.execution_id
       WHERE e.parent_id IS NULL AND e.status IN ('ENDED_ERROR', 'ENDED_CANCELLED') ORDER BY e.rowid DESC LIMIT ?`,
  openRuns: 'SELECT root_id, owner, heartbeat_at FROM runs WHERE ended_at IS NULL',
  // A dead run's RUNNING records: its root, and down from it the running children of running
  // flows (a flow ends after its children), found through the (parent_id, seq, status) index, not
  // by reading every record of the store.
  orphan: `WITH RECURSIVE running(id) AS (
           SELECT execution_id FROM executions WHERE execution_id = ? AND status = 'RUNNING'
           UNION ALL
           SELECT e.execution_id FROM executions e JOIN running ON e.parent_id = running.id WHERE e.status = 'RUNNING')
       UPDATE executions SET status = 'ENDED_ERROR', message = ?, ended_at = ?,
         duration = (julianday(?) - julianday(created_at)) * 86400.0
       WHERE execution_id IN (SELECT id FROM running)`,
  // Pruning: ended runs, oldest first; a run's records found level by level through their parents.
  prunable: `SELECT r.root_id FROM runs r JOIN executions e ON e.execution_id = r.root_id
       WHERE r.ended_at IS NOT NULL AND r.ended_at < ? AND (? = 0 OR e.status = 'ENDED_SUCCESS') ORDER BY r.ended_at LIMIT ?`,
  childBatch: 'SELECT rowid AS row, execution_id, kind FROM executions WHERE parent_id = ? LIMIT ?',
  childFlows: "SELECT execution_id FROM executions WHERE parent_id = ? AND kind = 'flow'",
  countChildren: 'SELECT count(*) AS n FROM executions WHERE parent_id = ?',
  deleteLogsOf: 'DELETE FROM logs WHERE execution_id IN (SELECT value FROM json_each(?))',
  deleteMarksOf: 'DELETE FROM marks WHERE parent_id IN (SELECT value FROM json_each(?))',
  deleteRows: 'DELETE FROM executions WHERE rowid IN (SELECT value FROM json_each(?))',
  deleteRecord: 'DELETE FROM executions WHERE execution_id = ?',
  deleteLogs: 'DELETE FROM logs WHERE execution_id = ?',
  deleteMarks: 'DELETE FROM marks WHERE parent_id = ?',
  deleteRun: 'DELETE FROM runs WHERE root_id = ?',
  externalNames: 'SELECT external FROM executions WHERE external IS NOT NULL',
  prefix: 'SELECT execution_id FROM executions WHERE execution_id >= ? AND execution_id < ? LIMIT 2',
  // Newest first is insertion order backwards: the rowid, which needs no index of its own.
  listRoots: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE parent_id IS NULL ORDER BY rowid DESC LIMIT ?`,
  listRootsByStatus: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE parent_id IS NULL AND status = ? ORDER BY rowid DESC LIMIT ?`,
  listAll: `SELECT ${SUMMARY_COLUMNS} FROM executions ORDER BY rowid DESC LIMIT ?`,
  listAllByStatus: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE status = ? ORDER BY rowid DESC LIMIT ?`,
  // The partial index executions_failed serves these: its condition is repeated word for word, which is how SQLite sees it applies.
  listAllFailedByStatus: `SELECT ${SUMMARY_COLUMNS} FROM executions WHERE status IN ('ENDED_ERROR', 'ENDED_CANCELLED') AND status = ? ORDER BY rowid DESC LIMIT ?`,
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
