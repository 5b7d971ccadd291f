/// <reference types="chai" preserve="true" />
import { inspect, isDeepStrictEqual } from 'node:util';
import type { ExecutionTree } from '../model/record.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Chai {
    interface Assertion {
      /** The record ended with this status: `expect(record).to.have.status('ENDED_SUCCESS')`. */
      status(status: string): Assertion;
      /**
       * Moves the assertion to a descendant task or flow, found depth-first by name or type (the
       * `index`-th match, default the first): `expect(record).to.have.task('REST').with.output('status_code', 200)`.
       */
      task(nameOrType: string, index?: number): Assertion;
      /** The record has this output; with `value`, deep-equal to it. */
      output(key: string, value?: unknown): Assertion;
      /** The record's message equals the string, or matches the pattern. */
      message(expected: string | RegExp): Assertion;
      /** A log line of the record contains the text, or matches the pattern. */
      logged(expected: string | RegExp): Assertion;
    }
  }
}

/** A value in a message, whole: chai's own display cuts values at 40 characters. */
function show(value: unknown): string {
  return inspect(value, { depth: 8, breakLength: Infinity, maxStringLength: 2000, maxArrayLength: 50 });
}

function describeRecord(record: ExecutionTree): string {
  return `${record.kind} ${record.name}`;
}

function asRecord(value: unknown): ExecutionTree {
  const record = value as ExecutionTree;
  if (!record || typeof record !== 'object' || typeof record.status !== 'string' || !Array.isArray(record.children)) {
    throw new TypeError(`expected a record tree from run() (with status and children), got ${typeof value}`);
  }
  return record;
}

function findAll(record: ExecutionTree, nameOrType: string): ExecutionTree[] {
  const found: ExecutionTree[] = [];
  const visit = (node: ExecutionTree) => {
    for (const child of node.children) {
      if (child.name === nameOrType || child.type === nameOrType) found.push(child);
      visit(child);
    }
  };
  visit(record);
  return found;
}

function logText(record: ExecutionTree): string[] {
  return record.log.map((entry) =>
    Object.values(entry)
      .flat()
      .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
      .join(' '),
  );
}

/** The chai plugin for records: `chai.use(flowChai)`. */
export const flowChai: Chai.ChaiPlugin = (chai, utils) => {
  const { Assertion } = chai;

  Assertion.addMethod('status', function (this: Chai.AssertionStatic, expected: string) {
    const record = asRecord(utils.flag(this, 'object'));
    this.assert(
      record.status === expected,
      `expected ${describeRecord(record)} to end ${expected}, but it ended ${record.status}${record.message ? `: ${record.message}` : ''}`,
      `expected ${describeRecord(record)} not to end ${expected}`,
      expected,
      record.status,
    );
  });

  Assertion.addMethod('task', function (this: Chai.AssertionStatic, nameOrType: string, index = 0) {
    const record = asRecord(utils.flag(this, 'object'));
    const matches = findAll(record, nameOrType);
    const names = record.children.map((c) => c.name).join(', ') || 'none';
    this.assert(
      matches.length > index,
      index === 0
        ? `expected ${describeRecord(record)} to have a task named or typed "${nameOrType}"; its children are: ${names}`
        : `expected ${describeRecord(record)} to have ${index + 1} tasks named or typed "${nameOrType}", but it has ${matches.length}; its children are: ${names}`,
      `expected ${describeRecord(record)} not to have a task named or typed "${nameOrType}"`,
      nameOrType,
    );
    utils.flag(this, 'object', matches[index]);
  });

  Assertion.addMethod('output', function (this: Chai.AssertionStatic, key: string, ...value: unknown[]) {
    const record = asRecord(utils.flag(this, 'object'));
    const outputs = record.output_value as Record<string, unknown>;
    const has = Object.prototype.hasOwnProperty.call(outputs, key);
    if (value.length === 0) {
      this.assert(
        has,
        `expected ${describeRecord(record)} to have the output "${key}"; its outputs are: ${Object.keys(outputs).join(', ') || 'none'}`,
        `expected ${describeRecord(record)} not to have the output "${key}"`,
        key,
      );
      return;
    }
    this.assert(
      has && isDeepStrictEqual(outputs[key], value[0]),
      has
        ? `expected output "${key}" of ${describeRecord(record)} to equal ${show(value[0])}, but it is ${show(outputs[key])}`
        : `expected output "${key}" of ${describeRecord(record)} to equal ${show(value[0])}, but it has no such output; its outputs are: ${Object.keys(outputs).join(', ') || 'none'}`,
      `expected output "${key}" of ${describeRecord(record)} not to equal ${show(value[0])}`,
      value[0],
      outputs[key],
      true,
    );
  });

  Assertion.addMethod('message', function (this: Chai.AssertionStatic, expected: string | RegExp) {
    const record = asRecord(utils.flag(this, 'object'));
    const message = record.message ?? '';
    this.assert(
      typeof expected === 'string' ? message === expected : expected.test(message),
      `expected the message of ${describeRecord(record)} to ${typeof expected === 'string' ? 'be' : 'match'} ${show(expected)}, but it is ${show(record.message)}`,
      `expected the message of ${describeRecord(record)} not to ${typeof expected === 'string' ? 'be' : 'match'} ${show(expected)}`,
      expected,
      record.message,
    );
  });

  Assertion.addMethod('logged', function (this: Chai.AssertionStatic, expected: string | RegExp) {
    const record = asRecord(utils.flag(this, 'object'));
    const lines = logText(record);
    this.assert(
      lines.some((line) => (typeof expected === 'string' ? line.includes(expected) : expected.test(line))),
      `expected the log of ${describeRecord(record)} to contain ${show(expected)}; it has ${lines.length} lines${lines.length ? `:\n  ${lines.slice(-10).join('\n  ')}` : ''}`,
      `expected the log of ${describeRecord(record)} not to contain ${show(expected)}`,
      expected,
    );
  });
};
