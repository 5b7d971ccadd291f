/**
 * Objects a run's tasks share (an HTTP connection pool, a token cache), created on first use and
 * disposed once when the run ends, so keep-alive sockets are reused across tasks but never
 * outlive the run.
 */
export class RunResources {
  readonly #items = new Map<symbol, { value: unknown; dispose: ((value: unknown) => void) | undefined }>();

  get<T>(key: symbol, create: () => T, dispose?: (value: T) => void): T {
    const existing = this.#items.get(key);
    if (existing) return existing.value as T;
    const value = create();
    this.#items.set(key, { value, dispose: dispose as ((value: unknown) => void) | undefined });
    return value;
  }

  dispose(): void {
    for (const { value, dispose } of this.#items.values()) dispose?.(value);
    this.#items.clear();
  }
}
