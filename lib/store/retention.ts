import { StoreError } from '../model/errors.js';
import { AGE_FORMAT, parseAge } from '../util/age.js';
import { describeValue, isPlainObject } from '../util/describe.js';
import type { PruneResult, Store } from './store.js';

/** The setting that keeps the store from growing forever: `{"older_than": "30d", "keep_failed": true}`. */
export const RETENTION_SETTING = 'retention';

export interface Retention {
  olderThanMs: number;
  keepFailed: boolean;
}

/** The store's retention setting, checked; undefined when there is none. */
export function readRetention(store: Store): Retention | undefined {
  const value = store.getSetting(RETENTION_SETTING);
  if (value === undefined || value === null) return undefined;
  const where = `the "${RETENTION_SETTING}" setting in ${store.location}`;
  if (!isPlainObject(value)) throw new StoreError(`${where} must be an object like {"older_than": "30d", "keep_failed": true}, got ${describeValue(value)}`);
  for (const key of Object.keys(value)) {
    if (key !== 'older_than' && key !== 'keep_failed') throw new StoreError(`${where} has an unknown key "${key}"; it takes older_than and keep_failed`);
  }
  const olderThanMs = typeof value.older_than === 'string' ? parseAge(value.older_than) : undefined;
  if (olderThanMs === undefined) throw new StoreError(`${where}: "older_than" must be ${AGE_FORMAT}, got ${describeValue(value.older_than)}`);
  if (value.keep_failed !== undefined && typeof value.keep_failed !== 'boolean') {
    throw new StoreError(`${where}: "keep_failed" must be true or false, got ${describeValue(value.keep_failed)}`);
  }
  return { olderThanMs, keepFailed: value.keep_failed === true };
}

/** Apply the retention setting, if the store has one (a run does this as it starts); `vacuum` as in `PruneQuery.vacuum`. */
export function applyRetention(store: Store, now = Date.now(), vacuum = false): PruneResult | undefined {
  const retention = readRetention(store);
  if (!retention) return undefined;
  return store.prune({ endedBefore: new Date(now - retention.olderThanMs), keepFailed: retention.keepFailed, vacuum });
}
