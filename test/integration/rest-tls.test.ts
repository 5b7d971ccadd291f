import { expect } from 'chai';
import { run, type Execution, type ExecutionTree, type RestOutputs } from '../helpers/lib.js';
import { selfSignedCert, type TestCert } from '../helpers/certs.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';

async function restTask(inputs: Record<string, unknown>): Promise<ExecutionTree> {
  const record = await run(async function (this: Execution, system) {
    await this.task('REST', inputs as never, { wait: system.return_when.ALL_ENDED });
  });
  return record.children[0]!;
}

describe('REST over TLS (a certificate made by the test)', () => {
  let cert: TestCert;
  let server: TestServer;
  before(async () => {
    cert = selfSignedCert();
    server = await startServer((_req, res) => sendJson(res, 200, { secure: true }), cert);
  });
  after(async () => server.close());

  it('refuses an untrusted certificate with a message naming cacert and verify_ssl, without retrying', async () => {
    const task = await restTask({ url: `${server.url}/x` });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.equal(
      `REST GET ${server.url}/x failed: the TLS certificate of 127.0.0.1:${server.port} was not accepted: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); to trust it, pass its CA certificate as "cacert" (PEM text), or set "verify_ssl": false to skip verification (insecure)`,
    );
    expect((task.output_value as unknown as RestOutputs).attempts).to.have.length(1);
  });

  it('trusts the certificate given as cacert, for that task only', async () => {
    const trusted = await restTask({ url: `${server.url}/x`, cacert: cert.cert });
    expect(trusted.status).to.equal('ENDED_SUCCESS');
    expect((trusted.output_value as unknown as RestOutputs).json).to.deep.equal({ secure: true });
    const other = await restTask({ url: `${server.url}/x` });
    expect(other.status).to.equal('ENDED_ERROR');
  });

  it('skips verification with verify_ssl: false', async () => {
    const task = await restTask({ url: `${server.url}/x`, verify_ssl: false });
    expect(task.status).to.equal('ENDED_SUCCESS');
  });

  it('refuses a certificate for another host even with cacert', async () => {
    const wrong = selfSignedCert('DNS:other.example', 'other.example');
    const wrongServer = await startServer((_req, res) => sendJson(res, 200, {}), wrong);
    try {
      const task = await restTask({ url: `${wrongServer.url}/x`, cacert: wrong.cert });
      expect(task.status).to.equal('ENDED_ERROR');
      expect(task.message).to.include(
        "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list:  (ERR_TLS_CERT_ALTNAME_INVALID)",
      );
      expect(task.message).to.include('the certificate is for other host names: use a host name it lists').and.include('"verify_ssl": false');
    } finally {
      await wrongServer.close();
    }
  });
});
