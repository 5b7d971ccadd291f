import net from 'node:net';
import { listenLocal } from './listen.js';

/** What a fault does with a connection once it has read the request head. */
export type Fault = (socket: net.Socket, request: { method: string; path: string; head: string }) => void;

export interface FaultyServer {
  url: string;
  port: number;
  /** Request lines received, in order. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A server that speaks HTTP by hand on a raw socket, so it can misbehave in ways node:http
 * never would: reset at any byte, lie about Content-Length, drip, stall, send garbage. Routes
 * are chosen by path; `/ok` always answers properly, to show the runner keeps going.
 */
export async function startFaultyServer(routes: Record<string, Fault>): Promise<FaultyServer> {
  const seen: string[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    let buffered = '';
    const onData = (data: Buffer) => {
      buffered += data.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.slice(0, end);
      buffered = buffered.slice(end + 4);
      const [method = '', path = ''] = head.split('\r\n')[0]!.split(' ');
      seen.push(`${method} ${path}`);
      const route = routes[path.split('?')[0]!] ?? (path.startsWith('/ok') ? ok : notFound);
      route(socket, { method, path, head });
    };
    socket.on('data', onData);
  });
  const { port, close } = await listenLocal(server);
  return { url: `http://127.0.0.1:${port}`, port, seen, close };
}

export function response(status: string, headers: Record<string, string | number>, body: string | Buffer = ''): Buffer {
  const lines = [`HTTP/1.1 ${status}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}

export const ok: Fault = (socket) => socket.write(response('200 OK', { 'Content-Type': 'application/json', 'Content-Length': 11 }, '{"ok":true}'));
const notFound: Fault = (socket) => socket.write(response('404 Not Found', { 'Content-Length': 0 }));
