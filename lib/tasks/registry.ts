import { UnknownTaskTypeError } from '../model/errors.js';
import type { TaskDefinition, TaskTypes } from '../core/task-definition.js';

/** The registered task types. The core looks types up here and knows none of them. */
export class TaskRegistry implements TaskTypes {
  readonly #types = new Map<string, TaskDefinition>();

  register<Normalized, Outputs extends object>(definition: TaskDefinition<Normalized, Outputs>): this {
    if (this.#types.has(definition.type)) throw new Error(`task type "${definition.type}" is already registered`);
    this.#types.set(definition.type, definition as unknown as TaskDefinition);
    return this;
  }

  get(type: string): TaskDefinition {
    const definition = this.#types.get(type);
    if (definition) return definition;
    // Task types are matched exactly (as in Cloudomation), but a case slip gets a precise hint.
    const caseMatch = [...this.#types.keys()].find((known) => known.toLowerCase() === String(type).toLowerCase());
    const hint = caseMatch ? ` (did you mean "${caseMatch}"?)` : '';
    throw new UnknownTaskTypeError(`unknown task type ${JSON.stringify(type)}${hint}; known task types: ${this.types().join(', ')}`);
  }

  /** The definition of `type`, or undefined when none is registered under that exact name. */
  find(type: string): TaskDefinition | undefined {
    return this.#types.get(type);
  }

  types(): string[] {
    return [...this.#types.keys()].sort();
  }
}
