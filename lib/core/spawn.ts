import { InvalidInputError } from '../model/errors.js';
import { describeValue, isPlainObject } from '../util/describe.js';
import { loadHandler } from './handler.js';
import { normalizeChildOptions, type NormalizedChildOptions } from './options.js';
import { readProtection, registerProtected, withTwins } from './protect.js';
import { ExecutionState } from './state.js';
import { inputHash } from './journal.js';
import { replayDecision } from './replay.js';
import { protectedCopy } from './protect.js';
import type { TaskDefinition } from './task-definition.js';

/** A child made by `task()`, `flow()` or `connect()`, not started yet; `refusal` when its inputs were refused. */
export interface Spawned {
  child: ExecutionState;
  options: NormalizedChildOptions;
  refusal?: { error: unknown };
}

/**
 * A child task of `parent`. Its inputs are checked now, by the task type's `normalize`: refused
 * inputs still make a child (so the record tells what was attempted) and come back as `refusal`.
 */
export function spawnTask(parent: ExecutionState, type: string, inputs: unknown, options: unknown): Spawned {
  parent.assertCanStartChildren('task()');
  const opts = normalizeChildOptions('task()', options);
  const { runtime } = parent;
  const definition = runtime.registry.get(type);
  // `init` may sit among the inputs, as a port of Cloudomation's `task('REST', ..., init={...})` writes it.
  let raw: unknown = inputs ?? {};
  let initInInputs: unknown;
  if (isPlainObject(raw) && 'init' in raw) ({ init: initInInputs, ...raw } = raw);
  const protect = withTwins(readProtection('task()', initInInputs, opts.init), definition.protectTogether);
  if (isPlainObject(raw)) registerProtected(runtime.redactor, raw, protect.inputs);
  const seq = ++parent.childSeq;
  const callKey = `${parent.root().id}-${parent.path ? `${parent.path}.${seq}` : seq}`;
  let normalized: unknown;
  let refusal: { error: unknown } | undefined;
  try {
    normalized = definition.normalize(raw, {
      redactor: runtime.redactor,
      files: runtime.files,
      secrets: runtime.secrets,
      resources: runtime.resources,
      callKey,
    });
  } catch (error) {
    refusal = { error };
  }
  const given = isPlainObject(raw) ? raw : { value: raw };
  const recordedInputs = definition.recordInputs && isPlainObject(raw) ? definition.recordInputs(raw) : undefined;
  // The record's inputs, masked, serialized once: written at start, and hashed for the journal.
  const inputsText = runtime.redactor.serialize(protectedCopy(recordedInputs ?? given, protect.inputs));
  const hash = inputHash(inputsText);
  // A live run (the common case) builds no call to compare: the journal is consulted only on resume.
  const resumed =
    refusal || !parent.replaying
      ? undefined
      : replayDecision(
          parent,
          seq,
          {
            kind: 'task',
            type: definition.type,
            inputHash: hash,
            describe: () => `task ${definition.type} with inputs ${inputsText}`,
            action: () => runtime.redactor.maskText(definition.describe?.(normalized) ?? definition.type),
            ...(definition.reusable ? { reusable: (outputs: Record<string, unknown>) => definition.reusable!(outputs) } : {}),
          },
          // Sent again after a crash only when that does no harm: not write-ahead, or the task type says so (an idempotency key).
          () => (definition.writeAhead?.(normalized) ? (definition.resendable?.(normalized) ?? false) : true),
        );
  const child = new ExecutionState(runtime, {
    parent,
    kind: 'task',
    type: definition.type,
    name: opts.name ?? definition.type,
    inputs: given,
    recordedInputs,
    body: refusal ? { kind: 'rejected', error: refusal.error } : { kind: 'task', definition, inputs: normalized },
    baseDir: parent.init.baseDir,
    protect,
    seq,
    inputsText,
    inputHash: hash,
    ...resumed,
  });
  return refusal ? { child, options: opts, refusal } : { child, options: opts };
}

/** A child flow of `parent`: a handler file (relative to the parent's) or a function. */
export async function spawnFlow(parent: ExecutionState, pathOrHandler: unknown, inputs: unknown, options: unknown): Promise<Spawned> {
  parent.assertCanStartChildren('flow()');
  const opts = normalizeChildOptions('flow()', options);
  if (inputs !== undefined && !isPlainObject(inputs)) throw new InvalidInputError(`flow() inputs must be an object, got ${describeValue(inputs)}`);
  const { runtime } = parent;
  const protect = readProtection('flow()', opts.init);
  if (inputs) registerProtected(runtime.redactor, inputs, protect.inputs);
  const seq = ++parent.childSeq;
  const loaded = await loadHandler(pathOrHandler, parent.init.baseDir);
  const inputsText = runtime.redactor.serialize(protectedCopy(inputs ?? {}, protect.inputs));
  const hash = inputHash(inputsText);
  // Flows are code: one in flight when the run stopped runs again, its own children replayed.
  const resumed = parent.replaying
    ? replayDecision(
        parent,
        seq,
        { kind: 'flow', type: loaded.type, inputHash: hash, describe: () => `flow ${loaded.type} with inputs ${inputsText}` },
        () => true,
      )
    : undefined;
  const child = new ExecutionState(runtime, {
    parent,
    kind: 'flow',
    type: loaded.type,
    name: opts.name ?? loaded.name,
    inputs: inputs ?? {},
    body: { kind: 'flow', handler: loaded.handler },
    baseDir: loaded.baseDir,
    protect,
    seq,
    inputsText,
    inputHash: hash,
    ...resumed,
  });
  return { child, options: opts };
}

/**
 * `connect(name, inputs)`: the task type and inputs of a connection's task. The connection names
 * its task type (`"type": "REST"`), else the one registered task type that takes connections;
 * the task type merges the connection's inputs with the call's (the call wins).
 */
export function connectionTask(parent: ExecutionState, name: string, inputs: unknown): { type: string; inputs: Record<string, unknown> } {
  parent.assertCanStartChildren('connect()');
  if (inputs !== undefined && !isPlainObject(inputs)) throw new InvalidInputError(`connect() inputs must be an object, got ${describeValue(inputs)}`);
  const { registry, connections } = parent.runtime;
  const { type: named, ...connection } = connections.get(name);
  let definition: TaskDefinition;
  if (typeof named === 'string') {
    definition = registry.get(named);
  } else {
    const candidates = registry
      .types()
      .map((t) => registry.get(t))
      .filter((d) => d.mergeConnection);
    if (candidates.length !== 1) {
      throw new InvalidInputError(`connection "${name}" must name its task type ("type": one of ${candidates.map((d) => d.type).join(', ') || 'none'})`);
    }
    definition = candidates[0]!;
  }
  if (!definition.mergeConnection) throw new InvalidInputError(`task type ${definition.type} does not take connections (connection "${name}")`);
  return { type: definition.type, inputs: definition.mergeConnection(connection, inputs ?? {}) };
}
