/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parse `--input key=value` (repeatable) and `--inputs-json`, `--input` winning on the same key. */
export function parseInputs(pairs: string[], inputsJson: string | undefined): Record<string, unknown> {
  let inputs: Record<string, unknown> = {};
  if (inputsJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(inputsJson);
    } catch (error) {
      throw new UsageError(`--inputs-json must be a JSON object, but it is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`--inputs-json must be a JSON object such as '{"id": 7}', got ${Array.isArray(parsed) ? 'a list' : JSON.stringify(parsed)}`);
    }
    inputs = parsed as Record<string, unknown>;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`--input ${JSON.stringify(pair)} must have the form key=value (for example --input id=7)`);
    }
    inputs[pair.slice(0, eq)] = parseValue(pair.slice(eq + 1));
  }
  return inputs;
}

/**
 * A value that is valid JSON (a number, true/false/null, a quoted string, an object or a list)
 * is taken as JSON; anything else as a plain string, so `--input name=Ada` needs no quotes.
 */
export function parseValue(text: string): unknown {
  if (text === '') return '';
  // Keep leading-zero numbers ("007") and the like as strings: JSON would reject them anyway.
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
