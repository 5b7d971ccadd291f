import * as chai from 'chai';
import { flowChai } from 'flow_api/testing';
import type { ExecutionTree } from '../../lib/model/record.js';

chai.use(flowChai);
const { expect, AssertionError } = chai;

function node(fields: Partial<ExecutionTree>): ExecutionTree {
  return {
    execution_id: 'id',
    parent_id: null,
    root_id: 'id',
    kind: 'task',
    type: 'REST',
    name: 'REST',
    status: 'ENDED_SUCCESS',
    input_value: {},
    output_value: {},
    message: null,
    log: [],
    created_at: '2026-01-01T00:00:00.000Z',
    ended_at: '2026-01-01T00:00:01.000Z',
    duration: 1,
    children: [],
    ...fields,
  };
}

const record = node({
  kind: 'flow',
  type: 'flow.ts',
  name: 'orders',
  status: 'ENDED_ERROR',
  message: 'REST GET http://api/items returned 404 Not Found',
  output_value: { count: 2, items: [{ id: 1 }] },
  log: [{ '2026-01-01T00:00:00.100Z': ['fetching items'] }, { '2026-01-01T00:00:00.200Z': ['page', 2] }],
  children: [node({ name: 'fetch', output_value: { status_code: 200 } }), node({ name: 'REST', status: 'ENDED_ERROR', output_value: { status_code: 404 } })],
});

/** The message of the AssertionError `check` throws (and that it throws one). */
function failure(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    expect(error).to.be.instanceOf(AssertionError);
    return (error as Error).message;
  }
  throw new Error('the assertion passed');
}

describe('flowChai: every assertion passes when it holds and fails with a message that says why', () => {
  it('status', () => {
    expect(record).to.have.status('ENDED_ERROR');
    expect(failure(() => expect(record).to.have.status('ENDED_SUCCESS'))).to.equal(
      'expected flow orders to end ENDED_SUCCESS, but it ended ENDED_ERROR: REST GET http://api/items returned 404 Not Found',
    );
    expect(failure(() => expect(record).not.to.have.status('ENDED_ERROR'))).to.equal('expected flow orders not to end ENDED_ERROR');
  });

  it('task: by name or type, the index-th match, moving the assertion to it', () => {
    expect(record).to.have.task('fetch').with.output('status_code', 200);
    expect(record).to.have.task('REST', 1).with.status('ENDED_ERROR');
    expect(failure(() => expect(record).to.have.task('SQL'))).to.equal(
      'expected flow orders to have a task named or typed "SQL"; its children are: fetch, REST',
    );
    expect(failure(() => expect(record).to.have.task('REST', 2))).to.equal(
      'expected flow orders to have 3 tasks named or typed "REST", but it has 2; its children are: fetch, REST',
    );
    expect(failure(() => expect(record).not.to.have.task('fetch'))).to.equal('expected flow orders not to have a task named or typed "fetch"');
  });

  it('output: present, and deep-equal to a value', () => {
    expect(record).to.have.output('count');
    expect(record).to.have.output('items', [{ id: 1 }]);
    expect(failure(() => expect(record).to.have.output('total'))).to.equal('expected flow orders to have the output "total"; its outputs are: count, items');
    expect(failure(() => expect(record).to.have.output('count', 3))).to.equal('expected output "count" of flow orders to equal 3, but it is 2');
    expect(failure(() => expect(record).to.have.output('items', [{ id: 2 }]))).to.equal(
      'expected output "items" of flow orders to equal [ { id: 2 } ], but it is [ { id: 1 } ]',
    );
    expect(failure(() => expect(record).to.have.output('total', 2))).to.equal(
      'expected output "total" of flow orders to equal 2, but it has no such output; its outputs are: count, items',
    );
    const long = 'x'.repeat(100);
    expect(failure(() => expect(node({ output_value: { body: long } })).to.have.output('body', 'y'))).to.equal(
      `expected output "body" of task REST to equal 'y', but it is '${long}'`,
    );
    expect(failure(() => expect(record).not.to.have.output('count'))).to.equal('expected flow orders not to have the output "count"');
    expect(failure(() => expect(record).not.to.have.output('count', 2))).to.equal('expected output "count" of flow orders not to equal 2');
  });

  it('message: equal to a string, or matching a pattern', () => {
    expect(record).to.have.message('REST GET http://api/items returned 404 Not Found');
    expect(record).to.have.message(/404/);
    expect(failure(() => expect(record).to.have.message('done'))).to.equal(
      "expected the message of flow orders to be 'done', but it is 'REST GET http://api/items returned 404 Not Found'",
    );
    expect(failure(() => expect(record).to.have.message(/^ok/))).to.equal(
      "expected the message of flow orders to match /^ok/, but it is 'REST GET http://api/items returned 404 Not Found'",
    );
    expect(failure(() => expect(record).not.to.have.message(/404/))).to.equal('expected the message of flow orders not to match /404/');
  });

  it('logged: a log line containing the text, or matching the pattern', () => {
    expect(record).to.have.logged('fetching');
    expect(record).to.have.logged(/page 2/);
    expect(failure(() => expect(record).to.have.logged('retrying'))).to.equal(
      "expected the log of flow orders to contain 'retrying'; it has 2 lines:\n  fetching items\n  page 2",
    );
    expect(failure(() => expect(record).not.to.have.logged('fetching'))).to.equal("expected the log of flow orders not to contain 'fetching'");
  });

  it('refuses what is not a record from run(), saying what it got', () => {
    expect(() => expect({ status: 'ENDED_SUCCESS' }).to.have.status('ENDED_SUCCESS')).to.throw(
      TypeError,
      'expected a record tree from run() (with status and children), got object',
    );
  });
});
