import { RETURN_WHEN, type ReturnWhen } from '../model/status.js';

interface WaitOps<E> {
  start(execution: E): Promise<void>;
  ended(execution: E): boolean;
  failed(execution: E): boolean;
  failure(execution: E): Error;
}

/** `wait_for()`'s three policies; starts any execution not started yet. */
export async function waitFor<E>(executions: E[], returnWhen: ReturnWhen, ops: WaitOps<E>): Promise<E[]> {
  if (executions.length === 0) return [];
  const ended = executions.map((e) => ops.start(e).then(() => e));
  switch (returnWhen) {
    case RETURN_WHEN.ALL_ENDED:
      await Promise.all(ended);
      return executions;
    case RETURN_WHEN.FIRST_ENDED:
      await Promise.race(ended);
      return executions.filter((e) => ops.ended(e));
    case RETURN_WHEN.ALL_SUCCEEDED:
      // Fail at the first failure rather than after the slowest sibling.
      await new Promise<void>((resolve, reject) => {
        let remaining = ended.length;
        for (const promise of ended) {
          void promise.then((e) => {
            if (ops.failed(e)) reject(ops.failure(e));
            else if (--remaining === 0) resolve();
          });
        }
      });
      return executions;
  }
}
