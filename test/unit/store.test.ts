import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { MemoryStore, SqliteStore, StoreError, type Store } from '../helpers/lib.js';
import { tempDir } from '../helpers/tmp.js';

function newRecord(id: string, extra: Partial<{ parent_id: string | null; created_at: string }> = {}) {
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
    });

    it('resolves a unique id prefix and "last"', () => {
      store.insert(newRecord('abc-111', { created_at: '2026-01-01T00:00:01.000Z' }));
      store.insert(newRecord('abd-222', { created_at: '2026-01-01T00:00:02.000Z' }));
      expect(store.resolveId('abc')).to.equal('abc-111');
      expect(store.resolveId('ab')).to.equal(undefined);
      expect(store.resolveId('last')).to.equal('abd-222');
      expect(store.resolveId('zzz')).to.equal(undefined);
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
    db.prepare(
      `INSERT INTO executions (execution_id, parent_id, root_id, kind, type, name, status, input_value, created_at, owner)
      VALUES ('orphan', NULL, 'orphan', 'flow', 'f.ts', 'f', 'RUNNING', '{}', ?, ?)`,
    ).run(new Date(Date.now() - 2000).toISOString(), `${hostname()}:${dead}:1`);
    db.prepare(
      `INSERT INTO executions (execution_id, parent_id, root_id, kind, type, name, status, input_value, created_at, owner)
      VALUES ('alive', NULL, 'alive', 'flow', 'f.ts', 'f', 'RUNNING', '{}', ?, ?)`,
    ).run(new Date().toISOString(), `${hostname()}:${process.ppid}:`);
    db.close();
    const store = new SqliteStore(path);
    const orphan = store.get('orphan')!;
    expect(orphan.status).to.equal('ENDED_ERROR');
    expect(orphan.message).to.equal('process exited unexpectedly');
    expect(orphan.duration).to.be.within(1.5, 60);
    expect(store.get('alive')!.status).to.equal('RUNNING');
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
