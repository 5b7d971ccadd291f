import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli, spawnCli } from '../helpers/cli.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth.js';
import { startHttpProxy } from '../helpers/proxy.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const CLIENT = { id: 'flow-client', secret: 'client-secret-9f8e7d' };

/** GET a URL and return the status and Location (the test plays the browser). */
function browse(url: string): Promise<{ status: number; location: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body }));
      })
      .on('error', reject);
  });
}

describe('flow CLI: settings, secrets, grants and the leak test', function () {
  this.timeout(60_000);
  let dir: TempDir;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = tempDir('flow-cli-secrets-');
    env = { FLOW_DB: join(dir.path, '.flow', 'executions.db'), FLOW_CONFIG_DIR: join(dir.path, '.flow') };
  });
  afterEach(() => dir.cleanup());

  it('flow setting set | get | list | delete round-trips JSON values, exit 1 for a missing one', async () => {
    expect((await runCli(['setting', 'set', 'limits', '{"max": 3}'], { env })).stdout.trim()).to.equal('setting "limits" = {"max":3}');
    expect((await runCli(['setting', 'set', 'region', 'eu-west'], { env })).code).to.equal(0);
    expect((await runCli(['setting', 'get', 'region'], { env })).stdout.trim()).to.equal('eu-west');
    expect(JSON.parse((await runCli(['setting', 'get', 'limits'], { env })).stdout)).to.deep.equal({ max: 3 });
    expect((await runCli(['setting', 'list'], { env })).stdout.trim()).to.equal('limits = {"max":3}\nregion = "eu-west"');
    expect(JSON.parse((await runCli(['setting', 'list', '--json'], { env })).stdout)).to.deep.equal({ limits: { max: 3 }, region: 'eu-west' });
    const handler = dir.write(
      'read-setting.ts',
      `export default async function (this: any, system: any) { this.success(JSON.stringify(system.setting('limits').get('value'))); }\n`,
    );
    expect((await runCli(['run', handler, '--json', '--quiet'], { env })).stdout).to.include('"message": "{\\"max\\":3}"');
    expect((await runCli(['setting', 'delete', 'region'], { env })).code).to.equal(0);
    const missing = await runCli(['setting', 'get', 'region'], { env });
    expect(missing.code).to.equal(1);
    expect(missing.stderr.trim()).to.equal(`flow: no setting named "region" in ${env.FLOW_DB}`);
  });

  it('warns when secrets.env can be read by other users', async () => {
    dir.write('.flow/secrets.env', 'TOKEN=abcdefgh\n', 0o644);
    const handler = dir.write('noop.ts', 'export default async function () {}\n');
    const result = await runCli(['run', handler, '--quiet'], { env });
    expect(result.code).to.equal(0);
    expect(result.stderr).to.include(
      `warning: the secrets file ${join(dir.path, '.flow', 'secrets.env')} can be read by other users (mode 644); run: chmod 600`,
    );
  });

  describe('with an OAuth server', () => {
    let oauth: OAuthServer;
    beforeEach(async () => {
      oauth = await startOAuthServer(CLIENT);
      dir.write('.flow/secrets.env', `CLIENT_SECRET=${CLIENT.secret}\n`, 0o600);
      dir.write(
        '.flow/grants.json',
        JSON.stringify({
          crm: {
            type: 'authorization_code',
            authorize_url: `${oauth.url}/authorize`,
            token_url: `${oauth.url}/token`,
            client_id: CLIENT.id,
            client_secret: { secret: 'CLIENT_SECRET' },
            scope: 'contacts',
          },
        }),
      );
    });
    afterEach(async () => oauth.close());

    /** `flow grant authorize NAME` in a child process, once it has printed the URL to open. */
    async function startAuthorize(name: string, timeoutSeconds: number) {
      const child = spawnCli(['grant', 'authorize', name, '--timeout', String(timeoutSeconds)], { cwd: dir.path, env });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        child.on('close', (code) => resolve({ code, stdout, stderr })),
      );
      const authorizeUrl = await new Promise<string>((resolve) => {
        child.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
          const match = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(stderr);
          if (match) resolve(match[1]!);
        });
      });
      return { authorizeUrl, done };
    }

    it('flow grant authorize runs the authorization-code flow with PKCE; later runs refresh the token on their own', async () => {
      oauth.expiresIn = 30; // inside the renewal margin: the next run must use the refresh token
      const session = await startAuthorize('crm', 20);
      const authorizeUrl = session.authorizeUrl;
      const url = new URL(authorizeUrl);
      expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
      expect(url.searchParams.get('scope')).to.equal('contacts');
      expect(url.searchParams.get('redirect_uri')).to.match(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const consent = await browse(authorizeUrl);
      expect(consent.status).to.equal(302);
      const callback = await browse(consent.location!);
      expect(callback.status).to.equal(200);
      expect(callback.body).to.include('is authorized');
      const { code, stdout, stderr } = await session.done;
      expect(code, stderr).to.equal(0);
      expect(stdout).to.include('grant "crm" is authorized; its tokens are stored (encrypted)');

      const handler = dir.write(
        'use-grant.ts',
        `export default async function (this: any) {\n  await this.task('REST', { url: '${oauth.url}/api/contacts', grant: 'crm' });\n}\n`,
      );
      const result = await runCli(['run', handler], { cwd: dir.path, env });
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      expect(oauth.tokenRequests.map((form) => form.get('grant_type'))).to.deep.equal(['authorization_code', 'refresh_token']);
      expect(oauth.tokenRequests[1]!.get('refresh_token')).to.equal('refresh-token-2');
      expect(result.stdout + result.stderr).not.to.include('refresh-token-');
    });

    it('flow grant authorize reports a refusal, a wrong state and a grant that needs no browser', async () => {
      const session = await startAuthorize('crm', 20);
      const url = new URL(session.authorizeUrl);
      const callback = new URL(url.searchParams.get('redirect_uri')!);
      callback.searchParams.set('state', 'not-the-state');
      callback.searchParams.set('code', 'stolen');
      expect((await browse(callback.href)).status).to.equal(400); // ignored: the flow keeps waiting
      callback.searchParams.set('state', url.searchParams.get('state')!);
      callback.searchParams.delete('code');
      callback.searchParams.set('error', 'access_denied');
      callback.searchParams.set('error_description', 'the user said no');
      expect((await browse(callback.href)).status).to.equal(400);
      const { code, stderr } = await session.done;
      expect(code).to.equal(1);
      expect(stderr).to.include('flow: grant "crm": the authorization server answered access_denied (the user said no)');
      expect(oauth.tokenRequests).to.have.length(0);

      dir.write(
        '.flow/grants.json',
        JSON.stringify({ cc: { type: 'client_credentials', token_url: `${oauth.url}/token`, client_id: CLIENT.id, client_secret: 'x' } }),
      );
      const cc = await runCli(['grant', 'authorize', 'cc'], { cwd: dir.path, env });
      expect(cc.code).to.equal(1);
      expect(cc.stderr.trim()).to.equal(
        'flow: grant "cc" is a client_credentials grant; only authorization_code grants are authorized in a browser (client credentials need no authorization)',
      );
    });

    it('flow grant authorize gives up after --timeout when no browser comes back', async () => {
      const session = await startAuthorize('crm', 0.5);
      const { code, stderr } = await session.done;
      expect(code).to.equal(1);
      expect(stderr).to.include('flow: grant "crm": no redirect arrived within 0.5 s; run the command again');
    });

    it('tells how to authorize a grant that has no refresh token yet', async () => {
      const handler = dir.write(
        'use-grant.ts',
        `export default async function (this: any) {\n  await this.task('REST', { url: '${oauth.url}/api/contacts', grant: 'crm' });\n}\n`,
      );
      const result = await runCli(['run', handler], { cwd: dir.path, env });
      expect(result.code).to.equal(1);
      expect(result.stdout).to.include(
        `REST GET ${oauth.url}/api/contacts failed: grant "crm" has no refresh token yet; authorize it once with: npx flow grant authorize crm`,
      );
    });
  });

  describe('leak test', () => {
    let api: TestServer;
    let oauth: OAuthServer;
    afterEach(async () => {
      await api?.close();
      await oauth?.close();
    });

    it('no secret value reaches the SQLite store, the terminal or --json output, whatever path it took', async () => {
      const secrets = {
        FILE_SECRET: 'file-secret-value-a1b2',
        ENV_SECRET: 'env-secret-value-c3d4',
        BASIC_PASSWORD: 'basic-password-e5f6',
        BEARER_TOKEN: 'bearer-token-g7h8',
        API_KEY: 'api-key-value-i9j0',
        QUERY_KEY: 'query-key-value-k1l2',
        CONN_TOKEN: 'connection-token-m3n4',
        PROXY_PASSWORD: 'proxy-password-o5p6',
        COOKIE: 'cookie-value-q7r8',
      };
      // Every request is echoed back whole: headers, query and body land in the outputs.
      api = await startServer((req, res) =>
        sendJson(res, req.url!.startsWith('/fail') ? 403 : 200, { url: req.url, headers: req.headers, body: req.body.toString() }),
      );
      oauth = await startOAuthServer(CLIENT);
      const proxy = await startHttpProxy(`proxy-user:${secrets.PROXY_PASSWORD}`);
      try {
        dir.write(
          '.flow/secrets.env',
          [
            `FILE_SECRET=${secrets.FILE_SECRET}`,
            `BASIC_PASSWORD=${secrets.BASIC_PASSWORD}`,
            `BEARER_TOKEN=${secrets.BEARER_TOKEN}`,
            `API_KEY=${secrets.API_KEY}`,
            `QUERY_KEY=${secrets.QUERY_KEY}`,
            `CONN_TOKEN=${secrets.CONN_TOKEN}`,
            `CLIENT_SECRET=${CLIENT.secret}`,
            `PROXY_PASSWORD=${secrets.PROXY_PASSWORD}`,
            `COOKIE=${secrets.COOKIE}`,
          ].join('\n'),
          0o600,
        );
        dir.write('.flow/connections.json', JSON.stringify({ api: { url: api.url, headers: { 'X-Conn-Token': { secret: 'CONN_TOKEN' } } } }));
        dir.write(
          '.flow/grants.json',
          JSON.stringify({
            cc: { type: 'client_credentials', token_url: `${oauth.url}/token`, client_id: CLIENT.id, client_secret: { secret: 'CLIENT_SECRET' } },
          }),
        );
        const handler = dir.write(
          'leaky.ts',
          `
import type { Execution, System } from 'flow_api';
export default async function handler(this: Execution, system: System) {
  const fromFile = system.secret('FILE_SECRET');
  const fromEnv = system.secret('ENV_SECRET');
  this.log('secrets in the log:', fromFile, fromEnv, { nested: fromEnv });
  const url = '${api.url}';
  await this.task('REST', { url: url + '/basic', auth: { type: 'basic', username: 'ada', password: { secret: 'BASIC_PASSWORD' } } });
  await this.task('REST', { url: url + '/bearer', auth: { type: 'bearer', token: { secret: 'BEARER_TOKEN' } } });
  await this.task('REST', { url: url + '/key', auth: { type: 'api_key', name: 'X-Key', value: { secret: 'API_KEY' }, scheme: 'Token' } });
  await this.task('REST', { url: url + '/query', auth: { type: 'api_key', name: 'key', value: { secret: 'QUERY_KEY' }, in: 'query' } });
  await this.task('REST', { url: url + '/cookie', cookies: { session: system.secret('COOKIE') } });
  await this.task('REST', { url: url + '/body', method: 'post', json: { note: fromFile } });
  await this.connect('api', { path: '/connection' });
  await this.task('REST', { url: '${oauth.url}/api/grant', grant: 'cc' });
  await this.task('REST', { url: url + '/proxied', proxy: { secret: 'PROXY_URL' } });
  this.set_output('echo', fromFile + ' ' + fromEnv);
  await this.task('REST', { url: url + '/fail/' + fromEnv, auth: { type: 'bearer', token: { secret: 'BEARER_TOKEN' } } });
}
`,
        );
        const runEnv = {
          ...env,
          FLOW_SECRET_ENV_SECRET: secrets.ENV_SECRET,
          FLOW_SECRET_PROXY_URL: `http://proxy-user:${secrets.PROXY_PASSWORD}@127.0.0.1:${proxy.port}`,
        };
        const outputs: string[] = [];
        const live = await runCli(['run', handler], { cwd: dir.path, env: runEnv });
        expect(live.code, live.stdout + live.stderr).to.equal(1);
        expect(live.stdout).to.match(/flow leaky ENDED_ERROR/);
        expect(live.stdout).to.include('returned 403 Forbidden');
        outputs.push(live.stdout, live.stderr);
        const json = await runCli(['run', handler, '--json'], { cwd: dir.path, env: runEnv });
        outputs.push(json.stdout, json.stderr);
        for (const args of [
          ['show', 'last'],
          ['show', 'last', '--json', '--full'],
          ['list', '--json', '--all'],
        ]) {
          const shown = await runCli(args, { cwd: dir.path, env });
          expect(shown.code, shown.stderr).to.equal(0);
          outputs.push(shown.stdout, shown.stderr);
        }
        // The flow really used every secret: the servers saw them.
        expect(proxy.seen).to.have.length(2);
        expect(api.requests.some((r) => r.headers['x-conn-token'] === secrets.CONN_TOKEN)).to.equal(true);
        expect(api.requests.some((r) => r.url === `/query?key=${secrets.QUERY_KEY}`)).to.equal(true);

        const storeFiles = readdirSync(join(dir.path, '.flow')).filter((f) => f.startsWith('executions.db'));
        expect(storeFiles).to.include('executions.db');
        const haystacks = [
          ...outputs.map((text, i) => ({ where: `CLI output #${i}`, text: Buffer.from(text) })),
          ...storeFiles.map((f) => ({ where: f, text: readFileSync(join(dir.path, '.flow', f)) })),
        ];
        const needles = [
          ...Object.values(secrets),
          CLIENT.secret,
          'access-token-1-client_credentials',
          Buffer.from(`ada:${secrets.BASIC_PASSWORD}`).toString('base64'),
        ];
        const leaks = haystacks.flatMap(({ where, text }) => needles.filter((needle) => text.includes(needle)).map((needle) => `${needle} in ${where}`));
        expect(leaks).to.deep.equal([]);
      } finally {
        await proxy.close();
      }
    });
  });
});
