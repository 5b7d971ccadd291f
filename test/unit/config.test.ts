import { expect } from 'chai';
import { Redactor } from '../helpers/lib.js';
import { Secrets } from '../../lib/core/config/secrets.js';
import { Connections } from '../../lib/core/config/connections.js';
import { mergeConnection as mergeInputs } from '../../lib/tasks/rest/connection.js';
import { Grants } from '../../lib/auth/grants.js';
import { tempDir } from '../helpers/tmp.js';

describe('configuration: secrets, connections, grants', () => {
  describe('secrets', () => {
    it('looks in the given values, then FLOW_SECRET_<NAME>, then the dotenv file, and registers what it reads', () => {
      const dir = tempDir();
      try {
        const file = dir.write(
          'secrets.env',
          '# a comment\nQUOTED="with spaces # not a comment"\nexport EXPORTED=exp-value-1\nALL=from-file\nMULTI="line1\\nline2"\n',
        );
        const redactor = new Redactor();
        const secrets = new Secrets(
          { file, values: { ALL: 'from-values' }, env: { FLOW_SECRET_ALL: 'from-env', FLOW_SECRET_ENVONLY: 'env-only-1' } },
          redactor,
        );
        expect(secrets.get('ALL')).to.equal('from-values');
        expect(secrets.get('ENVONLY')).to.equal('env-only-1');
        expect(secrets.get('QUOTED')).to.equal('with spaces # not a comment');
        expect(secrets.get('EXPORTED')).to.equal('exp-value-1');
        expect(secrets.get('MULTI')).to.equal('line1\nline2');
        expect(redactor.maskText('x env-only-1 y with spaces # not a comment')).to.equal('x *** y ***');
      } finally {
        dir.cleanup();
      }
    });

    it('resolves { secret: NAME } references deep inside a value, leaving other objects alone', () => {
      const secrets = new Secrets({ file: '/nonexistent/secrets.env', values: { A: 'aaaa1' }, env: {} }, new Redactor());
      expect(secrets.resolve({ x: { secret: 'A' }, list: [{ secret: 'A' }, 'b'], other: { secret: 'A', extra: 1 } }, 'input')).to.deep.equal({
        x: 'aaaa1',
        list: ['aaaa1', 'b'],
        other: { secret: 'A', extra: 1 },
      });
    });

    it('says where it looked for a missing secret, and what a valid name is', () => {
      const secrets = new Secrets({ file: '/nonexistent/secrets.env', env: {} }, new Redactor());
      expect(() => secrets.get('MISSING')).to.throw(
        'secret(): secret "MISSING" not found; looked for the environment variable FLOW_SECRET_MISSING and for a line MISSING=... in /nonexistent/secrets.env, which does not exist',
      );
      expect(() => secrets.resolve({ token: { secret: 'NOPE' } }, 'REST input')).to.throw(/^REST input "token": secret "NOPE" not found/);
      expect(() => secrets.get('bad-name')).to.throw(
        'secret(): a secret name is letters, digits and "_" (not starting with a digit), got the string "bad-name"',
      );
    });
  });

  describe('connections', () => {
    it('merges: the call wins, headers by case-insensitive name, params/cookies/retry_backoff by key', () => {
      const merged = mergeInputs(
        {
          hostname: 'api.example.com',
          base_path: '/v1',
          headers: { Accept: 'text/plain', 'X-Tenant': 'a' },
          params: { a: 1 },
          retry_backoff: { initial: 2 },
          read_timeout: 5,
        },
        { path: '/items', headers: { accept: 'application/json' }, params: { b: 2 }, retry_backoff: { deadline: 30 }, read_timeout: 1 },
      );
      expect(merged).to.deep.equal({
        hostname: 'api.example.com',
        base_path: '/v1',
        path: '/items',
        headers: { 'X-Tenant': 'a', accept: 'application/json' },
        params: { a: 1, b: 2 },
        retry_backoff: { initial: 2, deadline: 30 },
        read_timeout: 1,
      });
    });

    it("drops the connection's URL parts when the call gives a url", () => {
      expect(
        mergeInputs({ scheme: 'http', hostname: 'h', port: 81, base_path: '/b', path: '/p', headers: { a: '1' } }, { url: 'https://other/x' }),
      ).to.deep.equal({
        headers: { a: '1' },
        url: 'https://other/x',
      });
    });

    it('reads connections.json and explains a bad file or an unknown name', () => {
      const dir = tempDir();
      try {
        const file = dir.write('connections.json', '{"crm": {"hostname": "crm.local"}}');
        expect(new Connections(file).get('crm')).to.deep.equal({ hostname: 'crm.local' });
        expect(() => new Connections(file).get('cmr')).to.throw(`connection "cmr" is not defined (did you mean "crm"?); defined connections: crm (in ${file})`);
        const bad = dir.write('bad.json', '{"crm": ');
        expect(() => new Connections(bad).get('crm')).to.throw(/^the connection file .*bad\.json is not valid JSON: /);
        const list = dir.write('list.json', '["crm"]');
        expect(() => new Connections(list).get('crm')).to.throw(
          `the connection file ${list} must hold a JSON object of named connections, like {"name": {...}}`,
        );
      } finally {
        dir.cleanup();
      }
    });
  });

  describe('grants', () => {
    const secrets = new Secrets({ file: '/nonexistent/secrets.env', values: { S: 'client-secret-1' }, env: {} }, new Redactor());
    const grants = (config: Record<string, unknown>) => new Grants('/cfg/grants.json', secrets, { g: config });
    const base = { type: 'client_credentials', token_url: 'https://auth.local/token', client_id: 'id', client_secret: { secret: 'S' } };

    it('checks a grant and resolves its secrets', () => {
      const grant = grants({ ...base, scopes: ['a', 'b'], client_auth: 'body', params: { audience: 'api' } }).get('g');
      expect(grant).to.include({ type: 'client_credentials', clientId: 'id', clientSecret: 'client-secret-1', scope: 'a b', clientAuth: 'body' });
      expect(grant.tokenUrl.href).to.equal('https://auth.local/token');
      expect(grant.params).to.deep.equal({ audience: 'api' });
    });

    it('names the key and the value for each mistake', () => {
      expect(() => grants({ ...base, type: 'password' }).get('g')).to.throw(
        'grant "g": "type" must be "client_credentials" or "authorization_code", got the string "password"',
      );
      expect(() => grants({ ...base, token_url: 'ftp://x' }).get('g')).to.throw(
        'grant "g": "token_url" must be an http or https URL, got the string "ftp://x"',
      );
      expect(() => grants({ ...base, client_id: undefined }).get('g')).to.throw('grant "g": "client_id" must be a non-empty string, got undefined');
      expect(() => grants({ ...base, client_secret: undefined }).get('g')).to.throw('grant "g": "client_secret" must be a non-empty string, got undefined');
      expect(() => grants({ ...base, tokne_url: 'x' }).get('g')).to.throw(
        /^grant "g": unknown key "tokne_url" \(did you mean "token_url"\?\); valid keys are: /,
      );
      expect(() => grants({ ...base, type: 'authorization_code' }).get('g')).to.throw('grant "g": "authorize_url" must be an http or https URL, got undefined');
      expect(() => grants({ ...base, client_auth: 'header' }).get('g')).to.throw('grant "g": "client_auth" must be "basic" or "body", got the string "header"');
      expect(() => grants(base).get('other')).to.throw(/^grant "other" is not configured; configured grants: g/);
    });
  });
});
