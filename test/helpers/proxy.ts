import http from 'node:http';
import net from 'node:net';
import { listenLocal } from './listen.js';

export interface TestProxy {
  url: string;
  port: number;
  /** What went through: `CONNECT host:port` or `GET http://...`, with the Proxy-Authorization seen. */
  seen: { line: string; proxyAuthorization: string | undefined }[];
  close(): Promise<void>;
}

/**
 * A small forward proxy on 127.0.0.1: absolute-form requests for http targets and CONNECT
 * tunnels for https ones. With `credentials` ("user:pass") it answers 407 without them.
 */
export async function startHttpProxy(credentials?: string): Promise<TestProxy> {
  const seen: TestProxy['seen'] = [];
  const expected = credentials ? `Basic ${Buffer.from(credentials).toString('base64')}` : undefined;
  const server = http.createServer((req, res) => {
    seen.push({ line: `${req.method} ${req.url}`, proxyAuthorization: req.headers['proxy-authorization'] });
    if (expected && req.headers['proxy-authorization'] !== expected) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end('proxy authentication required');
      return;
    }
    const target = new URL(req.url!);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode!, { ...up.headers, via: '1.1 test-proxy' });
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end('bad gateway'));
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({ line: `CONNECT ${req.url}`, proxyAuthorization: req.headers['proxy-authorization'] });
    if (expected && req.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = req.url!.split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  const { port, close } = await listenLocal(server);
  return { url: `http://127.0.0.1:${port}`, port, seen, close };
}

/** A minimal SOCKS5 server (RFC 1928, no authentication, CONNECT only) on 127.0.0.1. */
export async function startSocks5Proxy(): Promise<TestProxy> {
  const seen: TestProxy['seen'] = [];
  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    client.once('data', (greeting) => {
      if (greeting[0] !== 5) return client.destroy();
      client.write(Buffer.from([5, 0])); // version 5, no authentication
      client.once('data', (request) => {
        let host: string;
        let offset: number;
        if (request[3] === 1) {
          host = [...request.subarray(4, 8)].join('.');
          offset = 8;
        } else if (request[3] === 3) {
          host = request.subarray(5, 5 + request[4]!).toString();
          offset = 5 + request[4]!;
        } else {
          return client.destroy();
        }
        const port = request.readUInt16BE(offset);
        seen.push({ line: `CONNECT ${host}:${port}`, proxyAuthorization: undefined });
        const upstream = net.connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          upstream.pipe(client).pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
    });
  });
  const { port, close } = await listenLocal(server);
  return { url: `socks5://127.0.0.1:${port}`, port, seen, close };
}
