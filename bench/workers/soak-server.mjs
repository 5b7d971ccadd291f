// The soak test's server, in its own process. GET /item/N answers 200 with a small JSON body,
// except for 1 % of N: N % 300 === 0 -> 404 (a task error), N % 300 === 100 -> 503 the first
// time, then 200 (retried, then a success), N % 300 === 200 -> the connection is reset (a GET is
// retried, and is reset again: a task error). Prints its port.
import http from 'node:http';

const unavailableOnce = new Set();
const server = http.createServer((req, res) => {
  const n = Number(req.url.split('/').pop());
  const fault = n % 300;
  if (fault === 0) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  if (fault === 100 && !unavailableOnce.has(n)) {
    unavailableOnce.add(n);
    return res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
  }
  if (fault === 200) return req.socket.resetAndDestroy();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n, name: `item ${n}` }));
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('disconnect', () => process.exit(0));
