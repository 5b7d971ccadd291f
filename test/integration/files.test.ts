import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { run, type Execution, type ExecutionTree, type RestOutputs, type System } from '../helpers/lib.js';
import { startServer, sendJson, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('files, multipart, binary bodies and downloads', function () {
  this.timeout(30_000);
  let server: TestServer;
  let dir: ReturnType<typeof tempDir>;
  let filesDir: string;
  beforeEach(() => {
    dir = tempDir();
    filesDir = join(dir.path, 'files');
  });
  afterEach(async () => {
    await server?.close();
    dir.cleanup();
  });

  /** Run a handler with the files root in a temp folder; returns the record and the run's files folder. */
  async function flow(handler: (this: Execution, system: System) => Promise<unknown>) {
    const record = await run(handler as never, { filesDir });
    return { record, folder: filesDir };
  }
  const outputs = (task: ExecutionTree) => task.output_value as unknown as RestOutputs;
  /** Put files in the run's files folder before tasks use them. */
  async function seed(system: System, files: Record<string, string | Buffer>) {
    for (const [name, content] of Object.entries(files)) await system.file(name).save_bytes_content(Buffer.from(content));
  }

  describe('system.file()', () => {
    it("reads, writes, checks and deletes files in the run's files folder", async () => {
      const seen: unknown[] = [];
      const { folder } = await flow(async function (this: Execution, system) {
        const file = system.file('reports/today.txt');
        seen.push(await file.exists());
        await file.save_text_content('héllo');
        seen.push(await file.exists(), await file.get_text_content(), (await file.get_bytes_content()).length, file.size, file.content_type);
        await system.file('gone.bin').save_bytes_content(Buffer.from([1, 2, 3]));
        seen.push(await system.file('gone.bin').delete(), await system.file('gone.bin').exists());
      });
      expect(seen).to.deep.equal([false, true, 'héllo', 6, 6, 'text/plain', true, false]);
      expect(readFileSync(join(folder, 'reports/today.txt'), 'utf8')).to.equal('héllo');
    });

    it('refuses names that leave the files folder', async () => {
      const messages: string[] = [];
      await flow(async function (this: Execution, system) {
        for (const name of ['../escape.txt', '/etc/passwd', 'a/../../b', '']) {
          try {
            system.file(name);
          } catch (error) {
            messages.push((error as Error).message);
          }
        }
      });
      const where = `files live in ${filesDir}: use a name inside it such as "exports/data.csv" (put a file there with \`npx flow file put NAME PATH\`)`;
      expect(messages).to.deep.equal([
        `system.file() name "../escape.txt" leaves the files folder; ${where}`,
        `system.file() name "/etc/passwd" leaves the files folder; ${where}`,
        `system.file() name "a/../../b" leaves the files folder; ${where}`,
        'system.file() name must be a non-empty string, got the string ""',
      ]);
    });
  });

  describe('multipart', () => {
    beforeEach(async () => {
      server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    });

    it('writes the exact bytes of a browser-style multipart/form-data body with every part option', async () => {
      const { record } = await flow(async function (this: Execution, system) {
        await seed(system, { 'data.csv': 'a,b\n1,2\n', 'logo.png': PNG });
        await this.task('REST', {
          url: `${server.url}/upload`,
          method: 'post',
          multipart: {
            'content-type': 'multipart/form-data',
            boundary: 'BOUNDARY42',
            parts: [
              { name: 'title', value: 'monthly' },
              { name: 'csv', file: 'data.csv' },
              { name: 'image', file: system.file('logo.png'), filename: 'renamed.png', 'content-length': true },
              { name: 'raw', value: 'x', 'content-type': 'application/x-custom', 'content-disposition': false },
              { name: 'plain', file: 'data.csv', 'content-type': false, 'content-disposition': 'attachment; filename="override.csv"' },
            ],
          },
        });
      });
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
      const sent = server.requests[0]!;
      expect(sent.headers['content-type']).to.equal('multipart/form-data; boundary=BOUNDARY42');
      const expected = Buffer.concat([
        Buffer.from('--BOUNDARY42\r\nContent-Disposition: form-data; name="title"\r\n\r\nmonthly\r\n'),
        Buffer.from('--BOUNDARY42\r\nContent-Disposition: form-data; name="csv"; filename="data.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n\r\n'),
        Buffer.from(
          `--BOUNDARY42\r\nContent-Disposition: form-data; name="image"; filename="renamed.png"\r\nContent-Type: image/png\r\nContent-Length: ${PNG.length}\r\n\r\n`,
        ),
        PNG,
        Buffer.from('\r\n--BOUNDARY42\r\nContent-Type: application/x-custom\r\n\r\nx\r\n'),
        Buffer.from('--BOUNDARY42\r\nContent-Disposition: attachment; filename="override.csv"\r\n\r\na,b\n1,2\n\r\n'),
        Buffer.from('--BOUNDARY42--\r\n'),
      ]);
      expect(sent.body.toString('latin1')).to.equal(expected.toString('latin1'));
      expect(sent.headers['content-length']).to.equal(String(expected.length));
      expect(sent.headers['transfer-encoding']).to.equal(undefined);
    });

    it('honours a top-level content type such as multipart/mixed', async () => {
      await flow(async function (this: Execution) {
        await this.task('REST', {
          url: `${server.url}/m`,
          method: 'post',
          multipart: { 'content-type': 'multipart/mixed', boundary: 'b', parts: [{ name: 'a', value: '1' }] },
        });
      });
      expect(server.requests[0]!.headers['content-type']).to.equal('multipart/mixed; boundary=b');
    });

    it('refuses a part file that does not exist and a part with both value and file', async () => {
      const { record } = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/m`, method: 'post', multipart: { parts: [{ name: 'f', file: 'missing.csv' }] } });
      });
      expect(record.message).to.equal(
        `REST input "multipart" must be an existing file (multipart part 1); "missing.csv" is not in the files folder ${filesDir} (put it there with \`npx flow file put missing.csv PATH\`, or write it with system.file(name).save_bytes_content()), got the string "missing.csv"`,
      );
      const both = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/m`, method: 'post', multipart: { parts: [{ name: 'f', value: 'x', file: 'x' }] } });
      });
      expect(both.record.message).to.match(/^REST input "multipart" must be parts with either "value" \(text\) or "file" \(multipart part 1\)/);
    });
  });

  describe('file bodies', () => {
    it('streams a file with Content-Length and a content type from its extension', async () => {
      server = await startServer((_req, res) => sendJson(res, 201, {}));
      await flow(async function (this: Execution, system) {
        await seed(system, { 'export/report.json': '{"rows":3}', 'blob.weird': 'zz' });
        await this.task('REST', { url: `${server.url}/f`, method: 'put', file: 'export/report.json' });
        await this.task('REST', { url: `${server.url}/g`, method: 'post', file: system.file('blob.weird'), headers: { 'Content-Type': 'text/x-mine' } });
      });
      const [first, second] = server.requests;
      expect([first!.headers['content-type'], first!.headers['content-length'], first!.body.toString()]).to.deep.equal([
        'application/json',
        '10',
        '{"rows":3}',
      ]);
      expect([second!.headers['content-type'], second!.body.toString()]).to.deep.equal(['text/x-mine', 'zz']);
    });

    it('resends a file body after a 503', async () => {
      let calls = 0;
      server = await startServer((_req, res) => sendJson(res, calls++ === 0 ? 503 : 200, {}));
      const { record } = await flow(async function (this: Execution, system) {
        await seed(system, { 'a.txt': 'payload' });
        await this.task('REST', { url: `${server.url}/f`, method: 'post', file: 'a.txt' });
      });
      expect(record.status).to.equal('ENDED_SUCCESS');
      expect(server.requests.map((r) => r.body.toString())).to.deep.equal(['payload', 'payload']);
    });
  });

  describe('response_type', () => {
    beforeEach(async () => {
      server = await startServer((req, res) => {
        if (req.url === '/png') {
          res.writeHead(200, { 'content-type': 'image/png' });
          return res.end(PNG);
        }
        if (req.url === '/bad-json') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{nope');
        }
        sendJson(res, 200, { a: 1 });
      });
    });

    it('auto gives binary (a Buffer) for a non-text type, recorded by size only', async () => {
      let binary: unknown;
      const { record } = await flow(async function (this: Execution) {
        binary = (await this.task('REST', { url: `${server.url}/png` })).get('output_value').binary;
      });
      expect(Buffer.isBuffer(binary) && (binary as Buffer).equals(PNG)).to.equal(true);
      expect(outputs(record.children[0]!)).to.include({ binary: `[${PNG.length} bytes]`, length: PNG.length });
      expect(outputs(record.children[0]!)).not.to.have.any.keys('text', 'json');
    });

    it('text, binary and json force the decoding', async () => {
      const got: unknown[] = [];
      await flow(async function (this: Execution) {
        got.push((await this.task('REST', { url: `${server.url}/j`, response_type: 'text' })).get('output_value').text);
        got.push(Buffer.isBuffer((await this.task('REST', { url: `${server.url}/j`, response_type: 'binary' })).get('output_value').binary));
        got.push((await this.task('REST', { url: `${server.url}/j`, response_type: 'json' })).get('output_value').json);
      });
      expect(got).to.deep.equal(['{"a":1}', true, { a: 1 }]);
    });

    it('json fails the task when the body is not JSON', async () => {
      const { record } = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/bad-json`, response_type: 'json' });
      });
      expect(record.children[0]!.message).to.match(
        new RegExp(`^REST GET ${server.url}/bad-json: the response body is not valid JSON \\(response_type is "json"\\): .*; it starts with "\\{nope"$`),
      );
    });

    it('refuses an unknown response_type and dst with another response_type', async () => {
      const { record } = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/j`, response_type: 'xml' as never });
      });
      expect(record.message).to.equal('REST input "response_type" must be one of auto, json, text, binary, file, got the string "xml"');
      const both = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/j`, response_type: 'text', dst: 'a.json' });
      });
      expect(both.record.message).to.equal(
        'REST input "response_type" must be "file" or left out when "dst" is given (dst streams the body to a file), got the string "text"',
      );
    });
  });

  describe('size limits', () => {
    let bombs: { gzip: Buffer; br: Buffer; deflate: Buffer };
    before(() => {
      // 1 GiB of zeros: brotli packs it into ~1.6 KB; gzip/deflate top out near 1000:1, so their
      // bombs are 1024 copies of a compressed MiB (multi-member streams, ~1 MB).
      const mib = Buffer.alloc(1 << 20);
      const brotli = zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
      const chunks: Buffer[] = [];
      brotli.on('data', (c: Buffer) => chunks.push(c));
      const done = new Promise((resolve) => brotli.on('end', resolve));
      for (let i = 0; i < 1024; i++) brotli.write(mib);
      brotli.end();
      return done.then(() => {
        bombs = {
          br: Buffer.concat(chunks),
          gzip: Buffer.concat(Array(1024).fill(zlib.gzipSync(mib))),
          deflate: zlib.deflateSync(Buffer.alloc(64 << 20)),
        };
      });
    });

    beforeEach(async () => {
      server = await startServer((req, res) => {
        const encoding = req.url!.slice(1) as 'gzip' | 'br' | 'deflate' | 'big';
        if (encoding === 'big') {
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 11 << 20 });
          return res.end(Buffer.alloc(11 << 20, 'a'));
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': encoding });
        res.end(bombs[encoding]);
      });
    });

    it('refuses a body over max_content_length (10 MiB by default), saying how to raise it or stream to a file', async () => {
      const { record } = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/big` });
      });
      expect(record.children[0]!.message).to.equal(
        `REST GET ${server.url}/big failed: the response body is larger than max_content_length = 10485760 bytes (Content-Length: 11534336); raise "max_content_length", or set "response_type": "file" to stream the body to a file`,
      );
      const raised = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/big`, max_content_length: 12 << 20 });
      });
      expect(raised.record.status).to.equal('ENDED_SUCCESS');
    });

    for (const encoding of ['br', 'gzip', 'deflate'] as const) {
      it(`stops a ${encoding} bomb at the limit on the decoded size`, async () => {
        const before = process.memoryUsage().rss;
        const started = Date.now();
        const { record } = await flow(async function (this: Execution) {
          await this.task('REST', { url: `${server.url}/${encoding}`, max_content_length: 8 << 20 });
        });
        expect(record.children[0]!.message).to.equal(
          `REST GET ${server.url}/${encoding} failed: the response body is larger than max_content_length = 8388608 bytes; raise "max_content_length", or set "response_type": "file" to stream the body to a file`,
        );
        expect(process.memoryUsage().rss - before).to.be.below(100 << 20);
        expect(Date.now() - started).to.be.below(5000);
      });
    }
  });

  describe('downloads to files', () => {
    const CSV = 'id,name\n1,Ada\n2,Grace\n';
    beforeEach(async () => {
      server = await startServer((req, res) => {
        const headers: Record<string, string> = { 'content-type': 'text/csv' };
        if (req.url === '/export?id=7') headers['content-disposition'] = 'attachment; filename="export 7.csv"';
        if (req.url === '/utf8') headers['content-disposition'] = `attachment; filename="fallback.csv"; filename*=UTF-8''r%C3%A9sum%C3%A9.csv`;
        if (req.url === '/evil') headers['content-disposition'] = 'attachment; filename="../../etc/passwd"';
        if (req.url === '/truncated') {
          res.writeHead(200, { ...headers, 'content-length': '1000' });
          res.write(CSV);
          return setTimeout(() => res.socket?.destroy(), 20);
        }
        if (req.url === '/cut') {
          res.writeHead(200, headers); // chunked
          res.write(CSV);
          return setTimeout(() => res.socket?.destroy(), 20);
        }
        if (req.url === '/missing') return sendJson(res, 404, { error: 'no export' });
        res.writeHead(200, headers);
        res.end(CSV);
      });
    });

    it('streams the body to a file named by Content-Disposition, with size, sha256 and content type', async () => {
      let file: unknown;
      let content: string | undefined;
      const { record, folder } = await flow(async function (this: Execution) {
        const task = await this.task('REST', { url: `${server.url}/export`, params: { id: 7 }, response_type: 'file' });
        file = task.get('output_value').file;
        content = await task.get('output_value').file!.get_text_content();
      });
      const sha256 = createHash('sha256').update(CSV).digest('hex');
      expect(content).to.equal(CSV);
      expect(readFileSync(join(folder, 'export 7.csv'), 'utf8')).to.equal(CSV);
      const out = outputs(record.children[0]!);
      expect(out.file).to.deep.equal({ name: 'export 7.csv', path: join(folder, 'export 7.csv'), size: CSV.length, sha256, content_type: 'text/csv' });
      expect(out.length).to.equal(CSV.length);
      expect(out).not.to.have.any.keys('text', 'json', 'binary');
      expect((file as { sha256: string }).sha256).to.equal(sha256);
    });

    it('takes the RFC 6266 filename*, sanitises hostile names, and falls back to the URL path', async () => {
      const { record, folder } = await flow(async function (this: Execution) {
        for (const path of ['/utf8', '/evil', '/reports/q3%20final', '/']) await this.task('REST', { url: `${server.url}${path}`, response_type: 'file' });
      });
      expect(record.children.map((c) => outputs(c).file!.name)).to.deep.equal(['résumé.csv', 'passwd.csv', 'q3 final.csv', 'download.csv']);
      expect(readdirSync(folder).sort()).to.deep.equal(['download.csv', 'passwd.csv', 'q3 final.csv', 'résumé.csv']);
    });

    it("writes to dst (Cloudomation's input) and passes the file on to an upload", async () => {
      const { record, folder } = await flow(async function (this: Execution) {
        const download = await this.task('REST', { url: `${server.url}/export`, dst: 'in/data.csv' });
        await this.task('REST', {
          url: `${server.url}/upload`,
          method: 'post',
          multipart: { parts: [{ name: 'f', file: download.get('output_value').file! }] },
        });
      });
      expect(record.status).to.equal('ENDED_SUCCESS');
      expect(existsSync(join(folder, 'in/data.csv'))).to.equal(true);
      expect(server.requests[1]!.body.toString()).to.include(
        `Content-Type: text/csv; charset=utf-8\r\nContent-Disposition: form-data; name="f"; filename="data.csv"\r\nContent-Length: ${CSV.length}\r\n\r\n${CSV}\r\n`,
      );
    });

    it('fails on a body shorter than Content-Length and leaves no file', async () => {
      const { record, folder } = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/truncated`, dst: 'short.csv', retry_backoff: { deadline: 0 } });
      });
      expect(record.children[0]!.status).to.equal('ENDED_ERROR');
      expect(record.children[0]!.message).to.match(
        new RegExp(`^REST GET ${server.url}/truncated failed: the connection closed after ${CSV.length} of the 1000 bytes its Content-Length announced$`),
      );
      expect(existsSync(folder) ? readdirSync(folder) : []).to.deep.equal([]);
    });

    it('leaves no file when the connection is cut midway through a chunked download', async () => {
      const { record, folder } = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/cut`, response_type: 'file', retry_backoff: { deadline: 0 } });
      });
      expect(record.children[0]!.status).to.equal('ENDED_ERROR');
      expect(record.children[0]!.message).to.match(
        new RegExp(
          `^REST GET ${server.url}/cut failed: the connection closed after ${CSV.length} bytes of the response body, before its end \\((ECONNRESET|ERR_STREAM_PREMATURE_CLOSE)\\)$`,
        ),
      );
      expect(outputs(record.children[0]!).attempts[0]!.code).to.equal('ERR_TRUNCATED_BODY');
      expect(existsSync(folder) ? readdirSync(folder) : []).to.deep.equal([]);
    });

    it('does not write an unexpected status to the file', async () => {
      const { record, folder } = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/missing`, dst: 'x.csv' });
      });
      expect(record.children[0]!.message).to.equal(
        `REST GET ${server.url}/missing returned 404 Not Found; expected one of 200, 201, 202, 204; response body: {"error":"no export"}`,
      );
      expect(outputs(record.children[0]!).json).to.deep.equal({ error: 'no export' });
      expect(existsSync(folder) ? readdirSync(folder) : []).to.deep.equal([]);
    });

    it('applies max_content_length to a download only when it is given', async () => {
      const { record, folder } = await flow(async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/export`, dst: 'small.csv', max_content_length: 5 });
      });
      expect(record.children[0]!.message).to.match(
        /the response body is larger than max_content_length = 5 bytes; raise "max_content_length" or leave it out$/,
      );
      expect(existsSync(folder) ? readdirSync(folder) : []).to.deep.equal([]);
    });
  });
});
