/**
 * A tiny JSON API on 127.0.0.1 for the examples and tests: jokes, an item store, a flaky endpoint.
 * Start it alone with `npx tsx examples/demo-api.ts` (port 8080, or PORT).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

const JOKES = [
  'There are 10 kinds of people: those who understand binary and those who do not.',
  'A REST API walks into a bar. The bartender says: 200 OK.',
  'I would tell you a UDP joke, but you might not get it.',
];

export interface DemoApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startDemoApi(port = 0): Promise<DemoApi> {
  const items = new Map<number, Record<string, unknown>>();
  let nextId = 1;
  const flaky = new Map<string, number>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const send = (status: number, value?: unknown) => {
      res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
      res.end(value === undefined ? undefined : JSON.stringify(value));
    };
    const itemMatch = /^\/items\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/jokes/random') {
      const id = Math.floor(Math.random() * JOKES.length);
      return send(200, { type: 'success', value: { id, joke: JOKES[id] } });
    }
    if (url.pathname === '/items' && req.method === 'POST') {
      const item = { id: nextId++, ...(JSON.parse(body || '{}') as object) };
      items.set(item.id, item);
      return send(201, item);
    }
    if (url.pathname === '/items' && req.method === 'GET') return send(200, [...items.values()]);
    if (itemMatch) {
      const id = Number(itemMatch[1]);
      if (!items.has(id) && req.method !== 'PUT') return send(404, { error: `no item ${id}` });
      if (req.method === 'GET') return send(200, items.get(id));
      if (req.method === 'PUT') {
        items.set(id, { id, ...(JSON.parse(body || '{}') as object) });
        return send(200, items.get(id));
      }
      if (req.method === 'DELETE') {
        items.delete(id);
        return send(204);
      }
    }
    // /flaky/<key>?failures=N answers 503 N times per key, then 200.
    const flakyMatch = /^\/flaky\/([\w-]+)$/.exec(url.pathname);
    if (flakyMatch) {
      const key = flakyMatch[1]!;
      const seen = flaky.get(key) ?? 0;
      flaky.set(key, seen + 1);
      if (seen < Number(url.searchParams.get('failures') ?? 1)) return send(503, { error: 'busy, try again' });
      return send(200, { ok: true, tries: seen + 1 });
    }
    if (url.pathname === '/echo') {
      return send(200, { method: req.method, headers: req.headers, query: Object.fromEntries(url.searchParams), body });
    }
    send(404, { error: `no route ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections of the flow's pool would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const api = await startDemoApi(Number(process.env.PORT ?? 8080));
  console.log(`demo API listening on ${api.url} (Ctrl-C to stop)`);
}
