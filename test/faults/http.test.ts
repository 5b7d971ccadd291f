/**
 * Fault injection: a server that misbehaves on purpose, one case at a time. Each case checks the
 * task's final status, its message and its attempts, and that the next task of the same flow
 * still runs (the runner keeps going).
 */
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { run, type Execution, type ExecutionTree, type RestAttempt } from '../helpers/lib.js';
import { closedPort, sendJson, startServer } from '../helpers/server.js';
import { ok, response, startFaultyServer, type Fault, type FaultyServer } from '../helpers/faulty.js';

/** Run the faulty task, then a good one against `/ok`; return the faulty task's record. */
async function withFault(server: FaultyServer, inputs: Record<string, unknown>): Promise<ExecutionTree> {
  const tree = await run(async function (this: Execution, system) {
    await this.task('REST', inputs as never, { wait: system.return_when.ALL_ENDED });
    await this.task('REST', { url: `${server.url}/ok` });
  });
  expect(tree.status, `the flow went on after the fault: ${tree.message}`).to.equal('ENDED_SUCCESS');
  expect(tree.children[1]!.output_value.json).to.deep.equal({ ok: true });
  return tree.children[0]!;
}
const attempts = (task: ExecutionTree) => task.output_value.attempts as unknown as RestAttempt[];
const hang: Fault = () => undefined;

describe('faults: a misbehaving server', function () {
  this.timeout(30_000);
  let server: FaultyServer;
  afterEach(async () => server?.close());

  it('connection refused: retried with backoff until the deadline, then named', async () => {
    server = await startFaultyServer({});
    const port = await closedPort();
    const task = await withFault(server, { url: `http://127.0.0.1:${port}/x`, retry_backoff: { deadline: 1.5 } });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.match(
      new RegExp(
        `^REST GET http://127\\.0\\.0\\.1:${port}/x failed: connection refused: nothing is listening at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\) \\(after 2 tries over 1\\.\\d+ s\\)$`,
      ),
    );
    expect(attempts(task).map((a) => a.code)).to.deep.equal(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(attempts(task)[0]!.retry_in).to.equal(1);
  });

  it('reset before the headers: a GET is retried, a POST is not', async () => {
    let resets = 0;
    server = await startFaultyServer({
      '/reset': (socket) => (resets++ < 1 ? socket.resetAndDestroy() : ok(socket, { method: 'GET', path: '/reset', head: '' })),
      '/reset-post': (socket) => socket.resetAndDestroy(),
    });
    const get = await withFault(server, { url: `${server.url}/reset` });
    expect(get.status).to.equal('ENDED_SUCCESS');
    expect(attempts(get).map((a) => a.code ?? a.status_code)).to.deep.equal(['ECONNRESET', 200]);
    const post = await withFault(server, { url: `${server.url}/reset-post`, method: 'post', json: { n: 1 } });
    expect(post.status).to.equal('ENDED_ERROR');
    expect(post.message).to.equal(`REST POST ${server.url}/reset-post failed: the connection was reset by the server (ECONNRESET)`);
    expect(attempts(post)).to.have.length(1);
    expect(JSON.stringify(post.log)).to.include('not retried: a POST request may have reached the server, and POST is not idempotent');
  });

  it('reset mid-body: the cut is named with the bytes that arrived', async () => {
    server = await startFaultyServer({
      '/cut': (socket) => {
        socket.write(response('200 OK', { 'Content-Type': 'text/plain', 'Content-Length': 1000 }, 'x'.repeat(100)));
        setTimeout(() => socket.resetAndDestroy(), 20);
      },
    });
    const task = await withFault(server, { url: `${server.url}/cut`, retry_backoff: { deadline: 0 } });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.match(/failed: the connection closed after 100 of the 1000 bytes its Content-Length announced$/);
    expect(attempts(task)).to.have.length(1);
    expect(attempts(task)[0]!.code).to.equal('ERR_TRUNCATED_BODY');
  });

  it('a body shorter than Content-Length is an error, retried for a GET', async () => {
    server = await startFaultyServer({ '/short': (socket) => socket.end(response('200 OK', { 'Content-Length': 100 }, 'y'.repeat(50))) });
    const task = await withFault(server, { url: `${server.url}/short`, retry_backoff: { deadline: 1.5 } });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.match(/failed: the connection closed after 50 of the 100 bytes its Content-Length announced \(after 2 tries over 1\.\d+ s\)$/);
    expect(attempts(task).map((a) => a.code)).to.deep.equal(['ERR_TRUNCATED_BODY', 'ERR_TRUNCATED_BODY']);
  });

  it('truncated chunked encoding is an error, not a short body', async () => {
    server = await startFaultyServer({
      '/chunked': (socket) => socket.end(response('200 OK', { 'Transfer-Encoding': 'chunked', 'Content-Type': 'text/plain' }, '5\r\nhello\r\n')),
    });
    const task = await withFault(server, { url: `${server.url}/chunked`, retry_backoff: { deadline: 0 } });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.match(/failed: the connection closed after 5 bytes of the response body, before its end \(\w+\)$/);
    expect(task.output_value).not.to.have.property('text');
  });

  it('headers that never come: read_timeout fires, and the GET is retried', async () => {
    server = await startFaultyServer({ '/silent': hang });
    const task = await withFault(server, { url: `${server.url}/silent`, read_timeout: 0.2, retry_backoff: { deadline: 1.5 } });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.match(
      /failed: read_timeout of 0\.2 s fired: no data received for 0\.2 s while waiting for the response headers \(after 2 tries over 1\.\d+ s\)$/,
    );
    expect(attempts(task).map((a) => a.code)).to.deep.equal(['ERR_READ_TIMEOUT', 'ERR_READ_TIMEOUT']);
  });

  describe('a body that drips one byte at a time', () => {
    const drip =
      (everyMs: number): Fault =>
      (socket) => {
        socket.write(response('200 OK', { 'Content-Type': 'text/plain', 'Content-Length': 1000 }));
        const timer = setInterval(() => (socket.writable ? socket.write('.') : clearInterval(timer)), everyMs);
        socket.on('close', () => clearInterval(timer));
      };

    it('read_timeout does not fire while bytes keep coming; total_timeout ends it', async () => {
      server = await startFaultyServer({ '/drip': drip(100) });
      const started = performance.now();
      const task = await withFault(server, { url: `${server.url}/drip`, read_timeout: 0.5, total_timeout: 1 });
      expect(task.status).to.equal('ENDED_ERROR');
      expect(task.message).to.equal(`REST GET ${server.url}/drip failed: total_timeout of 1 s fired`);
      expect(attempts(task)).to.have.length(1);
      expect(performance.now() - started).to.be.within(900, 4000);
    });

    it('read_timeout fires when the drip is slower than it', async () => {
      server = await startFaultyServer({ '/drip': drip(600) });
      const task = await withFault(server, { url: `${server.url}/drip`, read_timeout: 0.3, retry_backoff: { deadline: 0 } });
      expect(task.message).to.match(
        /failed: read_timeout of 0\.3 s fired: no data received for 0\.3 s while waiting for the response body \(\d+ bytes received\)$/,
      );
    });
  });

  describe('429 with Retry-After', () => {
    it('honours Retry-After in seconds', async () => {
      let calls = 0;
      server = await startFaultyServer({
        '/limited': (socket, req) =>
          calls++ === 0 ? socket.write(response('429 Too Many Requests', { 'Retry-After': 2, 'Content-Length': 0 })) : ok(socket, req),
      });
      const task = await withFault(server, { url: `${server.url}/limited`, retry_status_code: [429, 503] });
      expect(task.status).to.equal('ENDED_SUCCESS');
      expect(attempts(task).map((a) => a.status_code)).to.deep.equal([429, 200]);
      expect(attempts(task)[0]!.retry_in).to.equal(2);
      // The second try starts the 2 s the server asked for after the first (on the virtual clock).
      expect(Date.parse(attempts(task)[1]!.started_at) - Date.parse(attempts(task)[0]!.started_at)).to.be.at.least(2000);
    });

    it('honours Retry-After as an HTTP date', async () => {
      let calls = 0;
      server = await startFaultyServer({
        '/limited': (socket, req) => {
          if (calls++ > 0) return ok(socket, req);
          // HTTP dates have whole seconds: a whole second 2 s past the next one is 2 to 3 s away
          // (less the milliseconds the answer takes to be read; the default backoff would be 1 s).
          const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000);
          socket.write(response('429 Too Many Requests', { 'Retry-After': at.toUTCString(), 'Content-Length': 0 }));
        },
      });
      const task = await withFault(server, { url: `${server.url}/limited`, retry_status_code: [429] });
      expect(task.status).to.equal('ENDED_SUCCESS');
      expect(attempts(task)[0]!.retry_in).to.be.within(1.5, 3);
      expect(JSON.stringify(task.log)).to.include('Retry-After');
    });

    it('stops at once when the Retry-After the server asks for ends after the deadline, and says so', async () => {
      server = await startFaultyServer({
        '/limited': (socket) => socket.write(response('429 Too Many Requests', { 'Retry-After': 3600, 'Content-Length': 0 })),
      });
      const started = performance.now();
      const task = await withFault(server, { url: `${server.url}/limited`, retry_status_code: [429], retry_backoff: { deadline: 1.5 } });
      expect(task.status).to.equal('ENDED_ERROR');
      expect(task.message).to.match(
        /returned 429 Too Many Requests; expected one of 200, 201, 202, 204; no retry: the server asked to wait 3600 s \(Retry-After\), which ends after the retry deadline of 1\.5 s$/,
      );
      expect(attempts(task).map((a) => a.retry_in)).to.deep.equal([undefined]);
      expect(performance.now() - started).to.be.below(1000);
    });
  });

  it('a 503 storm: tries until the deadline, then ends with the last 503', async () => {
    server = await startFaultyServer({
      '/storm': (socket) => socket.write(response('503 Service Unavailable', { 'Content-Type': 'text/plain', 'Content-Length': 4 }, 'busy')),
    });
    const task = await withFault(server, { url: `${server.url}/storm`, retry_backoff: { initial: 1, multiplier: 2, deadline: 2.5 } });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.match(
      /^REST GET http:\/\/127\.0\.0\.1:\d+\/storm returned 503 Service Unavailable; expected one of 200, 201, 202, 204 \(after 2 tries over [12]\.\d+ s\); response body: busy$/,
    );
    expect(attempts(task).map((a) => a.status_code)).to.deep.equal([503, 503]);
    expect(task.output_value.status_code).to.equal(503);
  });

  it('a redirect loop ends after max_redirects, naming it', async () => {
    server = await startFaultyServer({ '/loop': (socket) => socket.write(response('302 Found', { Location: '/loop', 'Content-Length': 0 })) });
    const task = await withFault(server, { url: `${server.url}/loop`, max_redirects: 3 });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.equal(
      `REST GET ${server.url}/loop failed: GET ${server.url}/loop: too many redirects (more than max_redirects = 3; the last one pointed to ${server.url}/loop); raise "max_redirects", or set "allow_redirects": false to receive the 3xx response`,
    );
    expect(server.seen.filter((line) => line === 'GET /loop')).to.have.length(4);
  });

  it('a redirect to another origin drops the credentials', async () => {
    const other = await startServer((req, res) => sendJson(res, 200, { authorization: req.headers.authorization ?? null, cookie: req.headers.cookie ?? null }));
    try {
      server = await startFaultyServer({ '/away': (socket) => socket.write(response('302 Found', { Location: `${other.url}/landing`, 'Content-Length': 0 })) });
      const task = await withFault(server, {
        url: `${server.url}/away`,
        auth: { type: 'bearer', token: 'redirect-token-1' },
        cookies: { sid: 'redirect-cookie-2' },
      });
      expect(task.status).to.equal('ENDED_SUCCESS');
      expect(task.output_value.json).to.deep.equal({ authorization: null, cookie: null });
      expect(JSON.stringify(task.log)).to.include(`redirect leaves ${server.url}: not sending cookie, authorization to ${other.url}`);
    } finally {
      await other.close();
    }
  });

  it('invalid JSON under application/json is kept as text and said in the log', async () => {
    server = await startFaultyServer({
      '/bad-json': (socket) => socket.write(response('200 OK', { 'Content-Type': 'application/json', 'Content-Length': 9 }, '{"oops": ')),
    });
    const task = await withFault(server, { url: `${server.url}/bad-json` });
    expect(task.status).to.equal('ENDED_SUCCESS');
    expect(task.output_value.text).to.equal('{"oops": ');
    expect(task.output_value).not.to.have.property('json');
    expect(JSON.stringify(task.log)).to.include('the body is not valid JSON although Content-Type is application/json; it is kept as text');
    const strict = await withFault(server, { url: `${server.url}/bad-json`, response_type: 'json' });
    expect(strict.status).to.equal('ENDED_ERROR');
    expect(strict.message).to.match(/the response body is not valid JSON \(response_type is "json"\)/);
  });

  it('an unknown charset is decoded as utf-8 and said in the log', async () => {
    server = await startFaultyServer({
      '/klingon': (socket) => socket.write(response('200 OK', { 'Content-Type': 'text/plain; charset=klingon', 'Content-Length': 5 }, 'qapla')),
    });
    const task = await withFault(server, { url: `${server.url}/klingon` });
    expect(task.output_value).to.include({ text: 'qapla', encoding: 'utf-8' });
    expect(JSON.stringify(task.log)).to.include('unknown charset \\"klingon\\" in Content-Type; decoded the body as utf-8');
  });

  it('10,000 headers or one 1 MiB header: refused at once, without retrying', async () => {
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`X-H${i}`, 'v']));
    server = await startFaultyServer({
      '/many': (socket) => socket.end(response('200 OK', { ...many, 'Content-Length': 0 })),
      '/huge': (socket) => socket.end(response('200 OK', { 'X-Big': 'a'.repeat(1 << 20), 'Content-Length': 0 })),
    });
    for (const path of ['/many', '/huge']) {
      const task = await withFault(server, { url: `${server.url}${path}` });
      expect(task.status).to.equal('ENDED_ERROR');
      expect(task.message).to.equal(
        `REST GET ${server.url}${path} failed: the response headers are larger than Node's limit of 16 KiB (HPE_HEADER_OVERFLOW; node --max-http-header-size raises it)`,
      );
      expect(attempts(task)).to.have.length(1);
    }
  });

  it('a gzip bomb stops at max_content_length on the decoded size, with memory to spare', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MiB of zeros in about 64 KiB
    server = await startFaultyServer({
      '/bomb': (socket) =>
        socket.write(response('200 OK', { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip', 'Content-Length': bomb.length }, bomb)),
    });
    const before = process.memoryUsage().rss;
    const task = await withFault(server, { url: `${server.url}/bomb`, max_content_length: 1024 * 1024 });
    expect(task.status).to.equal('ENDED_ERROR');
    expect(task.message).to.equal(
      `REST GET ${server.url}/bomb failed: the response body is larger than max_content_length = 1048576 bytes; raise "max_content_length", or set "response_type": "file" to stream the body to a file`,
    );
    expect(attempts(task)).to.have.length(1);
    expect(process.memoryUsage().rss - before).to.be.below(48 * 1024 * 1024);
  });
});
