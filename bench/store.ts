/**
 * The execution store: (a) 10,000 task records written the way the runner writes a task when
 * nothing else runs (its start in one commit; its outputs, a log line and its end in a second),
 * against raw better-sqlite3 doing the same statements in the same transactions; (b) `flow list` over 100,000 records, against a
 * bare `node` start (the floor any command pays).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteStore } from '../lib/store/sqlite.js';
import { SerializedJson } from '../lib/store/store.js';
import { median, timeCommand, type Row } from './lib.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

function removeDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

function writeThroughStore(path: string, count: number): number {
  const store = new SqliteStore(path);
  const root = randomUUID();
  const started = performance.now();
  store.insert({
    execution_id: root,
    parent_id: null,
    root_id: root,
    kind: 'flow',
    type: 'bench.ts',
    name: 'bench',
    input_value: {},
    created_at: new Date().toISOString(),
  });
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    // As the runner writes a task one at a time: its start in one commit; its outputs, log and end in one row write and commit.
    store.insert({
      execution_id: id,
      parent_id: root,
      root_id: root,
      kind: 'task',
      type: 'REST',
      name: 'REST',
      input_value: new SerializedJson(`{"url":"http://127.0.0.1/items/${i}"}`),
      created_at: new Date().toISOString(),
    });
    store.flush();
    const log = JSON.stringify([{ [new Date().toISOString()]: [`try 1: GET http://127.0.0.1/items/${i} → 200 OK (0.001 s)`] }]);
    store.update(id, {
      name: 'REST',
      message: 'ok',
      output_value: new SerializedJson(JSON.stringify({ status_code: 200, json: { id: i } })),
      log: new SerializedJson(log),
      status: 'ENDED_SUCCESS',
      ended_at: new Date().toISOString(),
      duration: 0.001,
    });
    store.flush();
  }
  const elapsed = performance.now() - started;
  store.close();
  return elapsed;
}

/**
 * The same two statements per record, on the store's own schema and pragmas, through a bare
 * better-sqlite3 connection: what is left is the cost of the store's code (queueing, checks, errors).
 */
function writeRaw(path: string, count: number): number {
  new SqliteStore(path).close(); // the real schema, its indexes included
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    `INSERT INTO executions (execution_id, parent_id, root_id, kind, type, name, status, input_value, created_at, owner)
     VALUES (?, ?, ?, 'task', 'REST', 'REST', 'RUNNING', ?, ?, '')`,
  );
  const end = db.prepare(
    'UPDATE executions SET name = ?, output_value = ?, message = ?, log = ?, status = ?, ended_at = ?, duration = ? WHERE execution_id = ?',
  );
  const root = randomUUID();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    db.transaction(() => insert.run(id, root, root, `{"url":"http://127.0.0.1/items/${i}"}`, new Date().toISOString())).immediate();
    const log = JSON.stringify([{ [new Date().toISOString()]: [`try 1: GET http://127.0.0.1/items/${i} → 200 OK (0.001 s)`] }]);
    db.transaction(() =>
      end.run('REST', JSON.stringify({ status_code: 200, json: { id: i } }), 'ok', log, 'ENDED_SUCCESS', new Date().toISOString(), 0.001, id),
    ).immediate();
  }
  const elapsed = performance.now() - started;
  db.close();
  return elapsed;
}

/** 100,000 finished top-level flows, inserted in one transaction (the fixture, not the measurement). */
function seedFlows(path: string, count: number): void {
  new SqliteStore(path).close(); // the real schema
  const db = new Database(path);
  const insert = db.prepare(
    `INSERT INTO executions (execution_id, parent_id, root_id, kind, type, name, status, input_value, output_value, message, created_at, ended_at, duration, owner)
     VALUES (?, NULL, ?, 'flow', 'examples/demo.ts', 'demo', ?, '{}', '{}', ?, ?, ?, 0.5, 'bench')`,
  );
  const start = Date.parse('2026-01-01T00:00:00Z');
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const at = new Date(start + i * 1000).toISOString();
      insert.run(id, id, i % 10 === 0 ? 'ENDED_ERROR' : 'ENDED_SUCCESS', i % 10 === 0 ? 'REST GET http://x returned 503' : 'done', at, at);
    }
  })();
  db.close();
}

export function benchStore(runs = 5): Row[] {
  const dir = tmpdir();
  const writes: Record<'store' | 'raw', number[]> = { store: [], raw: [] };
  for (let i = 0; i < runs; i++) {
    for (const mode of ['raw', 'store'] as const) {
      const path = join(dir, `flow-bench-store-${process.pid}-${mode}.db`);
      removeDb(path);
      writes[mode].push(mode === 'raw' ? writeRaw(path, 10_000) : writeThroughStore(path, 10_000));
      removeDb(path);
    }
  }
  const listDb = join(dir, `flow-bench-list-${process.pid}.db`);
  removeDb(listDb);
  seedFlows(listDb, 100_000);
  const list: number[] = [];
  const listStatus: number[] = [];
  const bare: number[] = [];
  timeCommand(process.execPath, ['bin/flow.js', 'list', '--db', listDb], REPO); // warm the disk cache
  for (let i = 0; i < runs; i++) {
    bare.push(timeCommand(process.execPath, ['-e', ''], REPO));
    list.push(timeCommand(process.execPath, ['bin/flow.js', 'list', '--db', listDb], REPO));
    listStatus.push(timeCommand(process.execPath, ['bin/flow.js', 'list', '--status', 'ENDED_ERROR', '--limit', '50', '--db', listDb], REPO));
  }
  removeDb(listDb);
  const store = median(writes.store);
  const raw = median(writes.raw);
  const node = median(bare);
  return [
    { benchmark: 'store: 10,000 task records', subject: 'raw better-sqlite3', value: raw, unit: 'ms' },
    {
      benchmark: 'store: 10,000 task records',
      subject: 'SqliteStore',
      value: store,
      unit: 'ms',
      ratio: store / raw,
      note: `${Math.round((10_000 * 1000) / store)} records/s, 2 commits each (start; outputs, log and end in one row write)`,
    },
    { benchmark: 'flow list, 100,000 records', subject: 'node -e ""', value: node, unit: 'ms' },
    { benchmark: 'flow list, 100,000 records', subject: 'flow list', value: median(list), unit: 'ms', ratio: median(list) / node, note: 'target < 200 ms' },
    {
      benchmark: 'flow list, 100,000 records',
      subject: 'flow list --status ENDED_ERROR',
      value: median(listStatus),
      unit: 'ms',
      ratio: median(listStatus) / node,
      note: 'target < 200 ms',
    },
  ];
}
