import { join } from 'node:path';
import * as chai from 'chai';
import { flowChai, run } from 'flow_api/testing';
import type { Execution, System } from '../helpers/lib.js';
import { tempDir } from '../helpers/tmp.js';

chai.use(flowChai);
const { expect } = chai;

/** Reads a setting, a file, a secret and a connection, and reports them. */
async function reader(this: Execution, system: System) {
  this.set_output('limit', system.setting('limit').get('value'));
  this.set_output('csv', await system.file('in/data.csv').get_text_content());
  this.set_output('token_length', system.secret('TOKEN').length);
  this.set_output('host', system.connection('crm').hostname);
}

describe('flow_api/testing run()', () => {
  it('gives the flow settings, files, secrets and connections from the options only', async () => {
    const dir = tempDir();
    try {
      const options = {
        settings: { limit: { max: 3 } },
        files: { 'in/data.csv': 'a,b\n1,2\n' },
        secrets: { TOKEN: 'test-token-123' },
        connections: { crm: { hostname: 'crm.test' } },
        filesDir: join(dir.path, 'files'),
      };
      const expected = { limit: { max: 3 }, csv: 'a,b\n1,2\n', token_length: 14, host: 'crm.test' };
      expect(await run(reader, options))
        .to.have.status('ENDED_SUCCESS')
        .and.output('limit', expected.limit);
      const inSqlite = await run(reader, { ...options, store: join(dir.path, 'kit.db') });
      expect(inSqlite.output_value).to.deep.equal(expected);
    } finally {
      dir.cleanup();
    }
  });

  it('reads nothing from the environment: a missing secret names what was given', async () => {
    process.env.FLOW_SECRET_FROM_ENV = 'env-value-1';
    try {
      const record = await run(
        async function (this: Execution, system: System) {
          system.secret('FROM_ENV');
        },
        { secrets: { OTHER: 'x' } },
      );
      expect(record).to.have.message('system.secret(): secret "FROM_ENV" not found among the secrets given to run() (OTHER)');
    } finally {
      delete process.env.FLOW_SECRET_FROM_ENV;
    }
  });
});

describe('flow_api/testing peers', () => {
  it('names chai or nock when the project does not have them, with the command that adds them', async () => {
    const { requirePeers } = await import('../../lib/testing/peers.js');
    expect(() => requirePeers(['chai', 'nock'], '/nonexistent/project/node_modules/flow_api/dist/testing/index.js')).to.throw(
      'flow_api/testing needs "chai" and "nock" in your project (peer dependencies of flow_api): npm install --save-dev chai nock',
    );
    expect(() => requirePeers(['chai', 'nock'])).not.to.throw();
  });
});
