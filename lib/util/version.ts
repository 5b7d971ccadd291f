import { readFileSync } from 'node:fs';

/**
 * flow_api's version, from its package.json: found by walking up from this module, which sits
 * at a different depth in the sources (lib/util/) and in the build (dist/...).
 */
export const VERSION: string = readVersion();

function readVersion(): string {
  for (const relative of ['../../package.json', '../package.json', '../../../package.json']) {
    try {
      const parsed = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'flow_api' && parsed.version) return parsed.version;
    } catch {
      /* try the next place */
    }
  }
  return '0.0.0';
}
