// The library's run() with its default memory store: bytes of heap kept per recorded task, after
// `count` tasks (a GC forced before measuring, so only what is kept counts). Prints {"bytesPerTask"}.
import { run } from 'flow_api';

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
let before = 0;
let after = 0;
await run(async function () {
  globalThis.gc();
  before = process.memoryUsage().heapUsed;
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next++ < count) await this.task('REST', { url });
    }),
  );
  globalThis.gc();
  after = process.memoryUsage().heapUsed;
});
console.log(JSON.stringify({ bytesPerTask: (after - before) / count }));
