import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FlowApiError } from '../../model/errors.js';
import { isPlainObject } from '../../util/describe.js';

/** The folder of a project's flow configuration: `$FLOW_CONFIG_DIR`, else `.flow` in the current folder. */
export function defaultConfigDir(): string {
  return resolve(process.env.FLOW_CONFIG_DIR ?? '.flow');
}

/** Paths of the configuration files inside the config folder. */
export function configPaths(configDir: string) {
  return {
    secrets: process.env.FLOW_SECRETS_FILE ? resolve(process.env.FLOW_SECRETS_FILE) : join(configDir, 'secrets.env'),
    connections: join(configDir, 'connections.json'),
    grants: join(configDir, 'grants.json'),
  };
}

/** A configuration file that cannot be used. */
export class ConfigError extends FlowApiError {
  override name = 'ConfigError';
  override readonly code = 'ERR_CONFIG';
}

/**
 * Read a JSON file of named entries (`{ "name": { ... } }`); a missing file is empty. Errors
 * name the file and what is wrong with it.
 */
export function readNamedEntries(path: string, what: string): Record<string, Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the ${what} file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new ConfigError(`the ${what} file ${path} must hold a JSON object of named ${what}s, like {"name": {...}}`);
  for (const [name, entry] of Object.entries(parsed)) {
    if (!isPlainObject(entry)) throw new ConfigError(`${what} "${name}" in ${path} must be an object`);
  }
  return parsed as Record<string, Record<string, unknown>>;
}
