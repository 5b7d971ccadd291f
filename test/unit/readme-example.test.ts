// The README's examples, kept here so the README cannot drift: the five-minute tour's test (its
// handler is examples/tour.ts) and the joke handler.
import * as chai from 'chai';
import nock from 'nock';
import { flowChai, run } from 'flow_api/testing';
import joke from '../../examples/joke.js';

chai.use(flowChai);
const { expect } = chai;

describe('README examples', () => {
  before(() => nock.disableNetConnect()); // nothing leaves the machine
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('reads the item (the tour)', async () => {
    const scope = nock('https://api.example.com').get('/items/7').reply(200, { id: 7, name: 'lamp' });
    const record = await run('examples/tour.ts', { inputs: { id: 7 } });
    expect(record).to.have.status('ENDED_SUCCESS').and.message('item 7 read');
    expect(record).to.have.task('REST').with.output('status_code', 200);
    scope.done(); // every mocked request was made
  });

  it('tells a joke', async () => {
    const scope = nock('http://127.0.0.1:8080')
      .get('/jokes/random')
      .reply(200, { value: { joke: 'hi' } });
    const record = await run(joke);
    expect(record).to.have.status('ENDED_SUCCESS').and.message('hi');
    scope.done();
  });

  it('says what went wrong in the chai messages', async () => {
    nock('https://api.example.com').get('/items/1').reply(500, 'boom');
    const record = await run('examples/tour.ts', { inputs: { id: 1 } });
    expect(() => expect(record).to.have.status('ENDED_SUCCESS')).to.throw(
      /^expected flow tour to end ENDED_SUCCESS, but it ended ENDED_ERROR: task REST .* returned 500 Internal Server Error/,
    );
    expect(() => expect(record).to.have.task('HTTP')).to.throw('expected flow tour to have a task named or typed "HTTP"; its children are: REST');
    expect(() => expect(record).to.have.task('REST').with.output('status_code', 200)).to.throw(
      /^expected output "status_code" of task REST to equal 200, but it is 500/,
    );
  });
});
