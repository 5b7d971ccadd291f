/**
 * `flow_api/testing`: run handlers in tests and assert on their records.
 *
 * ```ts
 * import * as chai from 'chai';
 * import nock from 'nock';
 * import { flowChai, run } from 'flow_api/testing';
 * chai.use(flowChai);
 *
 * nock.disableNetConnect();
 * const scope = nock('https://api.example.com').get('/me').reply(200, { name: 'Ada' });
 * const record = await run(handler, { secrets: { TOKEN: 'test-token' } });
 * chai.expect(record).to.have.status('ENDED_SUCCESS');
 * chai.expect(record).to.have.task('REST').with.output('status_code', 200);
 * scope.done();
 * ```
 *
 * @module testing
 */
import { requirePeers } from './peers.js';

requirePeers(['chai', 'nock']);

export { run, type TestRunOptions } from './run.js';
export { flowChai } from './chai.js';
export { generateTest } from './export-test.js';
