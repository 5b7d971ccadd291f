import { randomUUID } from 'node:crypto';
import { InvalidInputError, NonDeterminismError } from '../model/errors.js';
import type { ExecutionState } from './state.js';

/**
 * A value a handler must not compute again when its run is resumed (the time, a random id): the
 * first run records it at the next seq, a resumed one hands the recorded value back. A value of
 * another kind at that seq means the handler changed: `NonDeterminismError`.
 */
export function journaled(state: ExecutionState, kind: 'now' | 'uuid' | 'random' | 'sleep', compute: () => string): string {
  state.assertActive();
  const seq = ++state.childSeq;
  const journal = state.replaying ? state.runtime.journal : undefined;
  if (journal) {
    const mark = journal.mark(state.id, seq);
    if (mark) {
      if (mark.kind !== kind)
        throw mismatch(state, seq, `this.${mark.kind === 'patch' ? `patched(${JSON.stringify(mark.value)})` : `${mark.kind}()`}`, `this.${kind}()`);
      return mark.value;
    }
    const entry = journal.entry(state.id, seq);
    if (entry) throw mismatch(state, seq, `${entry.kind} ${entry.type} "${entry.name}"`, `this.${kind}()`);
  }
  const value = compute();
  state.runtime.store.saveMark(state.id, seq, { kind, value });
  return value;
}

/**
 * `this.patched(id)`: true where the handler takes its new path. In a first run, and past the
 * journal of a resumed one, it records the patch and says true; replaying a journal recorded
 * before the change (no patch at that seq) it says false and takes no seq, so the old calls
 * line up as they were recorded.
 */
export function patched(state: ExecutionState, id: string): boolean {
  state.assertActive();
  if (typeof id !== 'string' || id === '') throw new InvalidInputError(`patched() takes a non-empty string id, got ${JSON.stringify(id)}`);
  const seq = state.childSeq + 1;
  const journal = state.replaying ? state.runtime.journal : undefined;
  if (journal) {
    const mark = journal.mark(state.id, seq);
    if (mark?.kind === 'patch' && mark.value === id) {
      state.childSeq = seq;
      return true;
    }
    if (mark || journal.entry(state.id, seq)) return false;
  }
  state.childSeq = seq;
  state.runtime.store.saveMark(state.id, seq, { kind: 'patch', value: id });
  return true;
}

export function now(state: ExecutionState): Date {
  return new Date(Number(journaled(state, 'now', () => String(state.runtime.clock.now()))));
}

export function uuid(state: ExecutionState): string {
  return journaled(state, 'uuid', () => randomUUID());
}

export function random(state: ExecutionState): number {
  return Number(journaled(state, 'random', () => String(Math.random())));
}

/**
 * A durable sleep: the time it ends is recorded when it starts, so a run resumed mid-sleep waits
 * only what is left of it (and not at all if that time has passed).
 */
export async function durableSleep(state: ExecutionState, seconds: number): Promise<void> {
  const ms = seconds * 1000;
  const wake = Number(journaled(state, 'sleep', () => String(state.runtime.clock.now() + ms)));
  const remaining = Math.max(0, wake - state.runtime.clock.now());
  state.writer.log([remaining < ms ? `sleeping ${seconds} s (${remaining / 1000} s left after a resume)` : `sleeping ${seconds} s`]);
  await state.runtime.clock.sleep(remaining, state.controller.signal);
  state.assertActive();
}

function mismatch(state: ExecutionState, seq: number, recorded: string, now: string): NonDeterminismError {
  const path = state.path ? `${state.path}.${seq}` : String(seq);
  return new NonDeterminismError(
    `seq ${path}: the journal recorded ${recorded}, and the handler now calls ${now}; a handler must make the same calls in the same order when it is resumed`,
  );
}
