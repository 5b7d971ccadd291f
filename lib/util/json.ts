import type { JsonObject, JsonValue } from '../model/record.js';

/**
 * Turn any value into something JSON can hold, for records: Buffers become a short description,
 * Dates ISO strings, cycles and functions are marked rather than crashing a write.
 */
export function toJsonValue(value: unknown, seen: WeakSet<object> = new WeakSet()): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
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
  }
  const obj = value as object;
  if (seen.has(obj)) return '[circular]';
  if (obj instanceof Date) return obj.toISOString();
  if (Buffer.isBuffer(obj)) return `[${obj.length} bytes]`;
  if (obj instanceof Error) return { name: obj.name, message: obj.message };
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return obj.map((v) => toJsonValue(v, seen));
    if (obj instanceof Map) return toJsonObject(Object.fromEntries(obj), seen);
    if (obj instanceof Set) return [...obj].map((v) => toJsonValue(v, seen));
    const withToJson = obj as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return toJsonValue(withToJson.toJSON(), seen);
    return toJsonObject(obj as Record<string, unknown>, seen);
  } finally {
    seen.delete(obj);
  }
}

export function toJsonObject(value: Record<string, unknown>, seen: WeakSet<object> = new WeakSet()): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = toJsonValue(v, seen);
  }
  return out;
}
