import type Database from 'better-sqlite3';
import { StoreError } from '../model/errors.js';

/**
 * The store's schema version (SQLite's `user_version`). Each version adds to the one before; a
 * store opened by an older flow_api is brought up to date, a store written by a newer one is
 * refused rather than misread.
 */
const SCHEMA_VERSION = 4;

const TABLES = `
CREATE TABLE IF NOT EXISTS executions (
  execution_id TEXT PRIMARY KEY,
  parent_id    TEXT,
  root_id      TEXT NOT NULL,
  kind         TEXT NOT NULL,
  type         TEXT NOT NULL,
  name         TEXT NOT NULL,
  status       TEXT NOT NULL,
  input_value  TEXT NOT NULL,
  output_value TEXT NOT NULL DEFAULT '{}',
  message      TEXT,
  created_at   TEXT NOT NULL,
  ended_at     TEXT,
  duration     REAL,
  owner        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS logs (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id TEXT NOT NULL,
  entry        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS logs_execution ON logs(execution_id, seq);
CREATE TABLE IF NOT EXISTS settings (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS vault (
  name       TEXT PRIMARY KEY,
  sealed     TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

/** Steps from one version to the next; step `n` turns version `n` into `n + 1`. */
const STEPS: Record<number, (db: Database.Database) => void> = {
  // Version 1 is the first schema (which set no user_version: 0 and 1 are the same tables).
  0: (db) => db.exec(TABLES),
  1: (db) => db.exec(TABLES),
  // Outputs stored once and derived on read: `{"json": "text"}` means output json = JSON.parse(output text).
  2: () => undefined,
};

/**
 * Version 3, cheap rows and a journal. A task's log lines live in its row (`log`, a JSON array
 * written with the row; a task's lines of an older store are moved there) instead of one `logs`
 * row each. Runs are owned in `runs` (one row per top-level flow: owner, heartbeat, handler,
 * attempts) instead of an index entry per RUNNING row inserted at start and deleted at end.
 * Children carry `seq`, their place in the order their parent started them, and `input_hash`:
 * with `marks` (values a handler must not compute again), the journal `flow resume` replays.
 * Children are read by `(parent_id, seq)`; listings go newest first by rowid.
 */
const VERSION_3 = `
CREATE TABLE IF NOT EXISTS runs (
  root_id      TEXT PRIMARY KEY,
  owner        TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  ended_at     TEXT,
  heartbeat_at TEXT,
  handler      TEXT,
  handler_hash TEXT,
  attempt      INTEGER NOT NULL DEFAULT 1,
  history      TEXT
);
CREATE TABLE IF NOT EXISTS marks (
  parent_id TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (parent_id, seq)
) WITHOUT ROWID;
INSERT OR IGNORE INTO runs (root_id, owner, started_at, ended_at)
  SELECT execution_id, owner, created_at, ended_at FROM executions WHERE parent_id IS NULL;
UPDATE executions SET log = (SELECT json_group_array(json(entry) ORDER BY seq) FROM logs WHERE logs.execution_id = executions.execution_id)
  WHERE kind = 'task' AND EXISTS (SELECT 1 FROM logs WHERE logs.execution_id = executions.execution_id);
DELETE FROM logs WHERE execution_id IN (SELECT execution_id FROM executions WHERE kind = 'task');
UPDATE executions SET seq = numbered.n
  FROM (SELECT rowid AS r, row_number() OVER (PARTITION BY parent_id ORDER BY rowid) AS n FROM executions WHERE parent_id IS NOT NULL) AS numbered
  WHERE executions.rowid = numbered.r AND executions.seq IS NULL;
DROP INDEX IF EXISTS executions_running;
DROP INDEX IF EXISTS executions_children;
DROP INDEX IF EXISTS executions_roots;
DROP INDEX IF EXISTS executions_parent;
CREATE INDEX IF NOT EXISTS executions_journal ON executions(parent_id, seq, status);
CREATE INDEX IF NOT EXISTS executions_roots ON executions(parent_id) WHERE parent_id IS NULL;
`;

/**
 * Version 4: `flow list --status` for failed and cancelled executions reads an index of those
 * alone (newest first by rowid, which an index entry carries), so it is as fast at a million
 * records as at a thousand. Successful tasks are never in it: a task's start and end write
 * nothing more than before.
 */
const VERSION_4 = `
CREATE INDEX IF NOT EXISTS executions_failed ON executions(status) WHERE status IN ('ENDED_ERROR', 'ENDED_CANCELLED');
`;

/** Create or upgrade the schema, in one transaction. */
export function migrate(db: Database.Database, location: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      `the execution store "${location}" was written by a newer flow_api (schema version ${version}; this one reads up to ${SCHEMA_VERSION}); upgrade flow_api, or choose another file with --db or FLOW_DB`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    STEPS[0]!(db);
    const columns = new Set((db.prepare('PRAGMA table_info(executions)').all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('derived')) db.exec('ALTER TABLE executions ADD COLUMN derived TEXT');
    if (!columns.has('log')) db.exec('ALTER TABLE executions ADD COLUMN log TEXT');
    // Output values kept in files beside the database, by key: {"text": "<sha256>"}.
    if (!columns.has('external')) db.exec('ALTER TABLE executions ADD COLUMN external TEXT');
    // The journal: a child's place among its parent's children, the hash of its recorded inputs,
    // and, for a flow that failed because a child did, that child.
    for (const column of ['seq INTEGER', 'input_hash TEXT', 'cause_id TEXT']) {
      if (!columns.has(column.split(' ')[0]!)) db.exec(`ALTER TABLE executions ADD COLUMN ${column}`);
    }
    db.exec(VERSION_3);
    db.exec(VERSION_4);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
