import { expect } from 'chai';
import { run, type Execution, type ExecutionTree, type RestAttempt } from '../helpers/lib.js';
import { faultyCerts, selfSignedCert } from '../helpers/certs.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';

describe('faults: TLS certificates that must not be trusted', function () {
  this.timeout(30_000);
  const servers: TestServer[] = [];
  let good: TestServer;
  let certs: ReturnType<typeof faultyCerts>;
  before(async () => {
    certs = faultyCerts();
    good = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
  });
  after(async () => {
    await good.close();
    for (const server of servers) await server.close();
  });

  async function tlsFault(cert: { cert: string; key: string }, inputs: Record<string, unknown>): Promise<ExecutionTree> {
    const server = await startServer((_req, res) => sendJson(res, 200, { reached: true }), cert);
    servers.push(server);
    const tree = await run(async function (this: Execution, system) {
      await this.task('REST', { url: `${server.url}/secret`, ...inputs } as never, { wait: system.return_when.ALL_ENDED });
      await this.task('REST', { url: `${good.url}/ok` });
    });
    expect(tree.status, 'the runner goes on after a TLS failure').to.equal('ENDED_SUCCESS');
    const task = tree.children[0]!;
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.output_value.attempts as unknown as RestAttempt[], 'a certificate is not retried: it will not change').to.have.length(1);
    return task;
  }

  it('an expired certificate', async () => {
    const task = await tlsFault(certs.expired, { cacert: certs.ca });
    expect(task.message).to.match(
      /^REST GET https:\/\/127\.0\.0\.1:\d+\/secret failed: the TLS certificate of 127\.0\.0\.1:\d+ was not accepted: certificate has expired \(CERT_HAS_EXPIRED\); the certificate is outside its validity period: the server must renew it, or set "verify_ssl": false to skip verification \(insecure\)$/,
    );
  });

  it('a self-signed certificate', async () => {
    const task = await tlsFault(selfSignedCert(), {});
    expect(task.message).to.match(
      /failed: the TLS certificate of 127\.0\.0\.1:\d+ was not accepted: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\); to trust it, pass its CA certificate as "cacert" \(PEM text\), or set "verify_ssl": false to skip verification \(insecure\)$/,
    );
  });

  it('a certificate for another host', async () => {
    const task = await tlsFault(certs.wrongHost, { cacert: certs.ca });
    expect(task.message).to.match(
      /failed: the TLS certificate of 127\.0\.0\.1:\d+ was not accepted: Hostname\/IP does not match certificate's altnames: .* \(ERR_TLS_CERT_ALTNAME_INVALID\); the certificate is for other host names: use a host name it lists, or set "verify_ssl": false to skip verification \(insecure\)$/,
    );
  });

  it('verify_ssl: false reaches each of them anyway (insecure, on purpose)', async () => {
    for (const cert of [certs.expired, certs.wrongHost]) {
      const server = await startServer((_req, res) => sendJson(res, 200, { reached: true }), cert);
      servers.push(server);
      const tree = await run(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/secret`, verify_ssl: false });
      });
      expect(tree.children[0]!.output_value.json).to.deep.equal({ reached: true });
    }
  });
});
