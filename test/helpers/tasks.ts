import { InputReader, TaskError, TaskRegistry, restTaskForTests, type TaskDefinition } from './lib.js';

/** Test task types: WAIT sleeps `ms` (abortably) and echoes `value`; FAIL fails with `message`. */
export const waitTask: TaskDefinition<{ ms: number; value: unknown }, { value: unknown; ended_at: number }> = {
  type: 'WAIT',
  normalize(inputs) {
    const input = new InputReader('WAIT', inputs, ['ms', 'value']);
    return { ms: input.integer('ms', 0), value: input.raw.value };
  },
  run({ ms, value }, ctx) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ value, ended_at: Date.now() }), ms);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    });
  },
};

export const failTask: TaskDefinition<{ message: string; ms: number }, Record<string, never>> = {
  type: 'FAIL',
  normalize(inputs) {
    const input = new InputReader('FAIL', inputs, ['message', 'ms']);
    return { message: input.string('message') ?? 'failed on purpose', ms: input.integer('ms', 0) };
  },
  async run({ message, ms }, ctx) {
    ctx.setOutputs({ partial: true });
    await new Promise((r) => setTimeout(r, ms));
    throw new TaskError(message);
  },
};

export function testRegistry(): TaskRegistry {
  return new TaskRegistry().register(restTaskForTests).register(waitTask).register(failTask);
}

// The test task types, declared as a task-type author declares theirs: `this.task('WAIT', ...)` is then typed.
declare module 'flow_api' {
  interface TaskTypeMap {
    WAIT: { inputs: { ms?: number; value?: unknown }; outputs: { value: unknown; ended_at: number } };
    FAIL: { inputs: { message?: string; ms?: number }; outputs: { partial?: boolean } };
  }
}
