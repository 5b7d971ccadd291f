import type { TLSSocket } from 'node:tls';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { MemoryStore, run, SqliteStore, type Execution, type ExecutionTree, type RestOutputs } from '../helpers/lib.js';
import { testPki } from '../helpers/certs.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth.js';
import { startHttpProxy, startSocks5Proxy } from '../helpers/proxy.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { fullBacklogPort } from '../helpers/backlog.js';

const outputs = (task: ExecutionTree) => task.output_value as unknown as RestOutputs;
const CLIENT = { id: 'flow-client', secret: 'client-secret-9f8e7d' };
const grantConfig = (oauth: OAuthServer, extra: Record<string, unknown> = {}) => ({
  type: 'client_credentials',
  token_url: `${oauth.url}/token`,
  client_id: CLIENT.id,
  client_secret: { secret: 'CLIENT_SECRET' },
  scope: ['read', 'write'],
  ...extra,
});

describe('authentication, secrets and network access (real servers on 127.0.0.1)', () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  describe('the auth input', () => {
    it('sends basic, bearer and API key credentials the way the server expects them, and records none of them', async () => {
      server = await startServer((req, res) => sendJson(res, 200, { authorization: req.headers.authorization ?? null, key: req.headers['x-api-key'] ?? null }));
      const url = `${server.url}/me`;
      const tree = await run(
        async function (this: Execution) {
          await this.task('REST', { url, auth: { type: 'basic', username: 'ada', password: { secret: 'PASSWORD' } } });
          await this.task('REST', { url, auth: { type: 'bearer', token: 'bearer-token-5a6b7c' } });
          await this.task('REST', { url, auth: { type: 'api_key', name: 'X-API-Key', value: 'api-key-1d2e3f' } });
          await this.task('REST', { url, auth: { type: 'api_key', name: 'X-API-Key', value: 'api-key-1d2e3f', scheme: 'Token' } });
          await this.task('REST', { url, auth: { type: 'api_key', name: 'api_key', value: 'api-key-query-4g5h', in: 'query' } });
        },
        { secrets: { PASSWORD: 'pa55-word-x9' } },
      );
      expect(tree.status).to.equal('ENDED_SUCCESS');
      const seen = server.requests;
      expect(seen[0]!.headers.authorization).to.equal(`Basic ${Buffer.from('ada:pa55-word-x9').toString('base64')}`);
      expect(seen[1]!.headers.authorization).to.equal('Bearer bearer-token-5a6b7c');
      expect(seen[2]!.headers['x-api-key']).to.equal('api-key-1d2e3f');
      expect(seen[3]!.headers['x-api-key']).to.equal('Token api-key-1d2e3f');
      expect(seen[4]!.url).to.equal('/me?api_key=api-key-query-4g5h');
      const recorded = JSON.stringify(tree);
      for (const secret of [
        'pa55-word-x9',
        'bearer-token-5a6b7c',
        'api-key-1d2e3f',
        'api-key-query-4g5h',
        Buffer.from('ada:pa55-word-x9').toString('base64'),
      ]) {
        expect(recorded).not.to.include(secret);
      }
      expect(tree.children[0]!.input_value.auth).to.deep.equal({ type: 'basic', username: 'ada', password: { secret: 'PASSWORD' } });
      expect(outputs(tree.children[4]!).url).to.equal(`${url}?api_key=***`);
    });

    it('lets an explicit Authorization header win over auth, and says so in the log', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      const tree = await run(async function (this: Execution) {
        await this.task('REST', {
          url: server!.url,
          headers: { authorization: 'Bearer explicit-token-1234' },
          auth: { type: 'bearer', token: 'auth-token-5678' },
        });
      });
      expect(server.requests[0]!.headers.authorization).to.equal('Bearer explicit-token-1234');
      expect(JSON.stringify(tree.children[0]!.log)).to.include('auth (bearer) not applied: the Authorization header was given explicitly');
    });
  });

  describe('secrets', () => {
    it('reads FLOW_SECRET_<NAME> from the environment, then NAME from secrets.env, and masks the values everywhere', async () => {
      const dir = tempDir('flow-secrets-');
      try {
        dir.write('secrets.env', '# comment\nFROM_FILE="file-secret-aa11"\nBOTH=from-file-loses\n');
        process.env.FLOW_SECRET_BOTH = 'env-secret-bb22';
        const tree = await run(
          async function (this: Execution, system) {
            this.log('values:', system.secret('FROM_FILE'), system.secret('BOTH'));
            this.set_output('echo', `${system.secret('FROM_FILE')}/${system.secret('BOTH')}`);
            this.success(`done with ${system.secret('BOTH')}`);
          },
          { configDir: dir.path },
        );
        expect(tree.log[0]).to.satisfy((entry: Record<string, unknown>) => JSON.stringify(Object.values(entry)[0]) === '["values:","***","***"]');
        expect(tree.output_value).to.deep.equal({ echo: '***/***' });
        expect(tree.message).to.equal('done with ***');
      } finally {
        delete process.env.FLOW_SECRET_BOTH;
        dir.cleanup();
      }
    });

    it('names both places it looked when a secret is missing', async () => {
      const dir = tempDir('flow-secrets-');
      try {
        const tree = await run(
          async function (this: Execution, system) {
            system.secret('NOPE');
          },
          { configDir: dir.path },
        );
        expect(tree.message).to.equal(
          `system.secret(): secret "NOPE" not found; looked for the environment variable FLOW_SECRET_NOPE and for a line NOPE=... in ${join(dir.path, 'secrets.env')}, which does not exist`,
        );
      } finally {
        dir.cleanup();
      }
    });
  });

  describe('connections', () => {
    it('merges a connection with the call: the call wins, headers merge by name, secrets are resolved', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      const dir = tempDir('flow-conn-');
      try {
        dir.write(
          'connections.json',
          JSON.stringify({
            crm: {
              scheme: 'http',
              hostname: '127.0.0.1',
              port: server.port,
              base_path: '/api/v2',
              headers: { 'X-Tenant': 'acme', Accept: 'text/plain' },
              auth: { type: 'bearer', token: { secret: 'CRM_TOKEN' } },
              read_timeout: 5,
            },
          }),
        );
        const tree = await run(
          async function (this: Execution, system) {
            const defaults = system.connection('crm');
            this.set_output('hostname', defaults.hostname);
            await this.connect('crm', { path: 'contacts', params: { page: 2 }, headers: { accept: 'application/json' } });
          },
          { configDir: dir.path, secrets: { CRM_TOKEN: 'crm-token-77aa' } },
        );
        expect(tree.status).to.equal('ENDED_SUCCESS');
        const request = server.requests[0]!;
        expect(request.url).to.equal('/api/v2/contacts?page=2');
        expect(request.headers['x-tenant']).to.equal('acme');
        expect(request.headers.accept).to.equal('application/json');
        expect(request.headers.authorization).to.equal('Bearer crm-token-77aa');
        expect(tree.children[0]!.name).to.equal('crm');
        expect(tree.children[0]!.input_value.auth).to.deep.equal({ type: 'bearer', token: { secret: 'CRM_TOKEN' } });
      } finally {
        dir.cleanup();
      }
    });

    it('also finds connections kept in the setting "connections" (flow setting set connections ...)', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
      const store = new MemoryStore();
      store.saveSetting('connections', { stored: { url: server.url, headers: { 'X-From': 'setting' } } });
      const tree = await run(
        async function (this: Execution) {
          await this.connect('stored', { path: '/x' });
        },
        { store, configDir: '/nonexistent-flow-config' },
      );
      expect(tree.status, tree.message ?? '').to.equal('ENDED_SUCCESS');
      expect(server.requests[0]!.url).to.equal('/x');
      expect(server.requests[0]!.headers['x-from']).to.equal('setting');
    });

    it('names the defined connections when one is unknown', async () => {
      const tree = await run(
        async function (this: Execution) {
          await this.connect('crn');
        },
        { connections: { crm: { hostname: 'h' }, erp: { hostname: 'e' } } },
      );
      expect(tree.message).to.match(/^connection "crn" is not defined \(did you mean "crm"\?\); defined connections: crm, erp/);
    });
  });

  describe('OAuth 2.0 grants', () => {
    let oauth: OAuthServer;
    beforeEach(async () => (oauth = await startOAuthServer(CLIENT)));
    afterEach(async () => oauth.close());

    it('fetches one client-credentials token for ten concurrent tasks and sends it as a bearer token', async () => {
      const tree = await run(
        async function (this: Execution, system) {
          const tasks = [];
          for (let i = 0; i < 10; i++) tasks.push(await this.task('REST', { url: `${oauth.url}/api/${i}`, grant: 'crm' }, { wait: false }));
          await this.wait_for(...tasks, { return_when: system.return_when.ALL_SUCCEEDED });
        },
        { grants: { crm: grantConfig(oauth) }, secrets: { CLIENT_SECRET: CLIENT.secret } },
      );
      expect(tree.status, tree.message ?? '').to.equal('ENDED_SUCCESS');
      expect(oauth.tokenRequests).to.have.length(1);
      const form = oauth.tokenRequests[0]!;
      expect(form.get('grant_type')).to.equal('client_credentials');
      expect(form.get('scope')).to.equal('read write');
      expect(form.get('client_secret')).to.equal(null); // basic client authentication by default
      const apiCalls = oauth.requests.filter((r) => r.url.startsWith('/api/'));
      expect(new Set(apiCalls.map((r) => r.headers.authorization))).to.deep.equal(new Set(['Bearer access-token-1-client_credentials']));
      expect(JSON.stringify(tree)).not.to.include('access-token-1');
      expect(JSON.stringify(tree)).not.to.include(CLIENT.secret);
    });

    it('sends the client credentials in the body when client_auth is "body"', async () => {
      await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${oauth.url}/api/x`, grant: 'crm' });
        },
        { grants: { crm: grantConfig(oauth, { client_auth: 'body' }) }, secrets: { CLIENT_SECRET: CLIENT.secret } },
      );
      expect(oauth.tokenRequests[0]!.get('client_secret')).to.equal(CLIENT.secret);
      expect(oauth.requests.find((r) => r.url === '/token')!.headers.authorization).to.equal(undefined);
    });

    it('caches the token in the store (encrypted) across runs and renews it shortly before it expires', async () => {
      const dir = tempDir('flow-grant-');
      try {
        const db = join(dir.path, 'executions.db');
        const options = { store: db, grants: { crm: grantConfig(oauth) }, secrets: { CLIENT_SECRET: CLIENT.secret } };
        const call = async function (this: Execution) {
          await this.task('REST', { url: `${oauth.url}/api/x`, grant: 'crm' });
        };
        await run(call, options);
        await run(call, options);
        expect(oauth.tokenRequests).to.have.length(1); // the second run used the stored token
        for (const file of ['executions.db', 'executions.db-wal']) {
          if (existsSync(join(dir.path, file))) expect(readFileSync(join(dir.path, file)).includes('access-token-1')).to.equal(false);
        }
        // A token within a minute of its expiry is renewed before use.
        oauth.expiresIn = 30;
        await run(call, { ...options, grants: { crm: grantConfig(oauth, { scope: 'other' }) } });
        expect(oauth.tokenRequests).to.have.length(1);
        new SqliteStore(db).close();
        const store = new SqliteStore(db);
        store.deleteSealed('grant:crm');
        store.close();
        await run(call, options); // no cached token: fetch one that expires in 30 s (inside the margin)
        await run(call, options); // so the next run fetches again
        expect(oauth.tokenRequests).to.have.length(3);
      } finally {
        dir.cleanup();
      }
    });

    it('renews the token once on a 401 and sends the request once more', async () => {
      const tree = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${oauth.url}/api/a`, grant: 'crm' });
          oauth.valid.clear(); // the server revokes every token
          await this.task('REST', { url: `${oauth.url}/api/b`, grant: 'crm' });
        },
        { grants: { crm: grantConfig(oauth) }, secrets: { CLIENT_SECRET: CLIENT.secret } },
      );
      expect(tree.status, tree.message ?? '').to.equal('ENDED_SUCCESS');
      expect(oauth.tokenRequests).to.have.length(2);
      expect(oauth.requests.map((r) => `${r.url} ${r.url === '/token' ? 'client' : r.headers.authorization}`)).to.deep.equal([
        '/token client',
        '/api/a Bearer access-token-1-client_credentials',
        '/api/b Bearer access-token-1-client_credentials',
        '/token client',
        '/api/b Bearer access-token-2-client_credentials',
      ]);
      expect(JSON.stringify(tree.children[1]!.log)).to.include('401 with grant \\"crm\\"\'s token: renewing the token and sending once more');
      expect(outputs(tree.children[1]!).attempts).to.have.length(1);
    });

    it('fails with the 401 when the renewed token is refused too, after exactly one renewal', async () => {
      oauth.valid.add = () => oauth.valid; // the API accepts no token at all
      const tree = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${oauth.url}/api/a`, grant: 'crm' });
        },
        { grants: { crm: grantConfig(oauth) }, secrets: { CLIENT_SECRET: CLIENT.secret } },
      );
      expect(tree.children[0]!.message).to.match(/^REST GET http:\/\/127\.0\.0\.1:\d+\/api\/a returned 401 Unauthorized; expected one of 200, 201, 202, 204/);
      expect(oauth.tokenRequests).to.have.length(2);
      expect(oauth.requests.filter((r) => r.url === '/api/a')).to.have.length(2);
    });

    it('names the grant, the endpoint and the status when the token endpoint refuses, never the secret', async () => {
      const tree = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${oauth.url}/api/a`, grant: 'crm' });
        },
        { grants: { crm: grantConfig(oauth) }, secrets: { CLIENT_SECRET: 'wrong-secret-0000' } },
      );
      expect(tree.children[0]!.message).to.equal(
        `REST GET ${oauth.url}/api/a failed: grant "crm": the token endpoint ${oauth.url}/token returned 401 Unauthorized: invalid_client (bad client credentials)`,
      );
      oauth.failWith = { status: 500, body: { echo: 'wrong-secret-0000' } };
      const again = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${oauth.url}/api/a`, grant: 'crm' });
        },
        { grants: { crm: grantConfig(oauth) }, secrets: { CLIENT_SECRET: 'wrong-secret-0000' } },
      );
      expect(again.children[0]!.message).to.equal(
        `REST GET ${oauth.url}/api/a failed: grant "crm": the token endpoint ${oauth.url}/token returned 500 Internal Server Error: {"echo":"***"}`,
      );
    });

    it('names a token endpoint that answers without an access_token', async () => {
      oauth.failWith = { status: 200, body: { token: 'not the field' } };
      const tree = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${oauth.url}/api/a`, grant: 'crm' });
        },
        { grants: { crm: grantConfig(oauth) }, secrets: { CLIENT_SECRET: CLIENT.secret } },
      );
      expect(tree.children[0]!.message).to.equal(
        `REST GET ${oauth.url}/api/a failed: grant "crm": the token endpoint ${oauth.url}/token answered 200 without an "access_token" in a JSON object (content-type application/json)`,
      );
    });

    it('rejects a badly configured grant at the task() call, naming the key', async () => {
      const tree = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${oauth.url}/api/a`, grant: 'crm' });
        },
        { grants: { crm: { type: 'client_credential', token_url: 'x' } }, store: new MemoryStore() },
      );
      expect(tree.message).to.equal('grant "crm": "type" must be "client_credentials" or "authorization_code", got the string "client_credential"');
    });
  });

  describe('proxies', () => {
    it('sends http requests through an http proxy with credentials, and masks the proxy password', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
      const proxy = await startHttpProxy('proxy-user:proxy-pass-3c4d');
      try {
        const proxyUrl = `http://proxy-user:proxy-pass-3c4d@127.0.0.1:${proxy.port}`;
        const tree = await run(async function (this: Execution) {
          await this.task('REST', { url: `${server!.url}/via`, proxy: proxyUrl });
        });
        expect(tree.status, tree.message ?? '').to.equal('ENDED_SUCCESS');
        expect(proxy.seen.map((s) => s.line)).to.deep.equal([`GET ${server.url}/via`]);
        expect(proxy.seen[0]!.proxyAuthorization).to.equal(`Basic ${Buffer.from('proxy-user:proxy-pass-3c4d').toString('base64')}`);
        expect(JSON.stringify(tree)).not.to.include('proxy-pass-3c4d');
        expect(tree.children[0]!.input_value.proxy).to.equal(`http://proxy-user:***@127.0.0.1:${proxy.port}/`);
      } finally {
        await proxy.close();
      }
    });

    it('says what to do when the proxy wants credentials (407), for http and for CONNECT tunnels', async () => {
      const pki = testPki();
      const secure = await startServer((_req, res) => sendJson(res, 200, {}), pki.server);
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      const proxy = await startHttpProxy('proxy-user:proxy-pass-9a8b');
      try {
        const tree = await run(async function (this: Execution, system) {
          await this.task('REST', { url: `${server!.url}/plain`, proxy: proxy.url }, { wait: system.return_when.ALL_ENDED });
          await this.task('REST', { url: `${secure.url}/tunnel`, proxy: proxy.url, cacert: pki.ca }, { wait: system.return_when.ALL_ENDED });
        });
        for (const [task, url] of [
          [tree.children[0]!, `${server.url}/plain`],
          [tree.children[1]!, `${secure.url}/tunnel`],
        ] as const) {
          expect(task.message).to.match(
            new RegExp(
              `^REST GET ${url.replace(/[.]/g, '\\.')} returned 407 Proxy Authentication Required; expected one of 200, 201, 202, 204; 407 comes from the proxy: give its credentials in the proxy URL, as http://user:password@host:port`,
            ),
          );
        }
      } finally {
        await proxy.close();
        await secure.close();
      }
    });

    it('tunnels https through CONNECT, and verifies the target certificate end to end', async () => {
      const pki = testPki();
      server = await startServer((_req, res) => sendJson(res, 200, { tls: true }), pki.server);
      const proxy = await startHttpProxy();
      try {
        const tree = await run(async function (this: Execution, system) {
          await this.task('REST', { url: `${server!.url}/secure`, proxy: proxy.url, cacert: pki.ca });
          await this.task('REST', { url: `${server!.url}/secure`, proxy: proxy.url }, { wait: system.return_when.ALL_ENDED });
        });
        expect(tree.children[0]!.status, tree.children[0]!.message ?? '').to.equal('ENDED_SUCCESS');
        expect(tree.children[1]!.message).to.match(/the TLS certificate of 127\.0\.0\.1:\d+ was not accepted/);
        expect(proxy.seen[0]!.line).to.equal(`CONNECT 127.0.0.1:${server.port}`);
      } finally {
        await proxy.close();
      }
    });

    it('goes through a SOCKS5 proxy', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
      const proxy = await startSocks5Proxy();
      try {
        const tree = await run(async function (this: Execution) {
          await this.task('REST', { url: `${server!.url}/socks`, proxy: proxy.url });
        });
        expect(tree.status, tree.message ?? '').to.equal('ENDED_SUCCESS');
        expect(proxy.seen.map((s) => s.line)).to.deep.equal([`CONNECT 127.0.0.1:${server.port}`]);
      } finally {
        await proxy.close();
      }
    });

    it('reads HTTP_PROXY and honours NO_PROXY; proxy: false connects directly', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      const proxy = await startHttpProxy();
      const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
      try {
        process.env.HTTP_PROXY = proxy.url;
        delete process.env.NO_PROXY;
        await run(async function (this: Execution) {
          await this.task('REST', { url: `${server!.url}/env` });
          await this.task('REST', { url: `${server!.url}/direct`, proxy: false });
        });
        process.env.NO_PROXY = '127.0.0.1';
        await run(async function (this: Execution) {
          await this.task('REST', { url: `${server!.url}/no-proxy` });
        });
        expect(proxy.seen.map((s) => s.line)).to.deep.equal([`GET ${server.url}/env`]);
        expect(server.requests.map((r) => r.url)).to.deep.equal(['/env', '/direct', '/no-proxy']);
      } finally {
        for (const [key, value] of Object.entries(saved))
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        await proxy.close();
      }
    });

    it('applies connect_timeout to a proxy that never accepts, and retries as for any unreachable host', async () => {
      const listener = await fullBacklogPort();
      try {
        const started = performance.now();
        const tree = await run(async function (this: Execution) {
          await this.task('REST', {
            url: 'http://127.0.0.1:9/',
            proxy: `http://127.0.0.1:${listener.port}`,
            connect_timeout: 0.3,
            retry_backoff: { deadline: 0.5 },
          });
        });
        expect(tree.children[0]!.message).to.match(/failed: connect_timeout of 0\.3 s fired before a connection to 127\.0\.0\.1:9 was made/);
        expect(outputs(tree.children[0]!).attempts[0]!.code).to.equal('ERR_CONNECT_TIMEOUT');
        expect(performance.now() - started).to.be.below(5000);
      } finally {
        listener.close();
      }
    });

    it('rejects a proxy that is not a URL without echoing its credentials', async () => {
      const tree = await run(async function (this: Execution) {
        await this.task('REST', { url: 'http://127.0.0.1:9/', proxy: 'ftp://user:hunter2-secret@proxy:21' });
      });
      expect(tree.message).to.equal(
        'REST input "proxy" must be a proxy URL (http://, https:// or socks5://, optionally with user:password@), or false for a direct connection, got the string "ftp://user:***@proxy/"',
      );
    });
  });

  describe('mutual TLS', () => {
    it('presents client_cert and client_key (PEM or secret references) to a server that requires them', async () => {
      const pki = testPki();
      server = await startServer((req, res) => sendJson(res, 200, { client: (req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? null }), {
        ...pki.server,
        ca: pki.ca,
        requestCert: true,
        rejectUnauthorized: true,
      } as never);
      const tree = await run(
        async function (this: Execution, system) {
          const ok = await this.task('REST', {
            url: `${server!.url}/mtls`,
            cacert: pki.ca,
            client_cert: pki.client.cert,
            client_key: { secret: 'CLIENT_KEY' },
          });
          this.set_output('client', ok.get('output_value').json.client);
          await this.task('REST', { url: `${server!.url}/mtls`, cacert: pki.ca }, { wait: system.return_when.ALL_ENDED });
        },
        { secrets: { CLIENT_KEY: pki.client.key } },
      );
      expect(tree.output_value).to.deep.equal({ client: 'flow-client' });
      expect(tree.children[1]!.status).to.equal('ENDED_ERROR');
      expect(JSON.stringify(tree)).not.to.include('PRIVATE KEY');
    });

    it('wants client_cert and client_key together, as PEM', async () => {
      const tree = await run(async function (this: Execution) {
        try {
          await this.task('REST', { url: 'https://127.0.0.1:9/', client_cert: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----' });
        } catch (error) {
          this.set_output('first', (error as Error).message);
        }
        await this.task('REST', { url: 'https://127.0.0.1:9/', client_cert: 'not pem', client_key: 'also not pem' });
      });
      expect(tree.output_value.first).to.equal('REST: "client_cert" and "client_key" go together for mutual TLS; only "client_cert" was given');
      expect(tree.message).to.equal(
        'REST input "client_cert" must be PEM text of a certificate ("-----BEGIN CERTIFICATE-----...") or { secret: \'NAME\' }, got text without a PEM certificate',
      );
    });
  });

  describe('protect_inputs and protect_outputs', () => {
    it('stores named inputs and outputs as *** while the handler still reads them', async () => {
      server = await startServer((req, res) => sendJson(res, 200, req.method === 'POST' ? { session: 'session-value-8899', user: 'ada' } : {}));
      const tree = await run(async function (this: Execution) {
        const task = await this.task('REST', {
          url: server!.url,
          method: 'post',
          json: { user: 'ada', pin: '4711-2233' },
          init: { protect_inputs: ['json'], protect_outputs: ['json'] },
        });
        this.set_output('user', task.get('output_value').json.user);
        await this.task('REST', { url: server!.url, params: { q: 'visible' } }, { init: { protect_inputs: ['params'] } });
      });
      expect(tree.output_value).to.deep.equal({ user: 'ada' });
      expect(tree.children[0]!.input_value.json).to.equal('***');
      expect(tree.children[0]!.output_value.json).to.equal('***');
      expect(tree.children[1]!.input_value.params).to.equal('***');
      expect(JSON.stringify(tree)).not.to.include('session-value-8899');
    });

    it('rejects an init that is not protect_inputs/protect_outputs lists', async () => {
      const tree = await run(async function (this: Execution) {
        await this.task('REST', { url: 'http://127.0.0.1:9/' }, { init: { protect_input: ['json'] } as never });
      });
      expect(tree.message).to.equal('task() "init" takes protect_inputs and protect_outputs, not "protect_input"');
    });
  });
});
