/**
 * Download to a file through the REST task vs raw node-fetch piped to a file, from a local server,
 * each in its own process (peak RSS = that process's maxRSS). Alternating runs, medians.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Row } from './lib.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHUNK = Buffer.alloc(1 << 20, 7);

async function startServer(): Promise<{ url: string; close(): void }> {
  const server = http.createServer(async (req, res) => {
    const size = Number(new URL(req.url!, 'http://x').searchParams.get('size'));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    for (let sent = 0; sent < size; sent += CHUNK.length) if (!res.write(CHUNK)) await once(res, 'drain');
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.bin`, close: () => server.close() };
}

interface Sample {
  ms: number;
  bytes: number;
  maxRssMiB: number;
}

/** The worker runs in a child process while this process serves the bytes, so spawn asynchronously. */
async function runWorker(mode: 'rest' | 'raw', url: string): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'flow-bench-dl-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/workers/download.ts', mode, url, dir], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'close')) as [number];
    if (code !== 0) throw new Error(`download worker (${mode}) exited ${code}`);
    return JSON.parse(out.trim().split('\n').pop()!) as Sample;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchDownload(sizesMiB = [64, 1024], runs = 3): Promise<Row[]> {
  const server = await startServer();
  const rows: Row[] = [];
  try {
    for (const sizeMiB of sizesMiB) {
      const url = `${server.url}?size=${sizeMiB << 20}`;
      const samples: Record<'rest' | 'raw', Sample[]> = { rest: [], raw: [] };
      await runWorker('raw', url); // warm the disk cache and the tsx cache
      for (let i = 0; i < runs; i++) {
        for (const mode of ['raw', 'rest'] as const) {
          const sample = await runWorker(mode, url);
          if (sample.bytes !== sizeMiB << 20) throw new Error(`${mode} downloaded ${sample.bytes} bytes, expected ${sizeMiB << 20}`);
          samples[mode].push(sample);
        }
      }
      const rate = (s: Sample[]) => sizeMiB / (median(s.map((x) => x.ms)) / 1000);
      const rss = (s: Sample[]) => median(s.map((x) => x.maxRssMiB));
      const name = `download ${sizeMiB >= 1024 ? `${sizeMiB / 1024} GiB` : `${sizeMiB} MiB`} to file`;
      rows.push(
        { benchmark: name, subject: 'raw node-fetch → file', value: rate(samples.raw), unit: 'MiB/s', note: `peak RSS ${rss(samples.raw).toFixed(0)} MiB` },
        {
          benchmark: name,
          subject: 'REST task (dst, SQLite)',
          value: rate(samples.rest),
          unit: 'MiB/s',
          ratio: rate(samples.rest) / rate(samples.raw),
          note: `peak RSS ${rss(samples.rest).toFixed(0)} MiB (+${(rss(samples.rest) - rss(samples.raw)).toFixed(0)} MiB vs raw); targets >= 0.9×, <= +30 MiB`,
        },
      );
    }
  } finally {
    server.close();
  }
  return rows;
}
