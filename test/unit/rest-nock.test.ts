import { expect } from 'chai';
import nock from 'nock';
import { run, type Execution, type RestOutputs } from '../helpers/lib.js';

const API = 'http://api.example.test';

/** Run one REST task in a flow and return the task's record. */
async function restTask(inputs: Record<string, unknown>) {
  const record = await run(async function (this: Execution, system) {
    await this.task('REST', inputs as never, { wait: system.return_when.ALL_ENDED });
  });
  return record.children[0]!;
}

describe('REST task (nock)', () => {
  before(() => nock.disableNetConnect());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('outputs status_code, lower-case headers, cookies, encoding, json, the text it was parsed from, and url', async () => {
    const scope = nock(API)
      .get('/items/7')
      .query({ expand: 'true' })
      .reply(200, { id: 7 }, { 'Content-Type': 'application/json; charset=utf-8', 'X-Trace': 'abc', 'Set-Cookie': ['sid=1; Path=/', 'lang=en'] });
    const task = await restTask({ url: `${API}/items/7`, params: { expand: true } });
    scope.done();
    const out = task.output_value as unknown as RestOutputs;
    expect(task.status).to.equal('ENDED_SUCCESS');
    expect(out.status_code).to.equal(200);
    expect(out.json).to.deep.equal({ id: 7 });
    expect(out.text).to.equal('{"id":7}');
    expect(out.headers['x-trace']).to.equal('abc');
    expect(out.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(out.cookies).to.deep.equal({ sid: '1', lang: 'en' });
    expect(out.encoding).to.equal('utf-8');
    expect(out.url).to.equal(`${API}/items/7?expand=true`);
    expect(out.attempts).to.have.length(1);
    expect(out.attempts[0]).to.include({ attempt: 1, status_code: 200 });
  });

  it('gives text (never json too) for a body that is not JSON, decoded with its charset', async () => {
    nock(API).get('/latin').reply(200, Buffer.from('caf\xe9', 'latin1'), { 'Content-Type': 'text/plain; charset=ISO-8859-1' });
    const out = (await restTask({ url: `${API}/latin` })).output_value as unknown as RestOutputs;
    expect(out.text).to.equal('café');
    expect(out).not.to.have.property('json');
    expect(out.encoding).to.equal('iso-8859-1');
  });

  it('keeps an invalid JSON body under a JSON content type as text, with a log line', async () => {
    nock(API).get('/bad').reply(200, '{"oops": ', { 'Content-Type': 'application/json' });
    const task = await restTask({ url: `${API}/bad` });
    expect(task.status).to.equal('ENDED_SUCCESS');
    expect((task.output_value as unknown as RestOutputs).text).to.equal('{"oops": ');
    expect(JSON.stringify(task.log)).to.include('the body is not valid JSON although Content-Type is application/json; it is kept as text');
  });

  it('decodes an unknown charset as utf-8 and says so in the log', async () => {
    nock(API).get('/x').reply(200, 'plain', { 'Content-Type': 'text/plain; charset=klingon' });
    const task = await restTask({ url: `${API}/x` });
    expect((task.output_value as unknown as RestOutputs).encoding).to.equal('utf-8');
    expect(JSON.stringify(task.log)).to.include('unknown charset \\"klingon\\" in Content-Type; decoded the body as utf-8');
  });

  it('ends ENDED_ERROR on an unexpected status, with the body start in the message and outputs recorded', async () => {
    nock(API).get('/missing').reply(404, 'x'.repeat(600), { 'Content-Type': 'text/plain' });
    const task = await restTask({ url: `${API}/missing` });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.equal(`REST GET ${API}/missing returned 404 Not Found; expected one of 200, 201, 202, 204; response body: ${'x'.repeat(500)}`);
    expect(task.output_value).to.include({ status_code: 404 });
    expect((task.output_value as unknown as RestOutputs).text).to.have.length(600);
  });

  it('accepts statuses listed in expected_status_code', async () => {
    nock(API).get('/gone').reply(410);
    const task = await restTask({ url: `${API}/gone`, expected_status_code: [410] });
    expect(task.status).to.equal('ENDED_SUCCESS');
    expect((task.output_value as unknown as RestOutputs).text).to.equal('');
  });

  it('sends headers, cookies and a JSON body as given', async () => {
    const scope = nock(API)
      .post('/items', { name: 'n' })
      .matchHeader('content-type', 'application/json')
      .matchHeader('x-api', 'v2')
      .matchHeader('cookie', 'a=1; b=2')
      .reply(201, { id: 1 });
    const task = await restTask({ url: `${API}/items`, method: 'POST', headers: { 'X-Api': 'v2' }, cookies: { a: '1', b: '2' }, json: { name: 'n' } });
    scope.done();
    expect(task.status).to.equal('ENDED_SUCCESS');
  });

  it('retries a 503 for any method and records every try', async () => {
    const scope = nock(API).post('/jobs').reply(503, 'busy').post('/jobs').reply(202, { queued: true });
    const task = await restTask({ url: `${API}/jobs`, method: 'post', json: {} });
    scope.done();
    const out = task.output_value as unknown as RestOutputs;
    expect(task.status).to.equal('ENDED_SUCCESS');
    expect(out.attempts.map((a) => a.status_code)).to.deep.equal([503, 202]);
    expect(out.attempts[0]!.retry_in).to.equal(1);
    // On the virtual clock the second try starts 1 s after the first, without the wait.
    expect(Date.parse(out.attempts[1]!.started_at) - Date.parse(out.attempts[0]!.started_at)).to.be.within(1000, 1500);
    expect(JSON.stringify(task.log)).to.include('retrying in 1 s');
  });

  it('fails at once on an unknown host name (waiting cannot heal it), and retries a temporary DNS failure', async () => {
    const notFound = () => Object.assign(new Error('getaddrinfo ENOTFOUND api.example.test'), { code: 'ENOTFOUND' });
    const scope = nock(API).post('/x').replyWithError(notFound());
    const task = await restTask({ url: `${API}/x`, method: 'post', json: {}, retry_backoff: { deadline: 1.5 } });
    scope.done();
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.equal(
      'REST POST http://api.example.test/x failed: host not found: DNS has no address for api.example.test (ENOTFOUND); check the host name',
    );
    const again = () => Object.assign(new Error('getaddrinfo EAI_AGAIN api.example.test'), { code: 'EAI_AGAIN' });
    const retried = nock(API).post('/y').replyWithError(again()).post('/y').reply(200, {});
    const later = await restTask({ url: `${API}/y`, method: 'post', json: {} });
    retried.done();
    expect(later.status).to.equal('ENDED_SUCCESS');
    expect(JSON.stringify(later.log)).to.include('retrying in 1 s (try 1 failed: DNS lookup failed temporarily for api.example.test:80 (EAI_AGAIN))');
  });

  it('retries a reset GET but never sends a POST twice after a reset', async () => {
    const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    nock(API).get('/r').replyWithError(reset()).get('/r').reply(200, 'ok');
    const get = await restTask({ url: `${API}/r` });
    expect(get.status).to.equal('ENDED_SUCCESS');
    expect((get.output_value as unknown as RestOutputs).attempts).to.have.length(2);

    const post = nock(API).post('/p').replyWithError(reset()).post('/p').reply(200, 'second');
    const task = await restTask({ url: `${API}/p`, method: 'post', text: 'once' });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.equal(`REST POST ${API}/p failed: the connection was reset by the server (ECONNRESET)`);
    expect(post.isDone()).to.equal(false);
    nock.cleanAll(); // the second POST interceptor stays unused on purpose
    expect(JSON.stringify(task.log)).to.include('not retried: a POST request may have reached the server, and POST is not idempotent');
  });

  it('sends a client-credentials token from a mocked token endpoint, and an API key in the query', async () => {
    const token = nock('https://auth.example.test')
      .post('/oauth/token', 'grant_type=client_credentials&scope=read')
      .basicAuth({ user: 'id', pass: 'nock-secret-1' })
      .reply(200, { access_token: 'nock-access-token', token_type: 'Bearer', expires_in: 600 });
    const api = nock(API, { reqheaders: { authorization: 'Bearer nock-access-token' } })
      .get('/me')
      .query({ api_key: 'nock-key-2' })
      .reply(200, { me: 'ada' });
    const record = await run(
      async function (this: Execution) {
        await this.task('REST', { url: `${API}/me`, grant: 'g', auth: { type: 'api_key', name: 'api_key', value: { secret: 'KEY' }, in: 'query' } });
      },
      {
        secrets: { KEY: 'nock-key-2', CS: 'nock-secret-1' },
        grants: {
          g: {
            type: 'client_credentials',
            token_url: 'https://auth.example.test/oauth/token',
            client_id: 'id',
            client_secret: { secret: 'CS' },
            scope: 'read',
          },
        },
      },
    );
    token.done();
    api.done();
    expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
    expect(JSON.stringify(record)).not.to.match(/nock-access-token|nock-key-2|nock-secret-1/);
  });
});
