import type { RestAttempt } from './inputs.js';

/** A record keeps the first tries and the last ones: a retry storm must not grow it without bound. */
export const KEPT_FIRST = 10;
export const KEPT_LAST = 90;

export function keepAttempt(attempts: RestAttempt[], entry: RestAttempt, onFirstDrop: () => void): void {
  attempts.push(entry);
  if (attempts.length <= KEPT_FIRST + KEPT_LAST) return;
  if (attempts[KEPT_FIRST]!.attempt === KEPT_FIRST + 1) onFirstDrop();
  attempts.splice(KEPT_FIRST, 1);
}
