/** A typed name for a service the run's composition provides to task types (OAuth 2.0 tokens, ...). */
export class ServiceKey<T> {
  declare readonly type: T;
  constructor(readonly name: string) {}
}

/**
 * Objects a run's tasks share (an HTTP connection pool, a token cache), created on first use and
 * disposed once when the run ends, so keep-alive sockets are reused across tasks but never
 * outlive the run. Services are how features above the core reach task types without the core
 * knowing them: the composition provides a factory, a task type asks for the service by key.
 */
export class RunResources {
  readonly #items = new Map<symbol | ServiceKey<unknown>, { value: unknown; dispose: ((value: unknown) => void) | undefined }>();
  readonly #factories = new Map<ServiceKey<unknown>, { create: () => unknown; dispose: ((value: unknown) => void) | undefined }>();

  get<T>(key: symbol, create: () => T, dispose?: (value: T) => void): T {
    const existing = this.#items.get(key);
    if (existing) return existing.value as T;
    const value = create();
    this.#items.set(key, { value, dispose: dispose as ((value: unknown) => void) | undefined });
    return value;
  }

  /** Offer a service; it is made when a task first asks for it. */
  provide<T>(key: ServiceKey<T>, create: () => T, dispose?: (value: T) => void): void {
    this.#factories.set(key as ServiceKey<unknown>, { create, dispose: dispose as ((value: unknown) => void) | undefined });
  }

  /** The service, made on first use; undefined when the run was not given it. */
  service<T>(key: ServiceKey<T>): T | undefined {
    const existing = this.#items.get(key as ServiceKey<unknown>);
    if (existing) return existing.value as T;
    const factory = this.#factories.get(key as ServiceKey<unknown>);
    if (!factory) return undefined;
    const value = factory.create();
    this.#items.set(key as ServiceKey<unknown>, { value, dispose: factory.dispose });
    return value as T;
  }

  dispose(): void {
    for (const { value, dispose } of this.#items.values()) dispose?.(value);
    this.#items.clear();
  }
}
