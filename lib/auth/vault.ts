import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Store } from '../store/store.js';

const KEY_FILE = 'vault.key';

/**
 * Values that must survive the run but never sit in the store as plain text (OAuth access and
 * refresh tokens): sealed with AES-256-GCM under a key kept in `vault.key` next to the SQLite
 * file (created with mode 600). Copying the database alone reveals no token. An in-memory store
 * gets a key that lives as long as the process.
 */
export class Vault {
  readonly #key: Buffer;

  constructor(readonly store: Store) {
    this.#key = store.location === ':memory:' ? randomBytes(32) : loadKey(join(dirname(store.location), KEY_FILE));
  }

  get<T>(name: string): T | undefined {
    const sealed = this.store.getSealed(name);
    if (sealed === undefined) return undefined;
    try {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as T;
    } catch {
      // Sealed under another key (vault.key was replaced): as good as absent.
      return undefined;
    }
  }

  set(name: string, value: unknown): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    this.store.saveSealed(name, Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'));
  }

  delete(name: string): void {
    this.store.deleteSealed(name);
  }
}

function loadKey(path: string): Buffer {
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32);
  try {
    writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return key;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    throw error;
  }
}
