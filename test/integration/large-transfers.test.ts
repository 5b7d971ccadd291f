import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdirSync, openAsBlob } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { run, type Execution } from '../helpers/lib.js';
import { tempDir } from '../helpers/tmp.js';

const SIZE = 200 << 20; // 200 MiB
const CHUNK = Buffer.alloc(1 << 20, 'x');

/** Highest RSS seen while `work` runs, above the RSS just before it. */
async function rssGrowth(work: () => Promise<unknown>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage().rss) - baseline;
}

describe('large transfers stream instead of buffering (200 MiB)', function () {
  this.timeout(60_000);
  let server: http.Server;
  let url: string;
  let dir: ReturnType<typeof tempDir>;
  let uploaded: { bytes: number; sha256: string } | undefined;

  before(async () => {
    dir = tempDir();
    server = http.createServer(async (req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': SIZE });
        for (let sent = 0; sent < SIZE; sent += CHUNK.length) if (!res.write(CHUNK)) await once(res, 'drain');
        return res.end();
      }
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of req) {
        bytes += (chunk as Buffer).length;
        hash.update(chunk as Buffer);
      }
      uploaded = { bytes, sha256: hash.digest('hex') };
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify(uploaded));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    dir.cleanup();
  });

  it('downloads 200 MiB to a file with RSS growing by less than 50 MiB', async () => {
    let size = 0;
    const growth = await rssGrowth(async () => {
      const record = await run(
        async function (this: Execution) {
          const task = await this.task('REST', { url: `${url}/big.bin`, response_type: 'file' });
          size = task.get('output_value').file!.size!;
        },
        { filesDir: join(dir.path, 'files') },
      );
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
    });
    expect(size).to.equal(SIZE);
    expect(growth, `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB`).to.be.below(50 << 20);
  });

  it('uploads a 200 MiB file (as a body, a multipart part and a FormData Blob) with RSS growing by less than 50 MiB', async () => {
    const filesDir = join(dir.path, 'upload-files');
    let sha256 = '';
    const growth = await rssGrowth(async () => {
      const record = await run(
        async function (this: Execution, system) {
          // Write the source file in the run's files folder, 1 MiB at a time.
          const file = system.file('big.bin');
          mkdirSync(join(file.path, '..'), { recursive: true });
          const out = createWriteStream(file.path);
          const hash = createHash('sha256');
          for (let written = 0; written < SIZE; written += CHUNK.length) {
            hash.update(CHUNK);
            if (!out.write(CHUNK)) await once(out, 'drain');
          }
          out.end();
          await once(out, 'finish');
          sha256 = hash.digest('hex');
          await this.task('REST', { url: `${url}/upload`, method: 'put', file: 'big.bin' });
          await this.task('REST', { url: `${url}/upload`, method: 'post', multipart: { parts: [{ name: 'f', file: 'big.bin' }] } });
          // A FormData with a file-backed Blob is streamed too.
          const form = new FormData();
          form.append('f', await openAsBlob(file.path), 'big.bin');
          await this.task('REST', { url: `${url}/upload`, method: 'post', multipart: form });
        },
        { filesDir },
      );
      expect(record.children.map((c) => c.status)).to.deep.equal(['ENDED_SUCCESS', 'ENDED_SUCCESS', 'ENDED_SUCCESS']);
      expect(record.status, record.message ?? '').to.equal('ENDED_SUCCESS');
      expect(record.children[0]!.output_value.json).to.deep.equal({ bytes: SIZE, sha256 });
    });
    expect(uploaded!.bytes).to.be.greaterThan(SIZE);
    expect(growth, `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB`).to.be.below(50 << 20);
  });
});
