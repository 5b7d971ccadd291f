import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * Listen on 127.0.0.1 and a free port; `close()` destroys every connection still open (keep-alive
 * sockets, tunnels, handshakes that never finished) so a test never waits for one.
 */
export async function listenLocal(server: Server): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
