/**
 * One download in a fresh process, so its peak RSS is its own: `rest` runs a flow with one REST
 * task (response_type: 'file', SQLite recording) and `raw` pipes node-fetch (keep-alive agent) to a
 * file. Prints {"ms": ..., "maxRssMiB": ..., "bytes": ...}.
 */
import { createWriteStream, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import fetch from 'node-fetch';
import { run, type Execution } from 'flow_api';

const [mode, url, dir] = process.argv.slice(2) as ['rest' | 'raw', string, string];
const started = performance.now();
let bytes = 0;
if (mode === 'raw') {
  const agent = new http.Agent({ keepAlive: true });
  const response = await fetch(url, { agent });
  const target = join(dir, 'raw.bin');
  await pipeline(response.body!, createWriteStream(target));
  bytes = statSync(target).size;
  agent.destroy();
} else {
  const record = await run(
    async function (this: Execution) {
      const task = await this.task('REST', { url, dst: 'rest.bin' });
      bytes = task.get('output_value').length;
    },
    { store: join(dir, 'bench.db'), filesDir: join(dir, 'files') },
  );
  if (record.status !== 'ENDED_SUCCESS') throw new Error(record.message ?? 'failed');
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, bytes, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
