/**
 * Shared by the examples: the API they call is the `api` input (a base URL), or, when it is not
 * given, the local demo API started for the run. Nothing reaches the internet.
 */
import { SecretNotFoundError, type System } from 'flow_api';
import { startDemoApi } from '../demo-api.js';

export async function withApi<T>(inputs: { api?: string }, body: (api: string) => Promise<T>): Promise<T> {
  if (inputs.api) return body(inputs.api.replace(/\/$/, ''));
  const demo = await startDemoApi();
  try {
    return await body(demo.url);
  } finally {
    await demo.close();
  }
}

/**
 * A secret, or the demo API's public test value when the secret is not set, so the examples run
 * as they are. Your own flows call `system.secret(name)` (or pass `{ secret: name }`) and nothing else.
 */
export function secretOr(system: System, name: string, demoValue: string): string {
  try {
    return system.secret(name);
  } catch (error) {
    if (error instanceof SecretNotFoundError) return demoValue;
    throw error;
  }
}
