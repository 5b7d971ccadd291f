// The benchmarks' HTTP server, in its own process so it does not share the client's CPU:
// GET /small -> a 60-byte JSON object; GET /json1m -> a 1 MiB JSON document;
// POST /items -> reads the JSON body, answers 201 with a small JSON object. Prints its port.
import http from 'node:http';

const small = Buffer.from(JSON.stringify({ ok: true, id: 7, name: 'flow_api benchmark', tags: ['a', 'b'] }));
const created = Buffer.from(JSON.stringify({ id: 8, created: true }));
const items = [];
for (let size = 0; size < 1024 * 1024;) {
  const item = { id: items.length, name: `item ${items.length}`, price: items.length * 1.5, tags: ['x', 'y', 'z'] };
  items.push(item);
  size += JSON.stringify(item).length + 1;
}
const big = Buffer.from(JSON.stringify({ items }));

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST') {
    let length = 0;
    req.on('data', (chunk) => (length += chunk.length));
    req.on('end', () => send(res, length > 0 ? 201 : 400, created));
    return;
  }
  send(res, 200, req.url === '/json1m' ? big : small);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('disconnect', () => process.exit(0));
