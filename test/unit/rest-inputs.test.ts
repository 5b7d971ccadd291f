import { expect } from 'chai';
import { ExtraInputError, InvalidInputError, MissingInputError, Redactor } from '../helpers/lib.js';
import { normalizeRest } from '../../lib/tasks/rest/normalize.js';
import { FilesFolder } from '../../lib/files/folder.js';
import { Secrets } from '../../lib/config/secrets.js';
import { Grants } from '../../lib/auth/grants.js';

const files = new FilesFolder('test/.tmp/unit-files');
function context(redactor = new Redactor(), grants: Record<string, Record<string, unknown>> = {}) {
  const secrets = new Secrets({ file: 'test/.tmp/no-such-secrets.env', values: { API_TOKEN: 'tok-from-secret-123' }, env: {} }, redactor);
  return { redactor, files, secrets, grants: new Grants('test/.tmp/no-such-grants.json', secrets, grants) };
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
    expect(error.message).to.match(/^unknown REST input "urll" \(did you mean "url"\?\); valid inputs are: url, scheme, hostname, port, base_path, path, params, method,/);
    expect((error as ExtraInputError).suggestion).to.equal('url');
  });

  it('says what type an input must be and what it got', () => {
    const error = rejects({ url: 'http://h/', expected_status_code: '200' });
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.message).to.equal('REST input "expected_status_code" must be a list of integers (HTTP status codes 100-599), got the string "200"');
    expect(rejects({ url: 'http://h/', retry_status_code: [503, 'x'] }).message).to.equal(
      'REST input "retry_status_code" must be a list of integers (HTTP status codes 100-599), got the list [503,"x"]',
    );
    expect(rejects({ url: 'http://h/', read_timeout: 'ten' }).message).to.equal('REST input "read_timeout" must be a number of seconds >= 0 (0 or null for none), got the string "ten"');
    expect(rejects({ url: 'http://h/', allow_redirects: 'yes' }).message).to.equal('REST input "allow_redirects" must be true or false, got the string "yes"');
    expect(rejects({ url: 'http://h/', max_redirects: -1 }).message).to.equal('REST input "max_redirects" must be an integer >= 0, got the number -1');
    expect(rejects({ url: 42 }).message).to.equal('REST input "url" must be a string, got the number 42');
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
    expect(normalize({ url: 'http://h/', retry_backoff: { deadline: 5 } }).backoff).to.deep.equal({ initialMs: 1000, maximumMs: 60000, multiplier: 2, deadlineMs: 5000 });
    expect(rejects({ url: 'http://h/', retry_backoff: { multiplier: 0.5 } }).message).to.equal('REST input "retry_backoff.multiplier" must be a number >= 1, got the number 0.5');
    expect(rejects({ url: 'http://h/', retry_backoff: { inital: 2 } }).message).to.match(/^REST input "retry_backoff" must be an object with the keys initial, maximum, multiplier, deadline \(unknown key "inital"\)/);
  });

  it('treats timeouts of 0 or null as none', () => {
    expect(normalize({ url: 'http://h/', connect_timeout: 0, read_timeout: null, total_timeout: 2.5 }).timeouts).to.deep.equal({ connect: null, read: null, total: 2500 });
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
      expect(rejects({ url: 'http://h/', json: { a: 1 } }).message).to.equal('REST input "json" needs method post, put, patch or delete; a GET request has no body');
      expect(rejects({ url: 'http://h/', method: 'head', text: 'x' }).message).to.equal('REST input "text" needs method post, put, patch or delete; a HEAD request has no body');
    });

    it('encodes string multipart parts', async () => {
      const request = normalize({
        url: 'http://h/', method: 'post',
        multipart: { boundary: 'XyZ', parts: [{ name: 'a', value: 'one' }, { name: 'b"c', value: 'two', filename: 'b.txt', 'content-type': 'text/plain' }] },
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
      expect(request.headers.entries()).to.deep.equal([['cookie', 'a=1; b=2; c=3']]);
    });

    it('refuses the same header twice in different case, and line breaks in values', () => {
      expect(rejects({ url: 'http://h/', headers: { Accept: 'a', accept: 'b' } }).message).to.match(/"Accept" and "accept" are the same header/);
      expect(rejects({ url: 'http://h/', headers: { 'X-A': 'a\r\nX-Injected: 1' } }).message).to.match(/header "X-A" contains a line break/);
    });
  });

  it('names an unconfigured grant and explains that pass_user_token has no user', () => {
    expect(rejects({ url: 'http://h/', grant: 'github' }).message).to.equal('grant "github" is not configured; add it to test/.tmp/no-such-grants.json, like {"github": {"type": "client_credentials", "token_url": "...", "client_id": "...", "client_secret": {"secret": "NAME"}}}');
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
      expect(normalize({ url: 'http://h/', auth: { type: 'bearer', token: { secret: 'API_TOKEN' } } }).headers.get('authorization')).to.equal('Bearer tok-from-secret-123');
      expect(normalize({ url: 'http://h/', auth: { type: 'api_key', name: 'X-Key', value: 'k1k2k3', scheme: 'Token' } }).headers.get('x-key')).to.equal('Token k1k2k3');
      expect(normalize({ url: 'http://h/?a=1', auth: { type: 'api_key', name: 'key', value: 'k1 k2', in: 'query' } }).url.href).to.equal('http://h/?a=1&key=k1+k2');
    });

    it('registers every credential with the redactor', () => {
      const ctx = context();
      normalizeRest({ url: 'http://h/', auth: { type: 'basic', username: 'ada', password: 'pw-lovelace' }, client_cert: '-----BEGIN CERTIFICATE-----\nc\n-----END CERTIFICATE-----', client_key: '-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----' }, ctx);
      expect(ctx.redactor.maskText('pw-lovelace and -----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----')).to.equal('*** and ***');
    });

    it('explains each bad auth without echoing the credential', () => {
      expect(rejects({ url: 'http://h/', auth: 'Bearer x' }).message).to.equal(
        "REST input \"auth\" must be an object { type: 'basic', username, password }, { type: 'bearer', token } or { type: 'api_key', name, value, in?, scheme? }, got a string",
      );
      expect(rejects({ url: 'http://h/', auth: { type: 'digest' } }).message).to.match(/; "type" must be one of basic, bearer, api_key, got the string "digest"$/);
      expect(rejects({ url: 'http://h/', auth: { type: 'basic', username: 'ada' } }).message).to.equal('REST input "auth.password" must be a non-empty string (or { secret: \'NAME\' }), got undefined');
      expect(rejects({ url: 'http://h/', auth: { type: 'basic', username: 'ada', password: '' } }).message).to.equal('REST input "auth.password" must be a non-empty string (or { secret: \'NAME\' }), got an empty string');
      expect(rejects({ url: 'http://h/', auth: { type: 'bearer', token: 'abc', user: 'x' } }).message).to.equal('REST input "auth" must be bearer credentials with the fields token (unknown field "user"), got the string "user"');
      expect(rejects({ url: 'http://h/', auth: { type: 'basic', username: 'a:b', password: 'pw' } }).message).to.equal('REST input "auth.username" must be a user name without ":" (RFC 7617), got the string "a:b"');
      expect(rejects({ url: 'http://h/', auth: { type: 'api_key', name: 'key', value: 'v', in: 'cookie' } }).message).to.equal('REST input "auth.in" must be "header" or "query", got the string "cookie"');
      expect(rejects({ url: 'http://h/', auth: { type: 'api_key', name: 'key', value: 'v', in: 'query', scheme: 'Token' } }).message).to.equal('REST input "auth.scheme" must be absent for an API key in the query (a scheme is a header prefix), got the string "Token"');
      expect(rejects({ url: 'http://h/', auth: { type: 'bearer', token: { secret: 'NOT_SET' } } }).message).to.match(/^REST input "auth\.token": secret "NOT_SET" not found; looked for the environment variable FLOW_SECRET_NOT_SET/);
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
