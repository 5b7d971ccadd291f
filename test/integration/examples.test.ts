/**
 * Every example in examples/ runs against the local demo API it starts, through the testing kit
 * (in-process, memory store) and, for a few, through `flow run` as a user would.
 */
import * as chai from 'chai';
import { flowChai, run } from 'flow_api/testing';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { join } from 'node:path';

chai.use(flowChai);
const { expect } = chai;

describe('examples', function () {
  this.timeout(30_000);
  let dir: TempDir;
  beforeEach(() => (dir = tempDir('flow-examples-')));
  afterEach(() => dir.cleanup());
  const example = (name: string, inputs: Record<string, unknown> = {}) => run(`examples/${name}.ts`, { inputs, filesDir: join(dir.path, 'files') });

  it('get: GET and print the output', async () => {
    const record = await example('get');
    expect(record).to.have.status('ENDED_SUCCESS');
    expect(record).to.have.task('REST').with.output('status_code', 200);
    expect(record).to.have.logged('joke:');
    expect(record.output_value.joke).to.be.a('string');
  });

  it('post-json: POST JSON from inputs', async () => {
    const record = await example('post-json', { name: 'chair', price: 30 });
    expect(record).to.have.status('ENDED_SUCCESS');
    expect(record).to.have.output('item', { id: 1, name: 'chair', price: 30 });
    expect(record).to.have.task('REST').with.output('status_code', 201);
  });

  it('put: PUT a resource', async () => {
    expect(await example('put', { id: 7 })).to.have.output('item', { id: 7, name: 'desk', price: 99 });
  });

  it('delete: DELETE with an input id', async () => {
    const record = await example('delete');
    expect(record).to.have.status('ENDED_SUCCESS');
    expect(record).to.have.output('status_code', 204);
  });

  it('basic-auth-form: basic auth with form data, the password masked', async () => {
    const record = await example('basic-auth-form');
    expect(record).to.have.status('ENDED_SUCCESS');
    expect(record).to.have.output('response', { user: 'ada', form: { remember: 'yes', scope: 'reports' } });
    expect(JSON.stringify(record)).not.to.include('lovelace-demo');
  });

  it('bearer, api-key-header and api-key-query: credentials accepted, never recorded', async () => {
    expect(await example('bearer')).to.have.output('me', { user: 'token holder' });
    expect(await example('api-key-header')).to.have.output('result', { key: 'accepted', in: 'header' });
    const query = await example('api-key-query');
    expect(query).to.have.output('result', { key: 'accepted', in: 'query' });
    expect(query).to.have.task('REST').with.output('url');
    expect((query.children[0]!.output_value as { url: string }).url).to.match(/\/auth\/key\?api_key=\*\*\*$/);
    expect(JSON.stringify(query)).not.to.include('demo-key-91c2');
  });

  it('timeouts: the fast call succeeds, the slow one names read_timeout', async () => {
    const record = await example('timeouts');
    expect(record).to.have.status('ENDED_SUCCESS');
    expect(record).to.have.output('fast', { waited_ms: 100 });
    expect(record.output_value.slow_message).to.match(
      /failed: read_timeout of 0\.5 s fired: no data received for 0\.5 s while waiting for the response headers$/,
    );
  });

  it('post-form: POST form data', async () => {
    const record = await example('post-form');
    expect(record).to.have.output('content_type', 'application/x-www-form-urlencoded');
    expect(record).to.have.output('body', 'name=Ada+Lovelace&tags=math&tags=engines');
  });

  it('multipart-upload: a file with its own name and with a custom one', async () => {
    const record = await example('multipart-upload');
    expect(record).to.have.output('plain', [{ name: 'document', filename: 'notes.txt', content_type: 'text/plain; charset=utf-8', size: 18 }]);
    expect(record).to.have.output('renamed', [
      { name: 'comment', content_type: 'text/plain; charset=utf-8', size: 20 },
      { name: 'document', filename: 'meeting-notes.txt', content_type: 'text/plain; charset=utf-8', size: 18 },
    ]);
  });

  it('formdata-upload: a FormData with a field and a file, sent as a browser form', async () => {
    const record = await example('formdata-upload');
    expect(record).to.have.status('ENDED_SUCCESS');
    expect(record).to.have.output('content_type', 'multipart/form-data; boundary=…');
    expect(record).to.have.output('parts', [
      { name: 'title', size: 11 },
      { name: 'attachment', filename: 'notes.txt', content_type: 'text/plain', size: 21 },
    ]);
    expect(record.children[0]!.input_value.multipart).to.deep.equal({
      form_data: [
        { name: 'title', value: 'weekly sync' },
        { name: 'attachment', filename: 'notes.txt', type: 'text/plain', size: 21 },
      ],
    });
  });

  it('upload-image: an image with its content type, as a part and as the body', async () => {
    const record = await example('upload-image');
    expect(record).to.have.output('part', { name: 'image', filename: 'pixel.png', content_type: 'image/png', size: 70 });
    expect(record).to.have.output('raw_content_type', 'image/png');
  });

  it('csv-roundtrip: download a CSV then upload it', async () => {
    const record = await example('csv-roundtrip');
    expect(record).to.have.status('ENDED_SUCCESS');
    expect((record.output_value.downloaded as { name: string }).name).to.equal('sales-2026.csv');
    expect(record).to.have.output('uploaded', { name: 'report', filename: 'sales-2026.csv', content_type: 'text/csv; charset=utf-8', size: 55 });
  });

  it('json-from-inputs: a multi-line JSON body built from inputs', async () => {
    const record = await example('json-from-inputs', { customer: 'Initech', lines: [{ sku: 'Z9', qty: 3 }] });
    expect(record).to.have.output('order', {
      id: 1,
      customer: 'Initech',
      lines: [{ position: 1, sku: 'Z9', qty: 3 }],
      note: 'created by flow_api\nsecond line of the note',
    });
  });

  it('pagination: follows next until the last page', async () => {
    const record = await example('pagination');
    expect(record).to.have.output('count', 7);
    expect(record.children.map((c) => c.name)).to.deep.equal(['page 1', 'page 2', 'page 3']);
  });

  it('download-convert: CSV to JSON', async () => {
    const record = await example('download-convert');
    expect(record).to.have.output('rows', 3);
    expect(record).to.have.output('total', 350);
  });

  it("cloudomation-multipart-basic and -full: Cloudomation's multipart examples", async () => {
    expect(await example('cloudomation-multipart-basic')).to.have.output('parts', [
      { name: 'field', content_type: 'text/plain; charset=utf-8', size: 4 },
      { name: 'file', filename: 'x.txt', content_type: 'text/plain; charset=utf-8', size: 17 },
    ]);
    const full = await example('cloudomation-multipart-full');
    expect(full).to.have.output('content_type', 'multipart/mixed; boundary=flow-api-boundary');
    expect(full).to.have.output('parts', [
      { name: 'metadata', content_type: 'application/json', size: 18 },
      { name: 'attachment', filename: 'report.json', content_type: 'application/json', size: 8 },
      { name: 'raw', size: 30 },
    ]);
  });

  it('url-from-parts: scheme, hostname, port, base_path and path', async () => {
    const record = await example('url-from-parts');
    expect(record.output_value.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/jokes\/random\?lang=en&safe=true$/);
    expect(record).to.have.output('type', 'success');
  });

  it('retries and handled-failure', async () => {
    const retries = await example('retries');
    expect(retries).to.have.output('tries', 3);
    expect(retries).to.have.task('flaky endpoint').with.status('ENDED_SUCCESS');
    const handled = await example('handled-failure');
    expect(handled).to.have.status('ENDED_SUCCESS').and.message('the missing item was handled');
    expect(handled).to.have.task('missing item').with.status('ENDED_ERROR');
  });

  it('run with npx flow run as they are', async () => {
    for (const name of ['get', 'bearer', 'multipart-upload']) {
      const result = await runCli(['run', `examples/${name}.ts`, '--db', join(dir.path, 'cli.db')], { env: { FLOW_CONFIG_DIR: dir.path } });
      expect(result.code, `${name}: ${result.stderr}`).to.equal(0);
      expect(result.stdout).to.match(new RegExp(`^flow ${name} ENDED_SUCCESS`));
    }
  });
});
