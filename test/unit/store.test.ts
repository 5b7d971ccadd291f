import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { MemoryStore, SerializedJson, SqliteStore, StoreError, type Store } from '../helpers/lib.js';
import { tempDir } from '../helpers/tmp.js';
import type { JsonObject } from '../../lib/model/record.js';

function newRecord(id: string, extra: Partial<{ parent_id: string | null; created_at: string; input_value: JsonObject }> = {}) {
  return {
    execution_id: id,
    parent_id: null,
    root_id: id,
    kind: 'flow' as const,
    type: 'f.ts',
    name: 'f',
    input_value: { a: 1 },
    created_at: new Date().toISOString(),
    ...extra,
  };
}

/** Make a file unwritable even for root (CI runs as root, where chmod does not stop writes). */
function makeReadOnly(path: string): () => void {
  if (process.getuid?.() !== 0) {
    chmodSync(path, 0o444);
    return () => chmodSync(path, 0o644);
  }
  execFileSync('chattr', ['+i', path]);
  return () => execFileSync('chattr', ['-i', path]);
}

for (const kind of ['memory', 'sqlite'] as const) {
  describe(`${kind} store`, () => {
    let dir: ReturnType<typeof tempDir>;
    let store: Store;
    beforeEach(() => {
      dir = tempDir();
      store = kind === 'memory' ? new MemoryStore() : new SqliteStore(join(dir.path, 'sub', 'executions.db'));
    });
    afterEach(() => {
      store.close();
      dir.cleanup();
    });

    it('keeps a record with its outputs, message and log', () => {
      store.insert(newRecord('aaa-1'));
      store.update('aaa-1', { output_value: { x: [1, 2] }, message: 'm', status: 'ENDED_SUCCESS', duration: 1.5, ended_at: 'now' });
      store.appendLog('aaa-1', { t1: ['one'] });
      store.appendLog('aaa-1', { t2: ['two', { n: 2 }] });
      const record = store.get('aaa-1')!;
      expect(record).to.include({ status: 'ENDED_SUCCESS', message: 'm', duration: 1.5, parent_id: null });
      expect(record.input_value).to.deep.equal({ a: 1 });
      expect(record.output_value).to.deep.equal({ x: [1, 2] });
      expect(record.log).to.deep.equal([{ t1: ['one'] }, { t2: ['two', { n: 2 }] }]);
    });

    it('lists top-level flows newest first, by status and up to a limit', () => {
      store.insert(newRecord('r1', { created_at: '2026-01-01T00:00:01.000Z' }));
      store.insert(newRecord('r2', { created_at: '2026-01-01T00:00:02.000Z' }));
      store.insert(newRecord('c1', { parent_id: 'r2', created_at: '2026-01-01T00:00:03.000Z' }));
      store.update('r1', { status: 'ENDED_ERROR' });
      expect(store.list().map((r) => r.execution_id)).to.deep.equal(['r2', 'r1']);
      expect(store.list({ status: 'ENDED_ERROR' }).map((r) => r.execution_id)).to.deep.equal(['r1']);
      expect(store.list({ limit: 1 }).map((r) => r.execution_id)).to.deep.equal(['r2']);
      expect(store.list({ rootsOnly: false }).map((r) => r.execution_id)).to.deep.equal(['c1', 'r2', 'r1']);
      expect(store.children('r2').map((r) => r.execution_id)).to.deep.equal(['c1']);
      // Children too, by any status (failed and cancelled ones have an index of their own in SQLite), newest first.
      store.update('c1', { status: 'ENDED_CANCELLED' });
      store.insert(newRecord('c2', { parent_id: 'r2', created_at: '2026-01-01T00:00:04.000Z' }));
      store.update('c2', { status: 'ENDED_ERROR' });
      expect(store.list({ rootsOnly: false, status: 'ENDED_ERROR' }).map((r) => r.execution_id)).to.deep.equal(['c2', 'r1']);
      expect(store.list({ rootsOnly: false, status: 'ENDED_CANCELLED' }).map((r) => r.execution_id)).to.deep.equal(['c1']);
      expect(store.list({ rootsOnly: false, status: 'RUNNING' }).map((r) => r.execution_id)).to.deep.equal(['r2']);
      expect(store.list({ rootsOnly: false, status: 'ENDED_ERROR', limit: 1 }).map((r) => r.execution_id)).to.deep.equal(['c2']);
    });

    it('resolves a unique id prefix and "last"', () => {
      store.insert(newRecord('abc-111', { created_at: '2026-01-01T00:00:01.000Z' }));
      store.insert(newRecord('abd-222', { created_at: '2026-01-01T00:00:02.000Z' }));
      expect(store.resolveId('abc')).to.equal('abc-111');
      expect(store.resolveId('ab')).to.equal(undefined);
      expect(store.resolveId('last')).to.equal('abd-222');
      expect(store.resolveId('zzz')).to.equal(undefined);
    });

    it('pages children in start order, counts them by status, and iterates them all in batches', () => {
      store.insert(newRecord('root'));
      for (let i = 0; i < 1203; i++) store.insert(newRecord(`c-${String(i).padStart(4, '0')}`, { parent_id: 'root' }));
      store.update('c-0001', { status: 'ENDED_ERROR' });
      store.update('c-0002', { status: 'ENDED_SUCCESS' });
      expect(store.children('root', { offset: 1200 }).map((r) => r.execution_id)).to.deep.equal(['c-1200', 'c-1201', 'c-1202']);
      expect(store.children('root', { offset: 1, limit: 2 }).map((r) => r.execution_id)).to.deep.equal(['c-0001', 'c-0002']);
      expect(store.childCounts('root')).to.deep.equal({ total: 1203, byStatus: { RUNNING: 1201, ENDED_ERROR: 1, ENDED_SUCCESS: 1 } });
      let seen = 0;
      for (const child of store.eachChild('root')) expect(child.execution_id).to.equal(`c-${String(seen++).padStart(4, '0')}`);
      expect(seen).to.equal(1203);
    });

    it('keeps a large output value outside the row and puts it back on read, with what derives from it', () => {
      const text = JSON.stringify({ items: Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `item ${i}` })) });
      expect(text.length).to.be.greaterThan(64 * 1024);
      for (const id of ['big-1', 'big-2']) {
        store.insert(newRecord(id));
        store.update(id, { name: 'f', message: null, output_value: new SerializedJson('{"status_code":200}', { json: 'text' }, { text }) });
      }
      const record = store.get('big-1')!;
      expect(record.output_value.text).to.equal(text);
      expect((record.output_value.json as { items: unknown[] }).items).to.have.length(5000);
      expect(store.get('big-2')!.output_value.text).to.equal(text);
      if (kind === 'sqlite') {
        // One file for the same body twice, named by its SHA-256, beside the database.
        const files = readdirSync(join(dir.path, 'sub', 'executions.db.bodies'), { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
        expect(files.map((f) => f.name)).to.deep.equal([createHash('sha256').update(text).digest('hex')]);
        const raw = new Database(join(dir.path, 'sub', 'executions.db'), { readonly: true });
        const row = raw.prepare("SELECT length(output_value) AS size FROM executions WHERE execution_id = 'big-1'").get() as { size: number };
        raw.close();
        expect(row.size).to.be.lessThan(100);
      }
    });

    it('keeps settings as JSON', () => {
      store.saveSetting('s', { deep: [1, 'two'] });
      store.saveSetting('s', { deep: [3] });
      expect(store.getSetting('s')).to.deep.equal({ deep: [3] });
      expect(store.listSettings()).to.deep.equal(['s']);
      expect(store.deleteSetting('s')).to.equal(true);
      expect(store.getSetting('s')).to.equal(undefined);
    });
  });
}

describe('sqlite store: crashes and bad files', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('marks records that a dead process left RUNNING as ENDED_ERROR "process exited unexpectedly"', () => {
    const path = join(dir.path, 'x.db');
    new SqliteStore(path).close();
    // A process that has exited: its pid is free, so its records are orphans.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const db = new Database(path);
    const row = db.prepare(
      `INSERT INTO executions (execution_id, parent_id, root_id, kind, type, name, status, input_value, created_at, owner)
      VALUES (?, ?, ?, ?, 'f.ts', 'f', 'RUNNING', '{}', ?, '')`,
    );
    const run = db.prepare('INSERT INTO runs (root_id, owner, started_at) VALUES (?, ?, ?)');
    const earlier = new Date(Date.now() - 2000).toISOString();
    row.run('orphan', null, 'orphan', 'flow', earlier);
    row.run('orphan-task', 'orphan', 'orphan', 'task', earlier);
    // A child flow still running, and a task running inside it: found down from the root.
    row.run('orphan-child', 'orphan', 'orphan', 'flow', earlier);
    row.run('orphan-grandchild', 'orphan-child', 'orphan', 'task', earlier);
    row.run('ended-task', 'orphan', 'orphan', 'task', earlier);
    db.prepare("UPDATE executions SET status = 'ENDED_SUCCESS' WHERE execution_id = 'ended-task'").run();
    run.run('orphan', `${hostname()}:${dead}:1`, earlier);
    row.run('alive', null, 'alive', 'flow', new Date().toISOString());
    run.run('alive', `${hostname()}:${process.ppid}:`, new Date().toISOString());
    db.close();
    const store = new SqliteStore(path);
    const orphan = store.get('orphan')!;
    expect(orphan.status).to.equal('ENDED_ERROR');
    expect(orphan.message).to.equal('process exited unexpectedly');
    expect(orphan.duration).to.be.within(1.5, 60);
    for (const id of ['orphan-task', 'orphan-child', 'orphan-grandchild']) {
      expect(store.get(id)!, id).to.include({ status: 'ENDED_ERROR', message: 'process exited unexpectedly' });
    }
    expect(store.get('ended-task')!).to.include({ status: 'ENDED_SUCCESS', message: null });
    expect(store.get('alive')!.status).to.equal('RUNNING');
    store.close();
  });

  it('takes a run of another machine for alive while its heartbeat goes on, and for dead once it stopped', () => {
    const path = join(dir.path, 'hb.db');
    new SqliteStore(path).close();
    const db = new Database(path);
    const row = db.prepare(
      `INSERT INTO executions (execution_id, parent_id, root_id, kind, type, name, status, input_value, created_at, owner) VALUES (?, NULL, ?, 'flow', 'f.ts', 'f', 'RUNNING', '{}', ?, '')`,
    );
    const run = db.prepare('INSERT INTO runs (root_id, owner, started_at, heartbeat_at) VALUES (?, ?, ?, ?)');
    const now = new Date().toISOString();
    row.run('beating', 'beating', now);
    run.run('beating', 'another-host:4242:1', now, now);
    row.run('silent', 'silent', now);
    run.run('silent', 'another-host:4243:1', now, new Date(Date.now() - 5 * 60_000).toISOString());
    db.close();
    const store = new SqliteStore(path);
    expect(store.get('beating')!.status).to.equal('RUNNING');
    expect(store.run('beating')!.alive).to.equal(true);
    expect(store.get('silent')).to.include({ status: 'ENDED_ERROR', message: 'process exited unexpectedly' });
    store.close();
  });

  it('explains a corrupt database file', () => {
    const path = join(dir.path, 'corrupt.db');
    writeFileSync(path, 'this is not a database'.repeat(100));
    expect(() => new SqliteStore(path)).to.throw(
      StoreError,
      /^cannot open the execution store ".*corrupt\.db": the file is not a SQLite database or is corrupt \(file is not a database\); move it away or choose another file with --db or FLOW_DB$/,
    );
  });

  it('explains a read-only database file', () => {
    const path = join(dir.path, 'ro.db');
    new SqliteStore(path).close();
    const restore = makeReadOnly(path);
    try {
      expect(() => {
        const store = new SqliteStore(path);
        store.insert(newRecord('x'));
        store.flush(); // record writes are grouped and committed at the end of the turn, or here
      }).to.throw(
        StoreError,
        /^cannot (open|write to) the execution store ".*ro\.db": the file or its folder is not writable \(attempt to write a readonly database\); fix its permissions or choose another file with --db or FLOW_DB$/,
      );
    } finally {
      restore();
    }
  });

  it('explains a path whose folder cannot be created', () => {
    const file = join(dir.path, 'plain-file');
    writeFileSync(file, '');
    expect(() => new SqliteStore(join(file, 'executions.db'))).to.throw(
      StoreError,
      /^cannot create the folder for the execution store ".*plain-file\/executions\.db": /,
    );
  });
});

describe('sqlite store: schema versions', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  /** A store as flow_api wrote it at schema version 2: log lines in a table, an owner on every row. */
  function versionTwoStore(path: string, owner: string): void {
    const db = new Database(path);
    db.exec(`
      CREATE TABLE executions (execution_id TEXT PRIMARY KEY, parent_id TEXT, root_id TEXT NOT NULL, kind TEXT NOT NULL,
        type TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, input_value TEXT NOT NULL, output_value TEXT NOT NULL DEFAULT '{}',
        message TEXT, created_at TEXT NOT NULL, ended_at TEXT, duration REAL, owner TEXT NOT NULL, derived TEXT);
      CREATE INDEX executions_children ON executions(parent_id, created_at);
      CREATE INDEX executions_roots ON executions(created_at) WHERE parent_id IS NULL;
      CREATE INDEX executions_running ON executions(owner) WHERE status = 'RUNNING';
      CREATE TABLE logs (seq INTEGER PRIMARY KEY AUTOINCREMENT, execution_id TEXT NOT NULL, entry TEXT NOT NULL);
      CREATE INDEX logs_execution ON logs(execution_id, seq);
      CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE vault (name TEXT PRIMARY KEY, sealed TEXT NOT NULL, updated_at TEXT NOT NULL);
      PRAGMA user_version = 2;
    `);
    const row = db.prepare(`INSERT INTO executions VALUES (?, ?, ?, ?, 'f.ts', ?, ?, '{"a":1}', ?, NULL, ?, ?, ?, ?, ?)`);
    row.run(
      'done',
      null,
      'done',
      'flow',
      'old flow',
      'ENDED_SUCCESS',
      '{"text":"{\\"n\\":2}"}',
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:01.000Z',
      1,
      owner,
      '{"json":"text"}',
    );
    row.run('done-task', 'done', 'done', 'task', 'REST', 'ENDED_SUCCESS', '{}', '2026-01-01T00:00:00.500Z', '2026-01-01T00:00:00.900Z', 0.4, owner, null);
    row.run('crashed', null, 'crashed', 'flow', 'crashed flow', 'RUNNING', '{}', '2026-01-02T00:00:00.000Z', null, null, owner, null);
    const log = db.prepare('INSERT INTO logs (execution_id, entry) VALUES (?, ?)');
    log.run('done', '{"2026-01-01T00:00:00.100Z":["hello"]}');
    log.run('done-task', '{"2026-01-01T00:00:00.600Z":["try 1"]}');
    log.run('done-task', '{"2026-01-01T00:00:00.700Z":["try 2",{"n":2}]}');
    db.close();
  }

  it('brings a version 2 store up to date: records, log lines and child order kept, runs known, dead ones recovered', () => {
    const path = join(dir.path, 'old.db');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    versionTwoStore(path, `${hostname()}:${dead}:1`);
    const store = new SqliteStore(path);
    const done = store.get('done')!;
    expect(done).to.include({ status: 'ENDED_SUCCESS', name: 'old flow' });
    expect(done.output_value).to.deep.equal({ text: '{"n":2}', json: { n: 2 } });
    expect(done.log).to.deep.equal([{ '2026-01-01T00:00:00.100Z': ['hello'] }]);
    expect(store.children('done').map((c) => c.execution_id)).to.deep.equal(['done-task']);
    // A task's lines moved into its row, in their order.
    expect(store.get('done-task')!.log).to.deep.equal([{ '2026-01-01T00:00:00.600Z': ['try 1'] }, { '2026-01-01T00:00:00.700Z': ['try 2', { n: 2 }] }]);
    expect(store.get('crashed')).to.include({ status: 'ENDED_ERROR', message: 'process exited unexpectedly' });
    expect(store.list().map((r) => r.execution_id)).to.deep.equal(['crashed', 'done']);
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).to.equal(4);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(indexes.sort()).to.deep.equal(['executions_failed', 'executions_journal', 'executions_roots', 'sqlite_autoindex_executions_1']);
    expect(db.prepare('SELECT root_id, ended_at IS NOT NULL AS ended FROM runs ORDER BY root_id').all()).to.deep.equal([
      { root_id: 'crashed', ended: 1 },
      { root_id: 'done', ended: 1 },
    ]);
    db.close();
  });

  it('refuses a store written by a newer flow_api, rather than misreading it', () => {
    const path = join(dir.path, 'new.db');
    new SqliteStore(path).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => new SqliteStore(path)).to.throw(
      StoreError,
      `the execution store "${path}" was written by a newer flow_api (schema version 99; this one reads up to 4); upgrade flow_api, or choose another file with --db or FLOW_DB`,
    );
  });
});

describe('streaming a tree as JSON', () => {
  it('writes what JSON.stringify of the loaded tree writes, piece by piece, and JSON Lines in start order', async () => {
    const { writeTreeJson, writeTreeJsonLines } = await import('../../lib/store/tree-json.js');
    const { loadTree } = await import('../../lib/store/store.js');
    const store = new MemoryStore();
    store.insert(newRecord('root'));
    store.insert(newRecord('t1', { parent_id: 'root' }));
    store.insert(newRecord('f2', { parent_id: 'root' }));
    store.insert(newRecord('t21', { parent_id: 'f2' }));
    store.insert(newRecord('empty', { parent_id: 'root' }));
    store.update('t21', { output_value: { nested: { a: [1, { b: 'two\nlines' }] } }, message: 'done', status: 'ENDED_SUCCESS' });
    store.appendLog('f2', { '2026-01-01T00:00:00.000Z': ['a line'] });
    const pieces: string[] = [];
    expect(await writeTreeJson(store, 'root', (text) => pieces.push(text))).to.equal(true);
    expect(pieces.join('')).to.equal(`${JSON.stringify(loadTree(store, 'root'), null, 2)}\n`);
    const lines: string[] = [];
    await writeTreeJsonLines(store, 'root', (text) => lines.push(text));
    const records = lines
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { execution_id: string; children?: unknown });
    expect(records.map((r) => r.execution_id)).to.deep.equal(['root', 't1', 'f2', 't21', 'empty']);
    expect(records.every((r) => r.children === undefined)).to.equal(true);
    expect(await writeTreeJson(store, 'nope', () => undefined)).to.equal(false);
  });

  it('waits while the reader is behind (a full pipe): no more rows are read until it has caught up', async () => {
    const { writeTreeJson } = await import('../../lib/store/tree-json.js');
    const { loadTree } = await import('../../lib/store/store.js');
    const store = new MemoryStore();
    store.insert(newRecord('root'));
    for (let i = 0; i < 400; i++) store.insert(newRecord(`child-${i}`, { parent_id: 'root', input_value: { text: 'x'.repeat(300) } }));
    const pieces: string[] = [];
    let release: () => void = () => undefined;
    const done = writeTreeJson(store, 'root', (text) => {
      pieces.push(text);
      // The first chunk fills the pipe; the rest go through.
      return pieces.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : undefined;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(pieces).to.have.length(1);
    release();
    expect(await done).to.equal(true);
    expect(pieces.length).to.be.greaterThan(2);
    expect(pieces.join('')).to.equal(`${JSON.stringify(loadTree(store, 'root'), null, 2)}\n`);
  });
});
