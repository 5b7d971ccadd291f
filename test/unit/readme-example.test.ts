// The "Testing your flows" example from README.md, kept here so the README cannot drift.
import { expect } from 'chai';
import nock from 'nock';
import { run } from 'flow_api';
import handler from '../../examples/joke.js';

describe('README example', () => {
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('tells a joke', async () => {
    nock.disableNetConnect();
    const scope = nock('http://127.0.0.1:8080').get('/jokes/random').reply(200, { value: { joke: 'hi' } });
    const record = await run(handler); // in-memory store; returns the record tree
    expect(record.status).to.equal('ENDED_SUCCESS');
    expect(record.message).to.equal('hi');
    expect(record.children[0]!.output_value.status_code).to.equal(200);
    scope.done();
  });
});
