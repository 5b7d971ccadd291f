import { rerun, resume } from '../../compose/resume.js';
import { prepareHandlerLoading } from '../loader.js';
import type { Output } from '../output.js';
import { parseInputs, UsageError } from '../usage.js';
import { reportRun, type ReportOptions } from './run.js';

export interface ResumeCommandOptions extends ReportOptions {
  input: string[];
  inputsJson?: string;
  resend: string[];
  skip: string[];
  output: string[];
}

/** `flow resume ID`: run a stopped run's handler again, replaying what its journal recorded. */
export async function resumeCommand(id: string, options: ResumeCommandOptions, out: Output): Promise<number> {
  if (options.skip.length !== options.output.length) {
    throw new UsageError(
      `each --skip SEQ needs an --output JSON with what the server did, in the same order: got ${options.skip.length} --skip and ${options.output.length} --output`,
    );
  }
  const skip: Record<string, Record<string, unknown>> = {};
  options.skip.forEach((path, i) => (skip[path] = parseOutputs(path, options.output[i]!)));
  const inputs = options.input.length || options.inputsJson !== undefined ? parseInputs(options.input, options.inputsJson) : undefined;
  return reportRun(options, out, async (common) => {
    await prepareHandlerFor(common.store, id);
    return resume(id, { ...common, resend: options.resend, skip, ...(inputs ? { inputs } : {}) });
  });
}

export interface RerunCommandOptions extends ReportOptions {
  from: string;
  input: string[];
  inputsJson?: string;
}

/** `flow rerun ID --from SEQ`: a new run that reuses the recorded calls before SEQ. */
export async function rerunCommand(id: string, options: RerunCommandOptions, out: Output): Promise<number> {
  const from = Number(options.from);
  if (!Number.isInteger(from) || from < 1) throw new UsageError(`--from must be a seq >= 1, as flow show prints it, got ${JSON.stringify(options.from)}`);
  const inputs = options.input.length || options.inputsJson !== undefined ? parseInputs(options.input, options.inputsJson) : undefined;
  return reportRun(options, out, async (common) => {
    await prepareHandlerFor(common.store, id);
    return rerun(id, from, { ...common, ...(inputs ? { inputs } : {}) });
  });
}

/** The handler file of a recorded run, made loadable (tsx for TypeScript) before it is imported. */
async function prepareHandlerFor(store: Parameters<Parameters<typeof reportRun>[2]>[0]['store'], id: string): Promise<void> {
  const resolved = store.resolveId(id);
  const file = resolved === undefined ? undefined : store.run(resolved)?.handler;
  if (file) await prepareHandlerLoading(file);
}

function parseOutputs(path: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--output for --skip ${path} must be a JSON object (the outputs to record), but it is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--output for --skip ${path} must be a JSON object such as '{"status_code": 201}', got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}
