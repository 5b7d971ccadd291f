import { randomFillSync } from 'node:crypto';

/** Random bytes drawn 4 KiB at a time: one system call per 256 ids. */
const pool = Buffer.alloc(4096);
let offset = pool.length;

/**
 * A time-ordered UUID (RFC 9562 version 7: 48 bits of Unix milliseconds, then 74 random bits).
 * Children get these: ids made one after the other sort together, so the store's index grows at
 * its end instead of touching a random page per record (measured: 20 → 12 µs per task record at
 * 64 tasks per commit). Top-level flows keep random (version 4) ids, whose first characters tell
 * them apart in `flow show 1a2b3c4d`.
 */
export function timeOrderedId(now = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, (offset += 16));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
