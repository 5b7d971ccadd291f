import { expect } from 'chai';
import { InputReader } from '../helpers/lib.js';
import { buildUrl, joinPath } from '../../lib/tasks/rest/url.js';
import { REST_INPUT_NAMES } from '../../lib/tasks/rest/inputs.js';

const url = (inputs: Record<string, unknown>) => buildUrl(new InputReader('REST', inputs, REST_INPUT_NAMES)).url.href;
const error = (inputs: Record<string, unknown>) => {
  try {
    url(inputs);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('REST URL building', () => {
  it('joins base_path and path with exactly one slash', () => {
    const table: [string, string, string][] = [
      ['api/', '/v1/items', '/api/v1/items'],
      ['/api', 'v1/items', '/api/v1/items'],
      ['/api//', '//v1/items', '/api/v1/items'],
      ['', 'items', '/items'],
      ['api', '', '/api'],
      ['', '', '/'],
      ['api', 'items/', '/api/items/'],
    ];
    for (const [base, path, expected] of table) expect(joinPath(base, path), `${base} + ${path}`).to.equal(expected);
  });

  it('builds scheme://hostname[:port]/base_path/path, https by default, default ports left out', () => {
    expect(url({ hostname: 'api.example.com', base_path: 'api/', path: '/v1/items' })).to.equal('https://api.example.com/api/v1/items');
    expect(url({ scheme: 'http', hostname: 'api.example.com', port: 8080, path: 'x' })).to.equal('http://api.example.com:8080/x');
    expect(url({ scheme: 'HTTP', hostname: 'h', port: 80 })).to.equal('http://h/');
    expect(url({ hostname: 'h', port: '8443' })).to.equal('https://h:8443/');
  });

  it('lets url win over the parts and appends path to it', () => {
    expect(url({ url: 'http://a.test/base', hostname: 'b.test', path: 'more' })).to.equal('http://a.test/base/more');
    expect(url({ url: 'http://a.test/base/?q=1', path: '/x' })).to.equal('http://a.test/base/x?q=1');
  });

  it('appends URL-encoded params to the query already there; arrays repeat; null is left out', () => {
    expect(url({ url: 'http://a.test/s?x=1', params: { q: 'a b&c', tag: ['t1', 't2'], skip: null, none: undefined, n: 5, yes: true } })).to.equal(
      'http://a.test/s?x=1&q=a+b%26c&tag=t1&tag=t2&n=5&yes=true',
    );
  });

  it('accepts IPv6 hosts with or without brackets', () => {
    expect(url({ scheme: 'http', hostname: '::1', port: 8080, path: 'x' })).to.equal('http://[::1]:8080/x');
    expect(url({ scheme: 'http', hostname: '[::1]' })).to.equal('http://[::1]/');
    expect(url({ url: 'http://[::1]:9/a' })).to.equal('http://[::1]:9/a');
  });

  it('says so when neither url nor hostname is given', () => {
    expect(error({ path: '/x' })).to.equal('REST: either "url" or "hostname" is required (for example url: "https://api.example.com/v1/items")');
  });

  it('refuses schemes other than http and https', () => {
    expect(error({ scheme: 'ftp', hostname: 'h' })).to.equal('REST input "scheme" must be "http" or "https", got the string "ftp"');
    expect(error({ url: 'ftp://h/x' })).to.equal('REST input "url" must be an http or https URL, got the string "ftp://h/x"');
  });

  it('refuses a relative url, a hostname with a scheme, and bad ports', () => {
    expect(error({ url: '/relative' })).to.equal(
      'REST input "url" must be an absolute http or https URL such as "https://api.example.com/items", got the string "/relative"',
    );
    expect(error({ hostname: 'https://h' })).to.match(/^REST input "hostname" must be a host name without a scheme/);
    expect(error({ hostname: 'h', port: 70000 })).to.equal('REST input "port" must be an integer from 1 to 65535, got the number 70000');
    expect(error({ hostname: 'h/path' })).to.match(/^REST input "hostname" must be a host name or an IP address \(no path/);
  });

  it('refuses params that are not scalars or lists of scalars', () => {
    expect(error({ url: 'http://h/', params: { a: { b: 1 } } })).to.equal(
      'REST input "params" must be an object of strings, finite numbers, booleans or lists of them (parameter "a"), got the object {"b":1}',
    );
  });
});
