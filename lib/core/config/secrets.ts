import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { FlowApiError, InvalidInputError } from '../../model/errors.js';
import { MAX_RECORD_DEPTH } from '../../util/json.js';
import type { Redactor } from '../redact/redactor.js';
import { describeValue, isPlainObject } from '../../util/describe.js';
import { isSecretRef } from '../../model/secret-ref.js';

/** Environment variables named `FLOW_SECRET_<NAME>` hold secrets. */
const SECRET_ENV_PREFIX = 'FLOW_SECRET_';
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A secret that is in neither place it is looked for. */
export class SecretNotFoundError extends FlowApiError {
  override name = 'SecretNotFoundError';
  override readonly code = 'ERR_SECRET_NOT_FOUND';
}

export interface SecretSourceOptions {
  /** Secrets given directly (tests); they win over the environment and the file. */
  values?: Record<string, string> | undefined;
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The dotenv file. Default `<configDir>/secrets.env`. */
  file: string;
  /** Only `values`: neither the environment nor the file is read (tests). */
  isolated?: boolean | undefined;
}

/**
 * Where secrets come from: values given to `run()`, then `FLOW_SECRET_<NAME>` in the
 * environment, then `NAME=value` lines of the dotenv file. Every value read is registered with
 * the run's redactor, so it is masked in every record, log line and message from then on.
 */
export class Secrets {
  readonly file: string;
  readonly #values: Record<string, string>;
  readonly #env: NodeJS.ProcessEnv;
  readonly #redactor: Redactor;
  readonly #isolated: boolean;
  #fileValues: Record<string, string> | undefined;

  constructor(options: SecretSourceOptions, redactor: Redactor) {
    this.file = resolve(options.file);
    this.#values = options.values ?? {};
    this.#isolated = options.isolated ?? false;
    this.#env = this.#isolated ? {} : (options.env ?? process.env);
    this.#redactor = redactor;
    for (const value of Object.values(this.#values)) redactor.addSecret(value);
  }

  /** The secret's value; throws `SecretNotFoundError` naming where it looked. */
  get(name: string, usedFor = 'secret()'): string {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new SecretNotFoundError(`${usedFor}: a secret name is letters, digits and "_" (not starting with a digit), got ${describeValue(name)}`);
    }
    const value = this.#values[name] ?? this.#env[SECRET_ENV_PREFIX + name] ?? this.#fromFile()[name];
    if (value === undefined && this.#isolated) {
      throw new SecretNotFoundError(
        `${usedFor}: secret "${name}" not found among the secrets given to run() (${Object.keys(this.#values).sort().join(', ') || 'none'})`,
      );
    }
    if (value === undefined) {
      const fileNote = existsSync(this.file) ? this.file : `${this.file}, which does not exist`;
      throw new SecretNotFoundError(
        `${usedFor}: secret "${name}" not found; looked for the environment variable ${SECRET_ENV_PREFIX}${name} and for a line ${name}=... in ${fileNote}`,
      );
    }
    this.#redactor.addSecret(value);
    return value;
  }

  /**
   * Replace every `{ "secret": "NAME" }` inside `value` by the secret (a deep copy; other values
   * are kept as they are). `where` names the input for error messages.
   */
  resolve<T>(value: T, where: string): T {
    return this.#resolve(value, (path) => (path ? `${where} "${path}"` : where), '', new Set(), 0);
  }

  /**
   * Copy on write: a value without references comes back as it is, so a large JSON body is
   * walked once and never copied; the input path is only spelled out for an error message. A
   * value that contains itself, or is nested deeper than a record can hold, is an input error.
   */
  #resolve<T>(value: T, where: (path: string) => string, at: string, path: Set<object>, depth: number): T {
    if (isSecretRef(value)) return this.get(value.secret, where(at)) as T;
    if (!Array.isArray(value) && !isPlainObject(value)) return value;
    if (path.has(value)) throw new InvalidInputError(`${where(at)} contains itself (a cycle), which JSON cannot encode`);
    if (depth >= MAX_RECORD_DEPTH) throw new InvalidInputError(`${where(at)} is nested deeper than ${MAX_RECORD_DEPTH} levels`);
    path.add(value);
    try {
      if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        value.forEach((item, i) => {
          const resolved = this.#resolve(item, where, `${at}[${i}]`, path, depth + 1);
          if (resolved !== item) (copy ??= [...value])[i] = resolved;
        });
        return (copy ?? value) as T;
      }
      let copy: Record<string, unknown> | undefined;
      for (const [key, item] of Object.entries(value)) {
        const resolved = this.#resolve(item, where, at ? `${at}.${key}` : key, path, depth + 1);
        if (resolved !== item) (copy ??= { ...value })[key] = resolved;
      }
      return (copy ?? value) as T;
    } finally {
      path.delete(value);
    }
  }

  #fromFile(): Record<string, string> {
    if (this.#isolated) return {};
    if (this.#fileValues) return this.#fileValues;
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new SecretNotFoundError(`cannot read the secrets file ${this.file}: ${(error as Error).message}`);
      }
    }
    this.#fileValues = parseEnv(text) as Record<string, string>;
    return this.#fileValues;
  }
}
