/**
 * A root hook for the unit tests (`--file` in `npm run test:unit`): after every test, every nock
 * interceptor must have been used. A test that mocks a request the code never made fails here,
 * naming it, even if it forgot `scope.done()`; a test that means an interceptor to stay unused
 * (a POST that must not be retried) says so with `nock.cleanAll()` after checking it.
 */
import nock from 'nock';

afterEach(function () {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length && this.currentTest?.state === 'passed') {
    throw new Error(`"${this.currentTest.fullTitle()}" left nock interceptors unused: ${pending.join(', ')}`);
  }
});
