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

/** The demo API's public test credentials (never use real ones in examples). */
export const DEMO_USER = 'ada';
export const DEMO_PASSWORD = 'lovelace-demo';
export const DEMO_TOKEN = 'demo-token-7f3a';
export const DEMO_API_KEY = 'demo-key-91c2';

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
    // Credentials the examples use (the demo's public test values).
    if (url.pathname === '/auth/basic') {
      const expected = `Basic ${Buffer.from(`${DEMO_USER}:${DEMO_PASSWORD}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return send(401, { error: 'basic credentials required' });
      return send(200, { user: DEMO_USER, form: Object.fromEntries(new URLSearchParams(body)) });
    }
    if (url.pathname === '/auth/bearer') {
      if (req.headers.authorization !== `Bearer ${DEMO_TOKEN}`) return send(401, { error: 'bearer token required' });
      return send(200, { user: 'token holder' });
    }
    if (url.pathname === '/auth/key') {
      if (req.headers['x-api-key'] !== DEMO_API_KEY && url.searchParams.get('api_key') !== DEMO_API_KEY) return send(403, { error: 'API key required' });
      return send(200, { key: 'accepted', in: req.headers['x-api-key'] ? 'header' : 'query' });
    }
    // Uploads: the parts as the server parsed them (names, file names, types, sizes).
    if (url.pathname === '/upload' && req.method === 'POST') {
      return send(201, {
        content_type: req.headers['content-type'],
        length: Buffer.byteLength(body, 'latin1'),
        parts: multipartSummary(req.headers['content-type'] ?? '', body),
      });
    }
    if (url.pathname === '/reports/sales.csv') {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="sales-2026.csv"' });
      return res.end('region,month,amount\nnorth,1,120\nsouth,1,80\nnorth,2,150\n');
    }
    // /pages?page=N: 7 items, 3 per page, with a next link (custom pagination).
    if (url.pathname === '/pages') {
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));
      return send(200, { items: all.slice((page - 1) * 3, page * 3), next: page * 3 < all.length ? page + 1 : null });
    }
    // /slow?ms=N answers after N ms (timeouts).
    if (url.pathname === '/slow') {
      await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get('ms') ?? 100)));
      return send(200, { waited_ms: Number(url.searchParams.get('ms') ?? 100) });
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

/** Just enough multipart parsing to show the examples what arrived. */
function multipartSummary(contentType: string, body: string): Record<string, unknown>[] {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) return [];
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [head = '', ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      const content = rest.join('\r\n\r\n').replace(/\r\n$/, '');
      return {
        name: /name="([^"]*)"/.exec(head)?.[1],
        filename: /filename="([^"]*)"/.exec(head)?.[1],
        content_type: /content-type: *([^\r\n]+)/i.exec(head)?.[1],
        size: Buffer.byteLength(content, 'latin1'),
      };
    });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // latin1 keeps every byte of a binary upload countable; JSON and forms are ASCII here.
    req.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    req.on('error', reject);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const api = await startDemoApi(Number(process.env.PORT ?? 8080));
  console.log(`demo API listening on ${api.url} (Ctrl-C to stop)`);
}
