import type { Output } from '../output.js';
import { parseValue, UsageError } from '../usage.js';
import { withStore } from '../with-store.js';

export interface SettingCommandOptions {
  json?: boolean;
  db?: string;
}

/** `flow setting get NAME`: the stored JSON value; exit 1 when it does not exist. */
export async function settingGet(name: string, options: SettingCommandOptions, out: Output): Promise<number> {
  return withStore(options.db, out, (store) => {
    const value = store.getSetting(name);
    if (value === undefined) {
      out.err(`flow: no setting named "${name}" in ${store.location}`);
      return 1;
    }
    // Strings print bare (usable in shell scripts) unless --json asks for JSON.
    out.out(typeof value === 'string' && !options.json ? value : JSON.stringify(value, null, 2));
    return 0;
  });
}

/** `flow setting set NAME VALUE`: VALUE is JSON when it parses as JSON, else a string. */
export async function settingSet(name: string, value: string, options: SettingCommandOptions, out: Output): Promise<number> {
  if (name.trim() === '') throw new UsageError('a setting name must not be empty');
  return withStore(options.db, out, (store) => {
    const parsed = parseValue(value);
    store.saveSetting(name, parsed as never);
    out.out(`setting "${name}" = ${JSON.stringify(parsed)}`);
    return 0;
  });
}

/** `flow setting list`: every setting's name and value. */
export async function settingList(options: SettingCommandOptions, out: Output): Promise<number> {
  return withStore(options.db, out, (store) => {
    const entries = store.listSettings().map((name) => [name, store.getSetting(name)] as const);
    if (options.json) out.out(JSON.stringify(Object.fromEntries(entries), null, 2));
    else if (entries.length === 0) out.out(`no settings in ${store.location}`);
    else for (const [name, value] of entries) out.out(`${name} = ${JSON.stringify(value)}`);
    return 0;
  });
}

/** `flow setting delete NAME`. */
export async function settingDelete(name: string, options: SettingCommandOptions, out: Output): Promise<number> {
  return withStore(options.db, out, (store) => {
    if (!store.deleteSetting(name)) {
      out.err(`flow: no setting named "${name}" in ${store.location}`);
      return 1;
    }
    out.out(`setting "${name}" deleted`);
    return 0;
  });
}
