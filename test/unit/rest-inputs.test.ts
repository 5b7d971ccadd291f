import { expect } from 'chai';
import { ExtraInputError, InvalidInputError, MissingInputError, Redactor } from '../helpers/lib.js';
import { normalizeRest } from '../../lib/tasks/rest/normalize.js';
import { FilesFolder } from '../../lib/core/files/folder.js';
import { Secrets } from '../../lib/core/config/secrets.js';
import { Grants } from '../../lib/auth/grants.js';
import { RunResources } from '../../lib/core/resources.js';
import { GRANT_TOKENS } from '../../lib/tasks/rest/grant-tokens.js';

const files = new FilesFolder('test/.tmp/unit-files');
function context(redactor = new Redactor(), grants: Record<string, Record<string, unknown>> = {}) {
  const secrets = new Secrets({ file: 'test/.tmp/no-such-secrets.env', values: { API_TOKEN: 'tok-from-secret-123' }, env: {} }, redactor);
  const resources = new RunResources();
  const configured = new Grants('test/.tmp/no-such-grants.json', secrets, grants);
  resources.provide(GRANT_TOKENS, () => ({ check: (name: string) => void configured.get(name), accessToken: async () => 'unused' }));
  return { redactor, files, secrets, resources, callKey: 'run-1-4' };
}
const normalize = (inputs: unknown) => normalizeRest(inputs, context());
const content = (request: ReturnType<typeof normalize>) => (request.body!.body.open() as Buffer).toString();
async function streamed(request: ReturnType<typeof normalize>): Promise<string> {
  const opened = request.body!.body.open();
  if (Buffer.isBuffer(opened)) return opened.toString();
  const chunks: Buffer[] = [];
  for await (const chunk of opened) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
function rejects(inputs: unknown): Error {
  try {
    normalize(inputs);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the inputs to be rejected');
}

describe('REST inputs', () => {
  it('names an unknown input, suggests the closest and lists the valid ones', () => {
    const error = rejects({ urll: 'http://h/' });
    expect(error).to.be.instanceOf(ExtraInputError);
    expect(error.message).to.equal('unknown REST input "urll" (did you mean "url"?); `npx flow describe REST` lists every input');
    expect((error as ExtraInputError).suggestion).to.equal('url');
  });

  it('suggests the input a porter means by the name other tools use', () => {
    expect(rejects({ hostname: 'httpbin.org', base_url: 'anything' }).message).to.equal(
      'unknown REST input "base_url" (did you mean "base_path"?); `npx flow describe REST` lists every input',
    );
    expect((rejects({ url: 'http://h/', timeout: 5 }) as ExtraInputError).suggestion).to.equal('total_timeout');
    expect((rejects({ url: 'http://h/', query: {} }) as ExtraInputError).suggestion).to.equal('params');
  });

  it('says what type an input must be and what it got', () => {
    const error = rejects({ url: 'http://h/', expected_status_code: '200' });
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.message).to.equal('REST input "expected_status_code" must be a list of integers (HTTP status codes 100-599), got the string "200"');
    expect(rejects({ url: 'http://h/', retry_status_code: [503, 'x'] }).message).to.equal(
      'REST input "retry_status_code" must be a list of integers (HTTP status codes 100-599), got the list [503,"x"]',
    );
    expect(rejects({ url: 'http://h/', read_timeout: 'ten' }).message).to.equal(
      'REST input "read_timeout" must be a number of seconds from 0 to 604800 (7 days; 0 or null for none), got the string "ten"',
    );
    expect(rejects({ url: 'http://h/', allow_redirects: 'yes' }).message).to.equal('REST input "allow_redirects" must be true or false, got the string "yes"');
    expect(rejects({ url: 'http://h/', max_redirects: -1 }).message).to.equal('REST input "max_redirects" must be an integer from 0 to 100, got the number -1');
    expect(rejects({ url: 42 }).message).to.equal('REST input "url" must be a string, got the number 42');
  });

  it('refuses loose values: an empty expected_status_code, non-finite params, control characters in the URL', () => {
    expect(rejects({ url: 'http://h/', expected_status_code: [] }).message).to.equal(
      'REST input "expected_status_code" must be a non-empty list of HTTP status codes (with none, every response would be a failure), got an empty list',
    );
    expect(normalize({ url: 'http://h/', retry_status_code: [] }).retryStatuses.size).to.equal(0);
    expect(rejects({ url: 'http://h/', params: { n: Number.POSITIVE_INFINITY } }).message).to.equal(
      'REST input "params" must be an object of strings, finite numbers, booleans or lists of them (parameter "n"), got the number Infinity',
    );
    expect(rejects({ url: 'http://h/', max_redirects: 1000 }).message).to.equal(
      'REST input "max_redirects" must be an integer from 0 to 100, got the number 1000',
    );
    expect(rejects({ url: 'http://h/a\r\nb' }).message).to.equal(
      'REST input "url" must be text without control characters or line breaks (U+000D at position 11), got the string "http://h/a\\r\\nb"',
    );
    expect(rejects({ url: 'http://h/', path: 'x\ty' }).message).to.match(
      /^REST input "path" must be text without control characters or line breaks \(U\+0009 at position 2\)/,
    );
  });

  it('keeps path under its base: dot segments may not climb above base_path or the path of url', () => {
    expect(normalize({ hostname: 'h', base_path: '/api/v1', path: 'items/../users' }).url.href).to.equal('https://h/api/v1/users');
    expect(rejects({ hostname: 'h', base_path: '/api/v1', path: '../../admin' }).message).to.equal(
      'REST input "path" must be a path that stays under "/api/v1" ("." and ".." segments may not climb above it; put the full path in "url" or "base_path" instead), got the string "../../admin"',
    );
    expect(rejects({ url: 'http://h/api/', path: '%2e%2e/secret' }).message).to.match(/^REST input "path" must be a path that stays under "\/api\/"/);
  });

  it('sends user:password in url as basic auth (never in the URL), and keeps an explicit Authorization', () => {
    const ctx = context();
    const request = normalizeRest({ url: 'http://ada:pa%20ss@h/x' }, ctx);
    expect(request.url.href).to.equal('http://h/x');
    expect(request.headers.get('authorization')).to.equal(`Basic ${Buffer.from('ada:pa ss').toString('base64')}`);
    expect(ctx.redactor.maskText('pa ss and pa%20ss')).to.equal('*** and ***');
    const explicit = normalize({ url: 'http://ada:pw@h/x', headers: { Authorization: 'Bearer t' } });
    expect(explicit.headers.get('authorization')).to.equal('Bearer t');
    expect(explicit.notes).to.include('the user and password in "url" were not sent: an Authorization header (or "auth") was given');
  });

  it('requires url or hostname', () => {
    const error = rejects({});
    expect(error).to.be.instanceOf(MissingInputError);
  });

  it('accepts a method in any case and lists the valid ones for an unknown one', () => {
    expect(normalize({ url: 'http://h/', method: 'pAtCh' }).method).to.equal('PATCH');
    expect(rejects({ url: 'http://h/', method: 'fetch' }).message).to.equal(
      'REST input "method" must be one of get, post, put, patch, delete, head, options (any case), got the string "fetch"',
    );
  });

  it('takes a single status code as a one-element list', () => {
    expect([...normalize({ url: 'http://h/', expected_status_code: 404 }).expected]).to.deep.equal([404]);
  });

  it('merges a partial retry_backoff with the defaults and checks every field', () => {
    expect(normalize({ url: 'http://h/', retry_backoff: { deadline: 5 } }).backoff).to.deep.equal({
      initialMs: 1000,
      maximumMs: 60000,
      multiplier: 2,
      deadlineMs: 5000,
    });
    expect(rejects({ url: 'http://h/', retry_backoff: { multiplier: 0.5 } }).message).to.equal(
      'REST input "retry_backoff.multiplier" must be a number from 1 to 1000, got the number 0.5',
    );
    expect(rejects({ url: 'http://h/', retry_backoff: { inital: 2 } }).message).to.match(
      /^REST input "retry_backoff" must be an object with the keys initial, maximum, multiplier, deadline \(unknown key "inital"\)/,
    );
  });

  it('treats timeouts of 0 or null as none', () => {
    expect(normalize({ url: 'http://h/', connect_timeout: 0, read_timeout: null, total_timeout: 2.5 }).timeouts).to.deep.equal({
      connect: null,
      read: null,
      total: 2500,
    });
  });

  describe('bodies', () => {
    it('sets the matching Content-Type for each body unless the user set one', () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ json: { a: 1 } }, 'application/json', '{"a":1}'],
        [{ text: 'hi' }, 'text/plain; charset=utf-8', 'hi'],
        [{ urlencoded: { a: 'x y', b: [1, 2] } }, 'application/x-www-form-urlencoded', 'a=x+y&b=1&b=2'],
        [{ urlencoded: 'raw=1' }, 'application/x-www-form-urlencoded', 'raw=1'],
      ];
      for (const [body, type, expected] of cases) {
        const request = normalize({ url: 'http://h/', method: 'post', ...body });
        expect(request.headers.get('content-type')).to.equal(type);
        expect(content(request)).to.equal(expected);
      }
      const custom = normalize({ url: 'http://h/', method: 'post', json: [], headers: { 'content-TYPE': 'application/vnd.x+json' } });
      expect(custom.headers.get('Content-Type')).to.equal('application/vnd.x+json');
    });

    it('treats data as a deprecated alias of json and notes it for the log', () => {
      const request = normalize({ url: 'http://h/', method: 'put', data: { a: 1 } });
      expect(content(request)).to.equal('{"a":1}');
      expect(request.notes).to.deep.equal(['REST input "data" is deprecated: use "json", which means the same']);
    });

    it('refuses two bodies at once, naming both', () => {
      expect(rejects({ url: 'http://h/', method: 'post', json: {}, text: 'x' }).message).to.equal(
        'REST inputs "json" and "text" cannot be used together: a request has one body; use only one of json, text, urlencoded, multipart, file',
      );
    });

    it('refuses a body on get, head and options', () => {
      expect(rejects({ url: 'http://h/', json: { a: 1 } }).message).to.equal(
        'REST input "json" needs method post, put, patch or delete; a GET request has no body',
      );
      expect(rejects({ url: 'http://h/', method: 'head', text: 'x' }).message).to.equal(
        'REST input "text" needs method post, put, patch or delete; a HEAD request has no body',
      );
    });

    it('encodes string parts of a multipart/form-data body', async () => {
      const request = normalize({
        url: 'http://h/',
        method: 'post',
        multipart: {
          'content-type': 'multipart/form-data',
          boundary: 'XyZ',
          parts: [
            { name: 'a', value: 'one' },
            { name: 'b"c', value: 'two', filename: 'b.txt', 'content-type': 'text/plain' },
          ],
        },
      });
      expect(request.headers.get('content-type')).to.equal('multipart/form-data; boundary=XyZ');
      expect(request.body!.body.length()).to.equal(Buffer.byteLength(await streamed(request)));
      expect(await streamed(request)).to.equal(
        '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\n' +
          '--XyZ\r\nContent-Disposition: form-data; name="b%22c"; filename="b.txt"\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--XyZ--\r\n',
      );
    });
  });

  describe('headers and cookies', () => {
    it('merges cookies into one Cookie header with one already in headers', () => {
      const request = normalize({ url: 'http://h/', headers: { cookie: 'a=1' }, cookies: { b: '2', c: 3 } });
      expect(request.headers.entries()).to.deep.equal([
        ['cookie', 'a=1; b=2; c=3'],
        ['User-Agent', 'flow_api/0.1.0'],
      ]);
    });

    it('refuses the same header twice in different case, and line breaks in values', () => {
      expect(rejects({ url: 'http://h/', headers: { Accept: 'a', accept: 'b' } }).message).to.match(/"Accept" and "accept" are the same header/);
      expect(rejects({ url: 'http://h/', headers: { 'X-A': 'a\r\nX-Injected: 1' } }).message).to.equal(
        'REST input "headers" must be an object of header values in Latin-1 without control characters (header "X-A" has a line break (U+000D) at position 2), got a value that cannot be sent',
      );
    });

    it('refuses what Node would refuse at send time, naming the input, never echoing the value', () => {
      expect(rejects({ url: 'http://h/', headers: { 'X-Name': 'Zoë ✓' } }).message).to.equal(
        'REST input "headers" must be an object of header values in Latin-1 without control characters (header "X-Name" has a character outside Latin-1 (U+2713) at position 5; encode it first (for example with encodeURIComponent)), got a value that cannot be sent',
      );
      expect(rejects({ url: 'http://h/', headers: { 'X-A': 'nul\0' } }).message).to.match(/header "X-A" has a control character \(U\+0000\) at position 4/);
      expect(rejects({ url: 'http://h/', headers: { 'X-N': Number.NaN } }).message).to.equal(
        'REST input "headers" must be an object of string values or finite numbers (header "X-N"), got the number NaN',
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'bearer', token: 'tok\r\nX-Evil: 1' } }).message).to.equal(
        'REST input "auth.token" must be a value that can be sent in a header (it has a line break (U+000D) at position 4), got a credential that cannot be sent',
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'api_key', name: 'X-Key', value: 'k\nv' } }).message).to.match(
        /^REST input "auth\.value" must be a value that can be sent in a header/,
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'api_key', name: 'X-Key', value: 'kv', scheme: 'To\0ken' } }).message).to.match(
        /^REST input "auth\.scheme" must be a prefix such as "Token" or "Bearer"/,
      );
      expect(rejects({ url: 'http://h/', dst: `${'x'.repeat(300)}.csv` }).message).to.match(
        /^REST input "dst" "x+\.csv" has a part of 304 bytes; file systems allow at most 255 bytes per name$/,
      );
    });

    it('refuses the headers the transport owns (request smuggling shapes), and checks Host', () => {
      expect(rejects({ url: 'http://h/', method: 'post', text: 'x', headers: { 'Transfer-Encoding': 'chunked' } }).message).to.equal(
        'REST input "headers" must be an object without "Transfer-Encoding": the transport sets it; with a Content-Length it would make a request-smuggling shape (RFC 9112 §6.1); leave it out, got the string "Transfer-Encoding"',
      );
      for (const name of ['Content-Length', 'Connection', 'Keep-Alive', 'Upgrade', 'TE', 'Trailer', 'Proxy-Connection']) {
        expect(rejects({ url: 'http://h/', headers: { [name]: '1' } }).message).to.include(`must be an object without "${name}"`);
      }
      expect(normalize({ url: 'http://127.0.0.1/', headers: { Host: 'api.example.com:8443' } }).headers.get('host')).to.equal('api.example.com:8443');
      expect(rejects({ url: 'http://h/', headers: { Host: 'evil.com/path' } }).message).to.equal(
        'REST input "headers" must be a "Host" that is a host name or IP address with an optional :port (RFC 9110 §7.2), got the string "evil.com/path"',
      );
    });

    it('refuses cookie values a cookie cannot hold (RFC 6265)', () => {
      for (const value of ['a b', 'a,b', 'a"b', 'a\\b', 'a;b']) {
        expect(rejects({ url: 'http://h/', cookies: { c: value } }).message).to.match(/^REST input "cookies" must be values of visible ASCII without spaces/);
      }
      expect(normalize({ url: 'http://h/', cookies: { c: '"quoted"', d: 'a=b/c' } }).headers.get('cookie')).to.equal('c="quoted"; d=a=b/c');
    });
  });

  it('names an unconfigured grant and explains that pass_user_token has no user', () => {
    expect(rejects({ url: 'http://h/', grant: 'github' }).message).to.equal(
      'grant "github" is not configured; add it to test/.tmp/no-such-grants.json, like {"github": {"type": "client_credentials", "token_url": "...", "client_id": "...", "client_secret": {"secret": "NAME"}}}',
    );
    expect(rejects({ url: 'http://h/', pass_user_token: true }).message).to.match(/^REST input "pass_user_token" needs a user token/);
  });

  it('checks cacert is PEM text', () => {
    expect(rejects({ url: 'https://h/', cacert: 'not a cert' }).message).to.equal(
      'REST input "cacert" must be PEM text of one or more certificates ("-----BEGIN CERTIFICATE-----..."), got text without a PEM certificate',
    );
  });

  describe('auth, proxy and client certificates', () => {
    it('turns auth into headers or a query parameter, with secret references resolved', () => {
      const basic = normalize({ url: 'http://h/', auth: { type: 'basic', username: 'ada', password: 'lovelace' } });
      expect(basic.headers.get('authorization')).to.equal(`Basic ${Buffer.from('ada:lovelace').toString('base64')}`);
      expect(normalize({ url: 'http://h/', auth: { type: 'bearer', token: { secret: 'API_TOKEN' } } }).headers.get('authorization')).to.equal(
        'Bearer tok-from-secret-123',
      );
      expect(normalize({ url: 'http://h/', auth: { type: 'api_key', name: 'X-Key', value: 'k1k2k3', scheme: 'Token' } }).headers.get('x-key')).to.equal(
        'Token k1k2k3',
      );
      expect(normalize({ url: 'http://h/?a=1', auth: { type: 'api_key', name: 'key', value: 'k1 k2', in: 'query' } }).url.href).to.equal(
        'http://h/?a=1&key=k1+k2',
      );
    });

    it('registers every credential with the redactor', () => {
      const ctx = context();
      normalizeRest(
        {
          url: 'http://h/',
          auth: { type: 'basic', username: 'ada', password: 'pw-lovelace' },
          client_cert: '-----BEGIN CERTIFICATE-----\nc\n-----END CERTIFICATE-----',
          client_key: '-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----',
        },
        ctx,
      );
      expect(ctx.redactor.maskText('pw-lovelace and -----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----')).to.equal('*** and ***');
    });

    it('explains each bad auth without echoing the credential', () => {
      expect(rejects({ url: 'http://h/', auth: 'Bearer x' }).message).to.equal(
        "REST input \"auth\" must be an object { type: 'basic', username, password }, { type: 'bearer', token } or { type: 'api_key', name, value, in?, scheme? }, got a string",
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'digest' } }).message).to.match(
        /; "type" must be one of basic, bearer, api_key, got the string "digest"$/,
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'basic', username: 'ada' } }).message).to.equal(
        'REST input "auth.password" must be a non-empty string (or { secret: \'NAME\' }), got undefined',
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'basic', username: 'ada', password: '' } }).message).to.equal(
        'REST input "auth.password" must be a non-empty string (or { secret: \'NAME\' }), got an empty string',
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'bearer', token: 'abc', user: 'x' } }).message).to.equal(
        'REST input "auth" must be bearer credentials with the fields token (unknown field "user"), got the string "user"',
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'basic', username: 'a:b', password: 'pw' } }).message).to.equal(
        'REST input "auth.username" must be a user name without ":" (RFC 7617), got the string "a:b"',
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'api_key', name: 'key', value: 'v', in: 'cookie' } }).message).to.equal(
        'REST input "auth.in" must be "header" or "query", got the string "cookie"',
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'api_key', name: 'key', value: 'v', in: 'query', scheme: 'Token' } }).message).to.equal(
        'REST input "auth.scheme" must be absent for an API key in the query (a scheme is a header prefix), got the string "Token"',
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'bearer', token: { secret: 'NOT_SET' } } }).message).to.match(
        /^REST input "auth\.token": secret "NOT_SET" not found; looked for the environment variable FLOW_SECRET_NOT_SET/,
      );
    });

    it('reads proxy as a URL, false, or the environment', () => {
      expect(normalize({ url: 'http://h/' }).proxy).to.deep.equal({ kind: 'env' });
      expect(normalize({ url: 'http://h/', proxy: false }).proxy).to.deep.equal({ kind: 'none' });
      expect(normalize({ url: 'http://h/', proxy: 'socks5://127.0.0.1:1080' }).proxy).to.deep.equal({ kind: 'url', url: 'socks5://127.0.0.1:1080' });
      expect(rejects({ url: 'http://h/', proxy: 8080 }).message).to.match(/^REST input "proxy" must be a proxy URL .*, got the number 8080$/);
      expect(rejects({ url: 'http://h/', proxy: 'not a url with secret-pw' }).message).to.match(/^REST input "proxy" must be a proxy URL/);
    });

    it('takes a grant only when it is configured, and lets an explicit Authorization header win', () => {
      const ctx = context(new Redactor(), { crm: { type: 'client_credentials', token_url: 'http://a/token', client_id: 'i', client_secret: 's' } });
      expect(normalizeRest({ url: 'http://h/', grant: 'crm' }, ctx).grant).to.equal('crm');
      const explicit = normalizeRest({ url: 'http://h/', grant: 'crm', headers: { Authorization: 'Bearer mine' } }, ctx);
      expect(explicit.grant).to.equal(undefined);
      expect(explicit.notes).to.include('grant "crm" not applied: the Authorization header was given explicitly');
    });
  });
});

describe('REST input idempotency_key', () => {
  it('sends true as a key made from the run and the seq, a string as it is, and lets an explicit header win', () => {
    const derived = normalize({ url: 'http://h/', method: 'post', json: {}, idempotency_key: true });
    expect(derived.headers.get('idempotency-key')).to.equal('run-1-4');
    expect(derived.idempotencyKey).to.equal('run-1-4');
    expect(normalize({ url: 'http://h/', method: 'post', json: {}, idempotency_key: 'order-77' }).headers.get('idempotency-key')).to.equal('order-77');
    const explicit = normalize({ url: 'http://h/', method: 'post', json: {}, idempotency_key: true, headers: { 'Idempotency-Key': 'mine' } });
    expect(explicit.idempotencyKey).to.equal('mine');
    expect(explicit.notes).to.include('"idempotency_key" not applied: the Idempotency-Key header was given explicitly');
    expect(normalize({ url: 'http://h/', method: 'post', json: {} }).idempotencyKey).to.equal(undefined);
  });

  it('refuses anything but true or a short string without control characters', () => {
    for (const bad of [1, '', 'x'.repeat(256), 'a\nb', { key: 1 }]) {
      expect(() => normalize({ url: 'http://h/', idempotency_key: bad })).to.throw(
        'REST input "idempotency_key" must be true or a string of 1 to 255 characters without control characters',
      );
    }
  });
});
