/**
 * Multipart bodies as Cloudomation's TaskREST page documents them (reference
 * cloudomation-taskrest.txt, "Sending multipart POST requests"), compared byte for byte with what a
 * real server on 127.0.0.1 receives.
 */
import { join } from 'node:path';
import { openAsBlob, writeFileSync } from 'node:fs';
import { Blob as NodeBlob, FormData as NodeFormData } from 'formdata-node';
import { fileFromPath } from 'formdata-node/file-from-path';
import { expect } from 'chai';
import { run, type Execution } from '../helpers/lib.js';
import { sendJson, startServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

/** A report.txt of the documented size, 608 bytes. */
const REPORT = `${'spam & eggs report, line after line.\n'.repeat(16)}`.padEnd(608, '.');

describe("multipart: Cloudomation's documented requests, byte for byte", () => {
  let server: TestServer;
  let dir: TempDir;
  let filesDir: string;
  beforeEach(async () => {
    server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    dir = tempDir('flow-multipart-');
    filesDir = join(dir.path, 'files');
    dir.write('files/report.txt', REPORT);
  });
  afterEach(async () => {
    await server.close();
    dir.cleanup();
  });

  async function post(multipart: Record<string, unknown>): Promise<{ type: string; length: string; body: string }> {
    const record = await run(
      async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/post`, method: 'POST', multipart: multipart as never });
      },
      { filesDir },
    );
    expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
    const received = server.requests.at(-1)!;
    return { type: received.headers['content-type']!, length: received.headers['content-length']!, body: received.body.toString('utf8') };
  }

  it('the basic example: multipart/mixed, and Content-Type, Content-Disposition, Content-Length in every part', async () => {
    expect(Buffer.byteLength(REPORT)).to.equal(608);
    const boundary = 'aec30e9afc384303b6cb67e44aaa0f9c';
    const sent = await post({
      boundary,
      parts: [
        { name: 'string-field', value: 'spam & eggs' },
        { name: 'file', file: 'report.txt' },
      ],
    });
    expect(sent.type).to.equal(`multipart/mixed; boundary=${boundary}`);
    expect(sent.body).to.equal(
      `--${boundary}\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        'Content-Disposition: form-data; name="string-field"\r\n' +
        'Content-Length: 11\r\n' +
        '\r\n' +
        'spam & eggs\r\n' +
        `--${boundary}\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        'Content-Disposition: form-data; name="file"; filename="report.txt"\r\n' +
        'Content-Length: 608\r\n' +
        '\r\n' +
        `${REPORT}\r\n` +
        `--${boundary}--\r\n`,
    );
    // The page prints Content-Length: '991'; its own layout (confirmed to the byte by the full example) gives 981.
    expect(sent.length).to.equal('981');
  });

  it('the full example: a custom content-type and boundary, part headers replaced and left out: 848 bytes', async () => {
    const sent = await post({
      'content-type': 'application/my-custom-content-type',
      boundary: 'my-custom-boundary',
      parts: [
        { name: 'string-field', value: '<pre>spam & eggs</pre>', 'content-type': 'text/html', 'content-disposition': false, 'content-length': false },
        { name: 'file', file: 'report.txt', 'content-disposition': 'form-data; filename="report.txt"' },
      ],
    });
    expect(sent.type).to.equal('application/my-custom-content-type; boundary=my-custom-boundary');
    expect(sent.length).to.equal('848');
    expect(sent.body).to.equal(
      '--my-custom-boundary\r\n' +
        'Content-Type: text/html\r\n' +
        '\r\n' +
        '<pre>spam & eggs</pre>\r\n' +
        '--my-custom-boundary\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        'Content-Disposition: form-data; filename="report.txt"\r\n' +
        'Content-Length: 608\r\n' +
        '\r\n' +
        `${REPORT}\r\n` +
        '--my-custom-boundary--\r\n',
    );
    expect(Buffer.byteLength(sent.body)).to.equal(848);
  });

  it("a file part's type comes from its name; a random boundary is 32 hex digits", async () => {
    writeFileSync(join(filesDir, 'chart.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(filesDir, 'data.csv'), 'a,b\n');
    writeFileSync(join(filesDir, 'blob.unknownext'), 'x');
    const sent = await post({
      parts: [
        { name: 'a', file: 'chart.png' },
        { name: 'b', file: 'data.csv' },
        { name: 'c', file: 'blob.unknownext' },
      ],
    });
    expect(sent.type).to.match(/^multipart\/mixed; boundary=[0-9a-f]{32}$/);
    expect(sent.body).to.include('Content-Type: image/png\r\nContent-Disposition: form-data; name="a"; filename="chart.png"\r\nContent-Length: 4\r\n');
    expect(sent.body).to.include('Content-Type: text/csv; charset=utf-8\r\nContent-Disposition: form-data; name="b"; filename="data.csv"\r\n');
    expect(sent.body).to.include('Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data; name="c"; filename="blob.unknownext"\r\n');
  });

  it('multipart/form-data gives browser-style parts: disposition first, a type for files only, no part length', async () => {
    const sent = await post({
      'content-type': 'multipart/form-data',
      boundary: 'XyZ',
      parts: [
        { name: 'comment', value: 'nightly' },
        { name: 'report', file: 'report.txt' },
      ],
    });
    expect(sent.type).to.equal('multipart/form-data; boundary=XyZ');
    expect(sent.body).to.equal(
      '--XyZ\r\nContent-Disposition: form-data; name="comment"\r\n\r\nnightly\r\n' +
        `--XyZ\r\nContent-Disposition: form-data; name="report"; filename="report.txt"\r\nContent-Type: text/plain\r\n\r\n${REPORT}\r\n--XyZ--\r\n`,
    );
  });

  it('refuses a content-type that is not a media type, naming it', async () => {
    const record = await run(
      async function (this: Execution) {
        await this.task('REST', { url: `${server.url}/post`, method: 'POST', multipart: { 'content-type': 'not a type', parts: [] } });
      },
      { filesDir },
    );
    expect(record.message).to.equal(
      'REST input "multipart" must be an object whose "content-type" is a media type such as "multipart/mixed" or "multipart/form-data" (the boundary is appended), got the string "not a type"',
    );
  });

  describe("a FormData body (Kestra's formData; what a TypeScript user reaches for first)", () => {
    it("Node's own FormData, with a file from fs.openAsBlob: sent as multipart/form-data, streamed, described in the record", async () => {
      const form = new FormData();
      form.append('comment', 'nightly run');
      form.append('report', await openAsBlob(join(filesDir, 'report.txt'), { type: 'text/plain' }), 'report.txt');
      const record = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${server.url}/post`, method: 'post', multipart: form });
        },
        { filesDir },
      );
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
      const received = server.requests.at(-1)!;
      const boundary = /^multipart\/form-data; boundary=([0-9a-f]{32})$/.exec(received.headers['content-type']!)![1]!;
      expect(received.body.toString()).to.equal(
        `--${boundary}\r\nContent-Disposition: form-data; name="comment"\r\n\r\nnightly run\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="report"; filename="report.txt"\r\nContent-Type: text/plain\r\n\r\n${REPORT}\r\n--${boundary}--\r\n`,
      );
      expect(received.headers['content-length']).to.equal(String(received.body.length));
      expect(record.children[0]!.input_value.multipart).to.deep.equal({
        form_data: [
          { name: 'comment', value: 'nightly run' },
          { name: 'report', filename: 'report.txt', type: 'text/plain', size: 608 },
        ],
      });
    });

    it("formdata-node's FormData, with fileFromPath and a Blob, sent the same way", async () => {
      const form = new NodeFormData();
      form.set('meta', new NodeBlob(['{"a":1}'], { type: 'application/json' }), 'meta.json');
      form.set('doc', await fileFromPath(join(filesDir, 'report.txt'), 'renamed.txt', { type: 'text/x-report' }));
      const record = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${server.url}/post`, method: 'post', multipart: form });
        },
        { filesDir },
      );
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
      const body = server.requests.at(-1)!.body.toString();
      expect(body).to.include('Content-Disposition: form-data; name="meta"; filename="meta.json"\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n');
      expect(body).to.include(`Content-Disposition: form-data; name="doc"; filename="renamed.txt"\r\nContent-Type: text/x-report\r\n\r\n${REPORT}\r\n`);
    });

    it('refuses a FormData-like entry that is neither a string nor a Blob, naming it', async () => {
      const fake = {
        [Symbol.toStringTag]: 'FormData',
        entries: () =>
          [
            ['ok', 'x'],
            ['bad', 42],
          ][Symbol.iterator](),
      };
      const record = await run(
        async function (this: Execution) {
          await this.task('REST', { url: `${server.url}/post`, method: 'post', multipart: fake as never });
        },
        { filesDir },
      );
      expect(record.message).to.equal(
        'REST input "multipart" must be a FormData whose entries are strings or Blobs/Files (entry 2, "bad", is neither), got the number 42',
      );
      expect(server.requests).to.have.length(0);
    });
  });
});
