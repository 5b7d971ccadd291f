import net from 'node:net';
import { expect } from 'chai';
import { run, type Execution, type ExecutionTree, type RestOutputs } from '../helpers/lib.js';
import { closedPort, sendJson, startServer, type TestServer } from '../helpers/server.js';
import { fullBacklogPort } from '../helpers/backlog.js';
import { selfSignedCert } from '../helpers/certs.js';
import http from 'node:http';

/** Run REST tasks in one flow (one run = one connection pool) and return the task records. */
async function restTasks(...list: Record<string, unknown>[]): Promise<ExecutionTree[]> {
  const record = await run(async function (this: Execution, system) {
    for (const inputs of list) await this.task('REST', inputs as never, { wait: system.return_when.ALL_ENDED });
  });
  return record.children;
}
const outputs = (task: ExecutionTree) => task.output_value as unknown as RestOutputs;

describe('REST transport (real servers on 127.0.0.1)', () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it('reuses one keep-alive connection across the tasks of a run', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    const tasks = await restTasks({ url: `${server.url}/a` }, { url: `${server.url}/b` }, { url: `${server.url}/c`, method: 'post', json: { x: 1 } });
    expect(tasks.map((t) => t.status)).to.deep.equal(['ENDED_SUCCESS', 'ENDED_SUCCESS', 'ENDED_SUCCESS']);
    expect(server.connections).to.equal(1);
    expect(server.requests[2]!.body.toString()).to.equal('{"x":1}');
  });

  it('retries a refused connection for any method, then fails naming the host and the tries', async () => {
    const port = await closedPort();
    const [task] = await restTasks({ url: `http://127.0.0.1:${port}/x`, method: 'post', json: {}, retry_backoff: { deadline: 1.5 } });
    expect(task!.status).to.equal('ENDED_ERROR');
    expect(task!.message).to.match(
      new RegExp(
        `^REST POST http://127.0.0.1:${port}/x failed: connection refused: nothing is listening at 127.0.0.1:${port} \\(ECONNREFUSED\\) \\(after 2 tries over 1\\.\\d+ s\\)$`,
      ),
    );
    expect(outputs(task!).attempts.map((a) => a.code)).to.deep.equal(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(JSON.stringify(task!.log)).to.include('no retry: the next try would start after the retry deadline of 1.5 s');
  });

  describe('timeouts', () => {
    it('read_timeout fires when the headers never come, naming the timeout and its value', async () => {
      server = await startServer(() => undefined); // never answers
      const [task] = await restTasks({ url: `${server.url}/slow`, read_timeout: 0.2, retry_backoff: { deadline: 0 } });
      expect(task!.status).to.equal('ENDED_ERROR');
      expect(task!.message).to.equal(
        `REST GET ${server.url}/slow failed: read_timeout of 0.2 s fired: no data received for 0.2 s while waiting for the response headers`,
      );
      expect(outputs(task!).attempts[0]!.duration).to.be.within(0.15, 1);
    });

    it('read_timeout fires when the body stalls, but not while bytes keep coming', async () => {
      server = await startServer(async (req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 5; i++) {
          res.write('x');
          await new Promise((r) => setTimeout(r, 60));
        }
        if (req.url === '/stall') return; // never ends
        res.end();
      });
      const [steady, stalled] = await restTasks(
        { url: `${server.url}/steady`, read_timeout: 0.2 },
        { url: `${server.url}/stall`, read_timeout: 0.2, retry_backoff: { deadline: 0 } },
      );
      expect(steady!.status).to.equal('ENDED_SUCCESS');
      expect(outputs(steady!).text).to.equal('xxxxx');
      expect(stalled!.message).to.equal(
        `REST GET ${server.url}/stall failed: read_timeout of 0.2 s fired: no data received for 0.2 s while waiting for the response body (5 bytes received)`,
      );
    });

    it('total_timeout bounds the whole task, retries and delays included', async () => {
      server = await startServer((_req, res) => sendJson(res, 503, { busy: true }));
      const started = Date.now();
      const [task] = await restTasks({ url: `${server.url}/busy`, total_timeout: 1.5 });
      // The delays run on the test's virtual clock: counted in the record, not waited for.
      expect(Date.now() - started).to.be.below(1000);
      expect(task!.duration).to.be.within(1.4, 2.5);
      expect(task!.status).to.equal('ENDED_ERROR');
      expect(task!.message).to.match(new RegExp(`^REST GET ${server.url}/busy failed: total_timeout of 1.5 s fired \\(after 2 tries over 1\\.\\d+ s\\)$`));
    });

    it('connect_timeout fires when the TCP connection is never accepted, and is retried for a POST', async () => {
      const listener = await fullBacklogPort();
      try {
        const started = Date.now();
        const [task] = await restTasks({
          url: `http://127.0.0.1:${listener.port}/x`,
          method: 'post',
          json: {},
          connect_timeout: 0.3,
          retry_backoff: { deadline: 1.5 },
        });
        expect(task!.status).to.equal('ENDED_ERROR');
        expect(task!.message).to.match(
          new RegExp(
            `^REST POST http://127.0.0.1:${listener.port}/x failed: connect_timeout of 0.3 s fired before a connection to 127.0.0.1:${listener.port} was made \\(after 2 tries over 1\\.\\d+ s\\)$`,
          ),
        );
        const attempts = outputs(task!).attempts;
        expect(attempts.map((a) => a.code)).to.deep.equal(['ERR_CONNECT_TIMEOUT', 'ERR_CONNECT_TIMEOUT']);
        // Each connect timeout is real (0.3 s); the 1 s backoff between them is virtual.
        expect(attempts.map((a) => a.duration).every((d) => d >= 0.25 && d < 1)).to.equal(true);
        expect(Date.parse(attempts[1]!.started_at) - Date.parse(attempts[0]!.started_at)).to.be.within(1250, 2000);
        expect(Date.now() - started).to.be.below(1500);
      } finally {
        listener.close();
      }
    });

    it('a read_timeout after a POST was sent is not retried', async () => {
      server = await startServer(() => undefined);
      const [task] = await restTasks({ url: `${server.url}/slow`, method: 'post', text: 'once', read_timeout: 0.2 });
      expect(task!.status).to.equal('ENDED_ERROR');
      expect(outputs(task!).attempts).to.have.length(1);
      expect(server.requests).to.have.length(1);
      expect(task!.message).to.equal(
        `REST POST ${server.url}/slow failed: read_timeout of 0.2 s fired: no data received for 0.2 s while waiting for the response headers`,
      );
    });

    it('connect_timeout fires when the TLS handshake never completes', async () => {
      const sockets: net.Socket[] = [];
      const silent = net.createServer((socket) => void sockets.push(socket)); // accepts TCP, never speaks TLS
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as net.AddressInfo).port;
      try {
        const [task] = await restTasks({ url: `https://127.0.0.1:${port}/`, connect_timeout: 0.2, retry_backoff: { deadline: 0 } });
        expect(task!.status).to.equal('ENDED_ERROR');
        expect(task!.message).to.equal(
          `REST GET https://127.0.0.1:${port}/ failed: connect_timeout of 0.2 s fired before a connection to 127.0.0.1:${port} was made`,
        );
        expect(outputs(task!).attempts[0]!.code).to.equal('ERR_CONNECT_TIMEOUT');
      } finally {
        sockets.forEach((s) => s.destroy());
        silent.close();
      }
    });
  });

  describe('retries', () => {
    it('honours Retry-After (seconds) when it is longer than the backoff', async () => {
      let calls = 0;
      server = await startServer((_req, res) => (calls++ === 0 ? sendJson(res, 503, {}, { 'Retry-After': '2' }) : sendJson(res, 200, { calls })));
      const [task] = await restTasks({ url: `${server.url}/ra` });
      const attempts = outputs(task!).attempts;
      expect(Date.parse(attempts[1]!.started_at) - Date.parse(attempts[0]!.started_at)).to.be.within(2000, 2500);
      expect(task!.status).to.equal('ENDED_SUCCESS');
      expect(outputs(task!).attempts[0]!.retry_in).to.equal(2);
      expect(JSON.stringify(task!.log)).to.include('honouring Retry-After of 2 s; retrying in 2 s');
    });

    it('never retries a status the user expects, even if it is a retry status', async () => {
      server = await startServer((_req, res) => sendJson(res, 503, {}));
      const [task] = await restTasks({ url: `${server.url}/x`, expected_status_code: [200, 503] });
      expect(task!.status).to.equal('ENDED_SUCCESS');
      expect(outputs(task!).attempts).to.have.length(1);
    });

    it('ends with the last retried status when the deadline passes', async () => {
      server = await startServer((_req, res) => sendJson(res, 502, { bad: 'gateway' }));
      const [task] = await restTasks({ url: `${server.url}/x`, retry_backoff: { deadline: 1.5 } });
      expect(task!.status).to.equal('ENDED_ERROR');
      expect(task!.message).to.match(
        /returned 502 Bad Gateway; expected one of 200, 201, 202, 204 \(after 2 tries over 1\.\d+ s\); response body: \{"bad":"gateway"\}$/,
      );
    });
  });

  describe('requests and responses', () => {
    it('sends text, urlencoded and multipart bodies with their content types', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      await restTasks(
        { url: `${server.url}/t`, method: 'put', text: 'héllo' },
        { url: `${server.url}/u`, method: 'post', urlencoded: { q: 'a b', n: [1, 2] } },
        {
          url: `${server.url}/m`,
          method: 'post',
          multipart: { 'content-type': 'multipart/form-data', boundary: 'b0undary', parts: [{ name: 'field', value: 'v' }] },
        },
        { url: `${server.url}/d`, method: 'patch', data: { legacy: true } },
      );
      const [text, form, multipart, data] = server.requests;
      expect([text!.method, text!.headers['content-type'], text!.body.toString()]).to.deep.equal(['PUT', 'text/plain; charset=utf-8', 'héllo']);
      expect([form!.headers['content-type'], form!.body.toString()]).to.deep.equal(['application/x-www-form-urlencoded', 'q=a+b&n=1&n=2']);
      expect(multipart!.headers['content-type']).to.equal('multipart/form-data; boundary=b0undary');
      expect(multipart!.body.toString()).to.equal('--b0undary\r\nContent-Disposition: form-data; name="field"\r\n\r\nv\r\n--b0undary--\r\n');
      expect(multipart!.headers['content-length']).to.equal(String(multipart!.body.length));
      expect([data!.method, data!.headers['content-type'], data!.body.toString()]).to.deep.equal(['PATCH', 'application/json', '{"legacy":true}']);
    });

    it('logs a deprecation line for the data input', async () => {
      server = await startServer((_req, res) => sendJson(res, 200, {}));
      const [task] = await restTasks({ url: `${server.url}/d`, method: 'post', data: {} });
      expect(JSON.stringify(task!.log)).to.include('REST input \\"data\\" is deprecated: use \\"json\\", which means the same');
    });

    it('joins repeated response headers with ", " and keeps set-cookie as a list', async () => {
      server = await startServer((_req, res) => {
        res.setHeader('X-Multi', ['one', 'two']);
        res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; HttpOnly']);
        sendJson(res, 200, {});
      });
      const [task] = await restTasks({ url: `${server.url}/h` });
      expect(outputs(task!).headers['x-multi']).to.equal('one, two');
      expect(outputs(task!).cookies).to.deep.equal({ a: '1', b: '2' });
    });

    it('sends HEAD and OPTIONS requests and records an empty text body', async () => {
      server = await startServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', allow: 'GET, HEAD' });
        res.end(req.method === 'HEAD' ? undefined : '');
      });
      const [head, options] = await restTasks({ url: `${server.url}/x`, method: 'HEAD' }, { url: `${server.url}/x`, method: 'options' });
      expect(outputs(head!)).to.include({ status_code: 200, text: '' });
      expect(outputs(options!).headers.allow).to.equal('GET, HEAD');
      expect(server.requests.map((r) => r.method)).to.deep.equal(['HEAD', 'OPTIONS']);
    });

    it("fails at once, without retrying, on response headers over Node's limit or an invalid response", async () => {
      const raw = net.createServer((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', (request) => {
          socket.end(
            request.toString().startsWith('GET /huge')
              ? `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(1 << 20)}\r\nContent-Length: 2\r\n\r\nok`
              : 'SMTP READY\r\n\r\n',
          );
        });
      });
      await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(raw.address() as net.AddressInfo).port}`;
      try {
        const [huge, invalid] = await restTasks({ url: `${base}/huge` }, { url: `${base}/invalid` });
        expect(huge!.message).to.equal(
          `REST GET ${base}/huge failed: the response headers are larger than Node's limit of 16 KiB (HPE_HEADER_OVERFLOW; node --max-http-header-size raises it)`,
        );
        expect(outputs(huge!).attempts).to.have.length(1);
        expect(invalid!.message).to.equal(
          `REST GET ${base}/invalid failed: the server sent a response that is not valid HTTP: Parse Error: Expected HTTP/, RTSP/ or ICE/ (HPE_INVALID_CONSTANT)`,
        );
        expect(outputs(invalid!).attempts).to.have.length(1);
      } finally {
        raw.close();
      }
    });

    it('talks to an IPv6 host given as hostname', async () => {
      const v6 = http.createServer((_req, res) => sendJson(res, 200, { v6: true }));
      await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
      try {
        const port = (v6.address() as net.AddressInfo).port;
        const [task] = await restTasks({ scheme: 'http', hostname: '::1', port, path: 'x' });
        expect(task!.status).to.equal('ENDED_SUCCESS');
        expect(outputs(task!).url).to.equal(`http://[::1]:${port}/x`);
      } finally {
        v6.close();
      }
    });
  });

  describe('redirects', () => {
    it('turns a POST into a GET without body on 301/302/303 and keeps both on 307/308', async () => {
      server = await startServer((req, res) => {
        const match = /^\/r(\d+)$/.exec(req.url!);
        if (match) {
          res.writeHead(Number(match[1]), { location: '/target' });
          return res.end();
        }
        sendJson(res, 200, { method: req.method, body: req.body.toString(), type: req.headers['content-type'] ?? null });
      });
      const codes = [301, 302, 303, 307, 308];
      const tasks = await restTasks(...codes.map((code) => ({ url: `${server.url}/r${code}`, method: 'post', json: { a: 1 } })));
      expect(tasks.map((t) => outputs(t).json)).to.deep.equal([
        { method: 'GET', body: '', type: null },
        { method: 'GET', body: '', type: null },
        { method: 'GET', body: '', type: null },
        { method: 'POST', body: '{"a":1}', type: 'application/json' },
        { method: 'POST', body: '{"a":1}', type: 'application/json' },
      ]);
      expect(outputs(tasks[0]!).url).to.equal(`${server.url}/target`);
    });

    it('drops Authorization, Cookie and Proxy-Authorization when a redirect leaves the origin', async () => {
      const other = await startServer((req, res) => sendJson(res, 200, { headers: req.headers }));
      server = await startServer((req, res) => {
        if (req.url === '/same') return sendJson(res, 200, { headers: req.headers });
        res.writeHead(302, { location: req.url === '/local' ? '/same' : `${other.url}/elsewhere` });
        res.end();
      });
      try {
        const credentials = { Authorization: 'Bearer tok-abcdef', 'Proxy-Authorization': 'Basic cHJveHk=', 'X-Keep': 'yes' };
        const [away, local] = await restTasks(
          { url: `${server.url}/away`, headers: credentials, cookies: { sid: 's3cr3t' } },
          { url: `${server.url}/local`, headers: credentials, cookies: { sid: 's3cr3t' } },
        );
        const awayHeaders = outputs(away!).json.headers;
        expect(awayHeaders).to.include({ 'x-keep': 'yes' });
        expect(awayHeaders).not.to.have.any.keys('authorization', 'cookie', 'proxy-authorization');
        expect(JSON.stringify(away!.log)).to.include(`redirect leaves ${server.url}: not sending authorization, proxy-authorization, cookie to ${other.url}`);
        expect(outputs(local!).json.headers).to.include({ authorization: '***', cookie: '***' });
      } finally {
        await other.close();
      }
    });

    it('drops an API key header, and any header holding a secret, when a redirect leaves the origin', async () => {
      const other = await startServer((req, res) => sendJson(res, 200, { headers: req.headers }));
      server = await startServer((_req, res) => {
        res.writeHead(302, { location: `${other.url}/elsewhere` });
        res.end();
      });
      try {
        const record = await run(
          async function (this: Execution, system) {
            await this.task('REST', {
              url: `${server.url}/away`,
              auth: { type: 'api_key', name: 'X-API-Key', value: 'key-4b7e9d21' },
              headers: { 'X-Signed': `sig ${system.secret('SIGNING')}`, 'X-Keep': 'yes' },
            });
          },
          { secrets: { SIGNING: 'signing-secret-77aa' } },
        );
        const task = record.children[0]!;
        expect(task.status, task.message ?? '').to.equal('ENDED_SUCCESS');
        const received = other.requests[0]!.headers;
        expect(received).to.include({ 'x-keep': 'yes' });
        expect(received).not.to.have.any.keys('x-api-key', 'x-signed');
        expect(JSON.stringify(task.log)).to.include(`redirect leaves ${server.url}: not sending x-signed, x-api-key to ${other.url}`);
      } finally {
        await other.close();
      }
    });

    it('drops them from https to http on the same host too (a downgrade is another origin)', async () => {
      const plain = await startServer((req, res) => sendJson(res, 200, { headers: req.headers }));
      const cert = selfSignedCert();
      server = await startServer((_req, res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${plain.port}/plain` });
        res.end();
      }, cert);
      try {
        const [task] = await restTasks({ url: `${server.url}/secure`, cacert: cert.cert, auth: { type: 'api_key', name: 'X-API-Key', value: 'key-9c8b7a65' } });
        expect(task!.status, task!.message ?? '').to.equal('ENDED_SUCCESS');
        expect(plain.requests[0]!.headers).not.to.have.any.keys('x-api-key');
      } finally {
        await plain.close();
      }
    });

    it('fails with a clear message after more than max_redirects', async () => {
      server = await startServer((req, res) => {
        res.writeHead(302, { location: `/loop${Number(req.url!.slice(5) || 0) + 1}` });
        res.end();
      });
      const [task] = await restTasks({ url: `${server.url}/loop0`, max_redirects: 3 });
      expect(task!.status).to.equal('ENDED_ERROR');
      expect(task!.message).to.equal(
        `REST GET ${server.url}/loop0 failed: GET ${server.url}/loop0: too many redirects (more than max_redirects = 3; the last one pointed to ${server.url}/loop4); raise "max_redirects", or set "allow_redirects": false to receive the 3xx response`,
      );
      expect(server.requests).to.have.length(4);
    });

    it('returns the 3xx response itself with allow_redirects: false', async () => {
      server = await startServer((_req, res) => {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      });
      const [task] = await restTasks({ url: `${server.url}/x`, allow_redirects: false, expected_status_code: [302] });
      expect(task!.status).to.equal('ENDED_SUCCESS');
      expect(outputs(task!)).to.include({ status_code: 302 });
      expect(outputs(task!).headers.location).to.equal('/elsewhere');
    });
  });
});
