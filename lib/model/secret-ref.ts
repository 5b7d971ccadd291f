/**
 * `{ secret: 'NAME' }`: replaced by the secret NAME (see `system.secret()`) when the task runs;
 * the record keeps the reference.
 */
export interface SecretRef {
  /** The secret's name. */
  secret: string;
}

/**
 * Whether `value` is a secret reference: a plain object whose only key is `secret`, a string.
 * The one check for it: resolving inputs, masking and keeping records all ask this.
 */
export function isSecretRef(value: unknown): value is SecretRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'secret' && typeof (value as SecretRef).secret === 'string';
}
