import { rerunFlow, resumeFlow, type ResumeOptions as CoreResumeOptions } from '../core/resume.js';
import type { ExecutionTree } from '../model/record.js';
import { taskRegistry } from '../tasks/default-registry.js';
import { provideGrants, type RunOptions } from './run.js';

/** `resume()`'s and `rerun()`'s options: the core's, and the OAuth 2.0 grants the REST task's `grant` input reads. */
export interface ResumeOptions extends CoreResumeOptions {
  /** OAuth 2.0 grants for the `grant` input; they win over `grants.json`. */
  grants?: RunOptions['grants'];
}

/**
 * Resume a run that crashed, failed or was cancelled (`flow resume ID`): its handler runs again
 * from the top as the same execution, the calls that ended are handed back as recorded, and only
 * what is left (the failure that ended it, a call safe to repeat, what it never reached) is run.
 * Returns its record, as `run()` does. See the README's "Resume a run".
 */
export function resume(id: string, options: ResumeOptions = {}): Promise<ExecutionTree> {
  const { grants, ...rest } = options;
  return resumeFlow(id, { ...rest, registry: options.registry ?? taskRegistry }, (runtime) => provideGrants(runtime, grants));
}

/**
 * A new run of a recorded run's handler that reuses the recorded calls before seq `fromSeq`
 * and runs the rest live (`flow rerun ID --from SEQ`).
 */
export function rerun(id: string, fromSeq: number, options: ResumeOptions = {}): Promise<ExecutionTree> {
  const { grants, ...rest } = options;
  return rerunFlow(id, fromSeq, { ...rest, registry: options.registry ?? taskRegistry }, (runtime) => provideGrants(runtime, grants));
}
