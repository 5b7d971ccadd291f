import type { JsonValue } from '../model/record.js';
import { isSecretRef } from '../model/secret-ref.js';

/**
 * Records keep values nested at most this deep; deeper parts are replaced by a note. JSON.parse
 * reads any depth, but V8's JSON.stringify overflows its stack at a few thousand levels, so a
 * deeper value could be read from a server and then never written or printed again.
 */
export const MAX_RECORD_DEPTH = 512;

/** The note that stands for a part of a value nested deeper than {@link MAX_RECORD_DEPTH}. */
const TOO_DEEP = `[nested deeper than ${MAX_RECORD_DEPTH} levels: not recorded]`;

/** What a masked copy does on the way (see `Redactor.maskValue`). */
export interface CopyHooks {
  /** Rewrites every string value. */
  string?(text: string): string;
  /** Whether the value under this key is secret (it is then replaced by `***`). */
  secretKey?(key: string): boolean;
  /** Told of each secret value before it is replaced. */
  onSecret?(key: string, value: unknown): void;
}

const MASK = '***';

type Container = JsonValue[] | { [key: string]: JsonValue };
/** A value to convert and where to put it; or the end of an object (its cycle mark is lifted). */
type Step = { value: unknown; into: Container; key: string | number; depth: number } | { leave: object };

/**
 * Turn any value into something JSON can hold, for records, without recursion: Buffers become a
 * short description, Dates ISO strings, Errors `{ name, message }`, Maps objects, Sets lists,
 * BigInts and non-finite numbers strings, functions a note; a value that contains itself is
 * marked `[circular]`, and parts deeper than {@link MAX_RECORD_DEPTH} levels are replaced by
 * {@link TOO_DEEP}. `hooks` mask on the way.
 */
export function copyAsJson(value: unknown, hooks: CopyHooks = {}): JsonValue {
  const root: JsonValue[] = [null];
  const onPath = new Set<object>();
  const stack: Step[] = [{ value, into: root, key: 0, depth: 0 }];
  while (stack.length) {
    const step = stack.pop()!;
    if ('leave' in step) {
      onPath.delete(step.leave);
      continue;
    }
    const { into, key, depth } = step;
    const put = (v: JsonValue) => ((into as Record<string | number, JsonValue>)[key] = v);
    const current = prepare(step.value);
    if (current === null || typeof current !== 'object') {
      put(primitive(current, hooks));
      continue;
    }
    if (onPath.has(current)) {
      put('[circular]');
      continue;
    }
    if (depth >= MAX_RECORD_DEPTH) {
      put(TOO_DEEP);
      continue;
    }
    onPath.add(current);
    stack.push({ leave: current });
    if (Array.isArray(current)) {
      const list: JsonValue[] = new Array<JsonValue>(current.length).fill(null);
      put(list);
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], into: list, key: i, depth: depth + 1 });
      continue;
    }
    const object: { [key: string]: JsonValue } = {};
    put(object);
    const entries = Object.entries(current).filter(([, v]) => v !== undefined);
    if (isSecretRef(current)) {
      object.secret = (current as { secret: string }).secret;
      continue;
    }
    // Keys are placed in order first, so secrets replaced now keep their place among the others.
    for (const [k] of entries) object[k] = null;
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i]!;
      if (hooks.secretKey?.(k) && v !== null && v !== MASK && !isSecretRef(v)) {
        hooks.onSecret?.(k, v);
        object[k] = MASK;
      } else {
        stack.push({ value: v, into: object, key: k, depth: depth + 1 });
      }
    }
  }
  return root[0]!;
}

/** Objects that stand for another value in JSON: converted before they are walked. */
function prepare(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') {
    const json = withToJson.toJSON();
    if (json !== value) return prepare(json);
  }
  return value;
}

function primitive(value: unknown, hooks: CopyHooks): JsonValue {
  switch (typeof value) {
    case 'string':
      return hooks.string ? hooks.string(value) : value;
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'function':
      return `[function ${value.name || 'anonymous'}]`;
    case 'symbol':
      return value.toString();
    default:
      return null;
  }
}

/** {@link copyAsJson} without masking. */
export function toJsonValue(value: unknown): JsonValue {
  return copyAsJson(value);
}

/**
 * Cut a parsed JSON value to the record's depth bound, in place and without recursion: an
 * object or list at `MAX_RECORD_DEPTH` levels (counting `startDepth` for the value itself) is
 * replaced by {@link TOO_DEEP}, as {@link copyAsJson} would have stored it.
 */
export function boundDepth(value: JsonValue, startDepth = 0): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (startDepth >= MAX_RECORD_DEPTH) return TOO_DEEP;
  const stack: [Record<string, JsonValue> | JsonValue[], number][] = [[value, startDepth]];
  while (stack.length) {
    const [container, depth] = stack.pop()!;
    for (const key of Object.keys(container)) {
      const child = (container as Record<string, JsonValue>)[key]!;
      if (child === null || typeof child !== 'object') continue;
      if (depth + 1 >= MAX_RECORD_DEPTH) (container as Record<string, JsonValue>)[key] = TOO_DEEP;
      else stack.push([child, depth + 1]);
    }
  }
  return value;
}
